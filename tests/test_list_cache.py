"""`lrm list --json` reads each contact's object from the list cache (migration 0011,
store/list_cache.py) once written: after any change, the list must be the one written
afresh, and only what changed is written again."""

from __future__ import annotations

import itertools
import json
import shutil
import sqlite3
from contextlib import closing

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrm_cli.store import list_cache

EXAMPLES = itertools.count()
PEOPLE = ["Ada Lovelace", "Charles Babbage", "Grace Hopper", "Émilie du Châtelet", "Alan"]
OPS = st.sampled_from(
    [
        ("add", "{new}", "--email", "{new_mail}", "--tag", "mentors", "-p", "+44 20 7946 0001"),
        ("edit", "{who}", "--org", "Analytical Engines"),
        ("edit", "{who}", "--name", "{new}"),
        ("edit", "{who}", "--email", "{new_mail}"),
        ("edit", "{who}", "--remove-email", "{mail}"),
        ("edit", "{who}", "--nickname", "Nick"),
        ("tag", "add", "{who}", "friends"),
        ("tag", "rm", "{who}", "mentors"),
        ("log", "{who}", "--kind", "call", "--when", "2026-11-20"),
        ("log", "{who}", "{other}", "--kind", "meal", "--when", "2026-11-27"),
        ("interaction", "rm", "{interaction}"),
        ("archive", "{who}"),
        ("unarchive", "{who}"),
        ("cadence", "{who}", "14d"),
        ("merge", "{who}", "{other}", "--yes"),
        ("forget", "{who}", "--yes"),
        ("undo",),
    ]
)  # fmt: skip


def _listed(lrm, *args: str) -> list[dict]:
    result = lrm("list", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else []


def _written(lrm, monkeypatch, *args: str) -> list[dict]:
    """The list written afresh: the cache neither read nor filled."""
    with monkeypatch.context() as m:
        m.setattr(list_cache, "complete", lambda conn, key: False)
        m.setattr(list_cache, "fill", lambda conn, local, key: False)
        return _listed(lrm, *args)


def _rows(db_path) -> int:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute("SELECT count(*) FROM list_cache").fetchone()[0]


def _contacts(db_path) -> list[tuple[int, str, str | None]]:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute(
            "SELECT c.id, c.display_name, (SELECT value FROM contact_method m WHERE"
            " m.contact_id = c.id AND m.kind = 'email' LIMIT 1) FROM contact c ORDER BY c.id"
        ).fetchall()


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(st.tuples(OPS, st.integers(0, 99), st.integers(0, 99)), max_size=8))
def test_a_cached_list_is_the_list_written_afresh_after_any_change(
    lrm, db_path, template_db, monkeypatch, ops
):
    # each example on a database of its own, copied from an empty one
    db_path = db_path.with_name(f"example-{next(EXAMPLES)}.sqlite3")
    shutil.copyfile(template_db, db_path)
    monkeypatch.setenv("LRM_DB", str(db_path))
    for n, name in enumerate(PEOPLE[:3]):
        lrm("add", name, "--email", f"p{n}@example.org", "--tag", "mentors")
    for n, (op, pick, other) in enumerate(ops):
        people = _contacts(db_path)
        with closing(sqlite3.connect(db_path)) as conn:
            interaction = conn.execute("SELECT max(id) FROM interaction").fetchone()[0]
        if not people:
            people = [(0, "nobody", None)]
        who, name, mail = people[pick % len(people)]
        values = {
            "who": str(who),
            "other": str(people[other % len(people)][0]),
            "new": f"{PEOPLE[(pick + n) % len(PEOPLE)]} {n}",
            "new_mail": f"new{n}@example.org",
            "mail": mail or "none@example.org",
            "interaction": str(interaction or 0),
        }
        lrm(*(part.format(**values) for part in op))  # some fail: nothing changes then
        for args in ([], ["--all"], ["--archived"]):
            assert _listed(lrm, *args) == _written(lrm, monkeypatch, *args), (op, args)
    _listed(lrm, "--all")
    assert _rows(db_path) == len(_contacts(db_path))  # filled whole


