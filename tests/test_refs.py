"""Contact reference resolution (DESIGN §4), as properties over generated address books."""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lrm_cli.domain import Ambiguous, ContactRef, NotFound
from lrm_cli.services.refs import named, resolve
from lrm_cli.store.db import Database

NAME_CHARS = st.sampled_from(list("abcdeABCDE éÅ_%-"))
names = st.text(NAME_CHARS, min_size=1, max_size=8).map(str.strip).filter(bool)


@pytest.fixture(scope="module")
def conn(tmp_path_factory) -> sqlite3.Connection:
    path = tmp_path_factory.mktemp("refs") / "refs.sqlite3"
    db = Database(Path(path))
    return db.conn


def _fill(
    conn: sqlite3.Connection, contact_names: list[str], aliases: list[list[str]] | None = None
) -> list[int]:
    conn.execute("DELETE FROM contact_alias")
    conn.execute("DELETE FROM contact")
    ids = []
    for i, name in enumerate(contact_names):
        cur = conn.execute(
            "INSERT INTO contact (uid, display_name, created_at, updated_at) VALUES (?, ?, 0, 0)",
            (f"uid-{i}", name),
        )
        ids.append(cur.lastrowid)
        for alias in aliases[i] if aliases else ():
            conn.execute(
                "INSERT OR IGNORE INTO contact_alias (contact_id, name, created_at)"
                " VALUES (?, ?, 0)",
                (cur.lastrowid, alias),
            )
    return ids


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(names, min_size=1, max_size=6), st.data())
def test_id_and_uid_always_resolve_to_that_contact(conn, contact_names, data):
    ids = _fill(conn, contact_names)
    index = data.draw(st.integers(0, len(ids) - 1))
    assert resolve(conn, str(ids[index])).id == ids[index]
    assert resolve(conn, f"uid-{index}").id == ids[index]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(names, st.lists(names, max_size=2)), min_size=1, max_size=6), names)
@example(people=[("A", []), ("Å", [])], query="A")  # the accents-aside twin: ambiguous
@example(people=[("Bob Alpha", []), ("Åsa", [])], query="a")  # a first-word twin, later
def test_resolution_follows_the_rules(conn, people, query):
    """Exact (case-insensitive) names win, then exact aliases (a merged record's name);
    otherwise a prefix of the name (or of a later word; last, either with accents aside)
    that matches one contact resolves to it, several raise Ambiguous naming all of them,
    none is NotFound. An alias is no prefix. A reference without accents takes, at each
    name rule that matched, the names that rule matches with accents aside too."""
    contact_names = [name for name, _ in people]
    ids = _fill(conn, contact_names, [other for _, other in people])
    if query.isdigit():
        return
    folded = query.casefold()
    exact = [i for i, n in zip(ids, contact_names, strict=True) if n.lower() == query.lower()]
    alias = [
        i
        for i, (_, other) in zip(ids, people, strict=True)
        if any(a.lower() == query.lower() for a in other)
    ]
    prefix = [
        i for i, n in zip(ids, contact_names, strict=True) if n.lower().startswith(query.lower())
    ]
    words = [
        i
        for i, n in zip(ids, contact_names, strict=True)
        if any(w.lower().startswith(query.lower()) for w in n.split(" ")[1:])
    ]
    if any(ch.isascii() is False for ch in folded):
        # SQLite's NOCASE folds ASCII only: compare with its own rules
        return
    accents_aside = [  # the last rule: a prefix of the name or a later word, accents aside
        i
        for i, n in zip(ids, contact_names, strict=True)
        if f" {_fold(n)}".find(f" {_fold(query)}") >= 0 and any(c.isalnum() for c in query)
    ]
    typed = _fold(query)

    def twins(found: list[int], rule) -> list[int]:
        """An unaccented reference also takes, at a name rule that matched, the names the
        same rule matches with accents aside only ("A" means A and Å alike)."""
        if not found:
            return found
        return found + [
            i
            for i in accents_aside
            if rule(_fold(names_of[i]), typed) and not rule(names_of[i].casefold(), typed)
        ]

    names_of = dict(zip(ids, contact_names, strict=True))
    expected = (
        twins(exact, lambda n, q: n.split() == q.split())
        or alias
        or twins(prefix, str.startswith)
        or twins(words, lambda n, q: f" {n}".find(f" {q}") >= 0)
        or accents_aside
    )
    if len(expected) == 1:
        assert resolve(conn, query).id == expected[0]
    elif expected:
        with pytest.raises(Ambiguous) as err:
            resolve(conn, query)
        assert sorted(err.value.candidates) == sorted(contact_names[ids.index(i)] for i in expected)
        assert sorted(err.value.ids) == sorted(expected)
        for cid, name in zip(err.value.ids, err.value.candidates, strict=True):
            assert f"{name} (#{cid})" in err.value.message
    else:
        with pytest.raises(NotFound):
            resolve(conn, query)


def test_exact_name_beats_a_longer_prefix_match(conn):
    _fill(conn, ["Ada", "Ada Lovelace"])
    assert (
        resolve(conn, "ADA").id
        == conn.execute("SELECT id FROM contact WHERE display_name = 'Ada'").fetchone()[0]
    )


def test_hash_id(conn):
    ids = _fill(conn, ["Ada", "Bob"])
    assert resolve(conn, f"#{ids[1]}").name == "Bob"


def test_word_prefix_finds_family_name(conn):
    _fill(conn, ["Ada Lovelace", "Charles Babbage"])
    assert (
        resolve(conn, "love").id
        == conn.execute("SELECT id FROM contact WHERE display_name = 'Ada Lovelace'").fetchone()[0]
    )


def test_like_wildcards_are_literal(conn):
    _fill(conn, ["100% Ada", "Bob_x"])
    with pytest.raises(NotFound):
        resolve(conn, "1%")
    with pytest.raises(NotFound):
        resolve(conn, "Bob%")
    assert resolve(conn, "100%").id


def test_named_lists_ids_and_counts_the_rest():
    refs = [ContactRef(id=i, name=f"Maya {i}") for i in range(1, 13)]
    assert named(refs[:2]) == "Maya 1 (#1), Maya 2 (#2)"
    assert named(refs).endswith("Maya 10 (#10) and 2 more")
    assert named(refs, total=120).endswith("Maya 10 (#10) and 110 more")
    assert named(refs[:3], total=3, shown=2) == "Maya 1 (#1), Maya 2 (#2) and 1 more"


def test_exact_name_beats_an_alias_and_an_alias_beats_a_prefix(conn):
    ids = _fill(conn, ["Ada King", "Ada Lovelace", "Ada Kingsley"], [[], ["Ada King"], []])
    assert resolve(conn, "ada king").id == ids[0]  # its name
    _fill(conn, ["Ada Kingsley", "Ada Lovelace"], [[], ["Ada King"]])
    assert resolve(conn, "ADA KING").name == "Ada Lovelace"  # the alias, not the prefix
    assert resolve(conn, "Ada Kin").name == "Ada Kingsley"  # an alias is no prefix