@pytest.mark.parametrize(
    "args",
    [
        ["--all"],
        ["--sort", "last-contact"],
        ["--sort", "created", "--reverse", "--all"],
        ["--sort", "id", "-n", "2"],
        ["--tag", "mentors"],
        ["--search", "ada"],
        ["--search", "7946"],
        ["--archived"],
        ["-n", "1", "--sort", "updated"],
        ["--reverse"],
        ["--reverse", "--all"],
        ["--all", "-n", "3"],
    ],
)
def test_filters_sorts_and_limits_read_from_the_cache_as_written(lrm, db_path, monkeypatch, args):
    for n, name in enumerate(PEOPLE):
        lrm("add", name, "--email", f"p{n}@example.org", "--phone", f"+44 20 7946 000{n}")
    lrm("tag", "add", "Ada", "mentors")
    lrm("log", "Grace", "--kind", "call", "--when", "2026-11-20")
    lrm("archive", "Alan")
    # names equal but for case: the cache (stored by name, then id) orders them as the
    # contacts are ordered (normalize.name_order, then id), forwards and reversed
    lrm("add", "ALAN")
    lrm("add", "grace hopper", "--email", "g2@example.org")
    _listed(lrm, "--all")  # fills the cache
    assert _rows(db_path) == len(PEOPLE) + 2
    assert _listed(lrm, *args) == _written(lrm, monkeypatch, *args)


def test_a_change_drops_only_the_objects_it_touches(lrm, db_path):
    for name in PEOPLE:
        lrm("add", name)
    _listed(lrm)
    assert _rows(db_path) == len(PEOPLE)
    lrm("log", "Ada", "Grace", "--kind", "call")  # their last contact
    assert _rows(db_path) == len(PEOPLE) - 2
    _listed(lrm)
    lrm("tag", "add", "Alan", "maths")
    lrm("edit", "Charles", "--org", "Difference Engines")
    assert _rows(db_path) == len(PEOPLE) - 2
    listed = {c["name"]: c for c in _listed(lrm)}
    assert listed["Alan"]["tags"] == ["maths"]
    assert listed["Charles Babbage"]["organization"] == "Difference Engines"
    assert _rows(db_path) == len(PEOPLE)


def test_another_zone_writes_every_object_again(lrm, db_path, monkeypatch):
    lrm("add", "Ada Lovelace")
    london = _listed(lrm)
    monkeypatch.setenv("TZ", "America/St_Johns")
    st_johns = _listed(lrm)
    assert london[0]["created_at"].endswith("+00:00")
    assert st_johns[0]["created_at"].endswith("-03:30")


def test_a_database_that_cannot_be_written_lists_all_the_same(lrm, db_path, monkeypatch):
    lrm("add", "Ada Lovelace")
    lrm("add", "Grace Hopper")
    monkeypatch.setattr(list_cache, "fill", lambda conn, local, key: False)
    assert [c["name"] for c in _listed(lrm)] == ["Ada Lovelace", "Grace Hopper"]
    assert _rows(db_path) == 0


@pytest.mark.parametrize(
    "change",
    [
        "INSERT INTO contact_method (contact_id, kind, value, position, is_preferred)"
        " VALUES (1, 'email', 'x@example.org', 9, 0)",
        "UPDATE contact_method SET value = 'y@example.org' WHERE contact_id = 1",
        "DELETE FROM contact_method WHERE contact_id = 1",
        "INSERT INTO contact_tag (contact_id, tag_id) SELECT 1, id FROM tag WHERE name = 'b'",
        "DELETE FROM contact_tag WHERE contact_id = 1",
        "UPDATE tag SET name = 'renamed' WHERE name = 'a'",
        "DELETE FROM tag WHERE name = 'a'",
        "UPDATE contact_stats SET last_at = last_at + 1 WHERE contact_id = 1",
        "DELETE FROM contact_stats WHERE contact_id = 1",
        "UPDATE contact SET nickname = 'N' WHERE id = 1",
        "DELETE FROM contact WHERE id = 1",
    ],
)
def test_every_change_to_what_an_object_is_made_of_drops_it(lrm, db_path, change):
    """Whatever writes it (a command, an import, a sync, an undo): the triggers."""
    lrm("add", "Ada Lovelace", "--email", "ada@example.org", "--tag", "a")
    lrm("add", "Grace Hopper", "--tag", "b")
    lrm("log", "Ada", "Grace", "--kind", "call")
    _listed(lrm)
    with closing(sqlite3.connect(db_path)) as conn, conn:
        cached = {r[0] for r in conn.execute("SELECT contact_id FROM list_cache")}
        assert cached == {1, 2}
        conn.execute(change)
        left = {r[0] for r in conn.execute("SELECT contact_id FROM list_cache")}
    assert left == {2}
