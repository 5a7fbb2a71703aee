"""`lrm search` and its FTS5 index (migration 0006), `lrm db check`, and completion of a
later word of a name.

The index is checked three ways: the CLI on hand-made data (each kind of text, accents,
phones, ranking, snippets, hostile queries); a hypothesis property holding the hits after
any sequence of writes equal to a brute-force scan of the rows (an oracle written here,
from the rules in services/search.py); and `lrm db check` finding the index equal to a
rebuild.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from conftest import run_exe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrm_cli.cli.fast import parse
from lrm_cli.services import search as service
from lrm_cli.store import search as store

REPO = Path(__file__).resolve().parent.parent


def hits(lrm, *args: str) -> list[tuple[int, str, int]]:
    """(contact id, kind, item id) of each hit of ``lrm search ARGS --json``, in order."""
    result = lrm("search", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return [(h["contact"]["id"], h["kind"], h["item_id"]) for h in result.json()]


def added(lrm, *args: str) -> int:
    result = lrm("add", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()["id"]


@pytest.fixture
def people(lrm, built):
    return built(_make_people)


def _make_people(lrm) -> dict[str, int]:
    ids = {
        "ada": added(
            lrm, "Ada Lovelace", "--email", "Ada@Example.org", "--phone", "+44 20 7946 0000",
            "--org", "Analytical Engines", "--how-met", "PyCon 2019",
        ),
        "jorg": added(lrm, "Jörg Müller", "--phone", "030 1234-567", "--nickname", "Jojo"),
        "maya": added(lrm, "Maya Rodriguez", "--email", "maya@firma.de"),
        "emilie": added(lrm, "Émilie du Châtelet", "--org", "Académie des sciences"),
        "old": added(lrm, "Old Friend", "--how-met", "school in Lovelace Street"),
    }  # fmt: skip
    assert lrm("note", "#1", "Prefers long letters; admires Müller's calculus").exit_code == 0
    assert lrm("note", "#3", "Lovelace introduced us at the engine workshop").exit_code == 0
    assert (
        lrm(
            "log", "#1", "#2", "--kind", "meal", "--when", "2026-11-20",
            "--summary", "Dinner at the Royal Society",
        ).exit_code
        == 0
    )  # fmt: skip
    assert lrm("date", "add", "#3", "--on", "--06-21", "--label", "Graduation day").exit_code == 0
    assert lrm("archive", "#5").exit_code == 0
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nN:Hopper;Grace;;;\r\n"
    card += "ORG:US Navy;Computing Division;Compilers\r\nEND:VCARD\r\n"
    assert lrm("import", "vcard", "-", input=card).exit_code == 0
    return ids


# --- each kind of text ---------------------------------------------------------------------


def test_each_kind_of_text_is_found(lrm, people):
    ada, jorg, maya, emilie, _ = people.values()
    assert hits(lrm, "lovelace")[0] == (ada, "name", ada)
    assert hits(lrm, "jojo") == [(jorg, "nickname", jorg)]
    assert hits(lrm, "analytical") == [(ada, "organization", ada)]
    assert hits(lrm, "pycon") == [(ada, "how_met", ada)]
    assert [h[:2] for h in hits(lrm, "ada@example.org")] == [(ada, "email")]
    assert [h[:2] for h in hits(lrm, "firma")] == [(maya, "email")]
    assert hits(lrm, "calculus") == [(ada, "note", 1)]
    assert hits(lrm, "graduation") == [(maya, "date_label", 1)]
    # an interaction is a hit for each of its participants
    assert sorted(hits(lrm, "royal society")) == [(ada, "interaction", 1), (jorg, "interaction", 1)]
    assert hits(lrm, "académie")[0][0] == emilie


def test_phones_by_their_digits_in_any_formatting(lrm, people):
    ada, jorg = people["ada"], people["jorg"]
    for query in ("+44 20 7946 0000", "442079460000", "020 7946 0000", "(020) 7946-0000",
                  "7946", "79460", "0044 20 7946 0000", "20.7946.0000"):  # fmt: skip
        assert [h[:2] for h in hits(lrm, query)] == [(ada, "phone")], query
    for query in ("030 1234 567", "0301234567", "1234-567", "+49 30 1234567", "234"):
        assert (jorg, "phone") in [h[:2] for h in hits(lrm, query)], query
    assert hits(lrm, "999 999") == []


def test_case_and_accents_are_ignored(lrm, people):
    jorg, emilie = people["jorg"], people["emilie"]
    for query in ("muller", "MÜLLER", "Muller", "müll", "jorg"):
        assert hits(lrm, query)[0] == (jorg, "name", jorg), query
    assert hits(lrm, "emilie chatelet")[0][0] == emilie
    assert hits(lrm, "ÉMILIE")[0][0] == emilie


def test_each_word_is_a_prefix_and_all_must_match_one_text(lrm, people):
    maya = people["maya"]
    assert hits(lrm, "rodr") == [(maya, "name", maya)]
    assert hits(lrm, "may rod") == [(maya, "name", maya)]
    assert hits(lrm, "ay") == []  # the start of a word only
    assert hits(lrm, "maya pycon") == []  # not in one text
    assert hits(lrm, "ada", "lovelace")[0] == (people["ada"], "name", people["ada"])


def test_names_rank_above_short_fields_above_notes(lrm, people):
    found = hits(lrm, "lovelace")
    kinds = [k for _, k, _ in found]
    assert kinds == ["name", "how_met", "note"]
    assert found[1][0] == people["old"] and found[2][0] == people["maya"]
    tiers = [store.TIERS[k] for k in kinds]
    assert tiers == sorted(tiers)


def test_archived_contacts_are_included_and_marked(lrm, people):
    result = lrm("search", "school", "--json")
    (hit,) = result.json()
    assert hit["contact"] == {"id": people["old"], "name": "Old Friend", "archived": True}
    plain = lrm("search", "school")
    assert (
        plain.stdout
        == f"{people['old']}\tOld Friend (archived)\thow met\tschool in Lovelace Street\n"
    )


def test_json_shape_snippet_and_highlights(lrm, people):
    result = lrm("search", "müller", "--json")
    assert result.exit_code == 0
    items = result.json()
    assert [set(i) for i in items] == [{"contact", "kind", "item_id", "snippet", "highlights"}] * 2
    name, note = items
    assert name == {
        "contact": {"id": people["jorg"], "name": "Jörg Müller", "archived": False},
        "kind": "name",
        "item_id": people["jorg"],
        "snippet": "Jörg Müller",
        "highlights": [[5, 11]],
    }
    assert note["kind"] == "note" and note["item_id"] == 1
    start, end = note["highlights"][0]
    assert note["snippet"][start:end] == "Müller"


def test_long_texts_are_cut_to_a_snippet_around_the_match(lrm, people):
    words = [f"word{i}" for i in range(60)]
    words[40] = "needle"
    assert lrm("note", "#2", " ".join(words)).exit_code == 0
    (hit,) = lrm("search", "needle", "--json").json()
    assert "needle" in hit["snippet"] and "…" in hit["snippet"]
    assert len(hit["snippet"].split()) <= store.SNIPPET_TOKENS + 2
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end] == "needle"


def test_human_output(lrm, people):
    plain = lrm("search", "lovelace")
    lines = plain.stdout.splitlines()
    assert lines[0] == f"{people['ada']}\tAda Lovelace\tname\tAda Lovelace"
    assert lines[2] == (
        f"{people['maya']}\tMaya Rodriguez\tnote #2\tLovelace introduced us at the engine workshop"
    )
    assert lrm("search", "royal").stdout.count("interaction #1") == 2


def test_limit(lrm, people):
    assert len(hits(lrm, "lovelace", "--limit", "2")) == 2
    assert len(hits(lrm, "lovelace", "-n", "1")) == 1
    assert lrm("search", "x", "--limit", "0").exit_code == 2


def test_nothing_found_is_an_empty_result(lrm, people):
    result = lrm("search", "zebra", "--json")
    assert (result.exit_code, result.stdout) == (0, "[]\n")
    result = lrm("search", "zebra")
    assert (result.exit_code, result.stdout) == (0, "")


HOSTILE = ['"', "AND", "OR", "NOT", "NEAR(a b)", "*", "body:ada", "digits:1", "a'b", "(", ")",
           "-ada", "^ada", "ada*", '"ada', "{body}: x", "+", "\\", "''", "a AND", "NEAR",
           "%", "_", "ada OR maya", "😀", "ß", "\u0301", "0", "--", "- 0"]  # fmt: skip


def test_hostile_queries_never_reach_fts5_as_syntax(lrm, people):
    for query in HOSTILE:
        result = lrm("search", "--json", "--", query)
        assert result.exit_code in (0, 5), (query, result.stderr)
        if result.exit_code == 5:
            assert len(result.stderr.strip().splitlines()) == 1, query
            assert '"invalid_input"' in result.stderr, query
        else:
            assert isinstance(result.json(), list), query


def test_operators_are_words(lrm, people):
    assert lrm("note", "#4", "Salt AND pepper, NEAR the door").exit_code == 0
    assert hits(lrm, "AND")[0][:2] == (people["emilie"], "note")
    assert hits(lrm, "near door")[0][:2] == (people["emilie"], "note")
    assert hits(lrm, "ada OR maya") == []  # three words, not an OR


def test_a_query_without_letters_or_digits_is_invalid_input(lrm, people):
    for query in ('"', "***", " "):
        result = lrm("search", "--", query)
        assert result.exit_code == 5, query
        assert result.stderr.startswith("lrm: error: nothing to search for")


def test_fast_path_and_typer_agree(lrm, people, db_path, warm):
    argvs = [
        ["search", "lovelace"],
        ["search", "müller", "--json"],
        ["search", "-n", "1", "7946"],
        ["search", '"'],
        ["search", "--json", '"'],
        ["search", "zebra"],
        ["search", "ada", "--json", "lovelace"],
        ["search", "royal", "society", "-n", "1"],
    ]
    for argv in argvs:
        assert parse(argv) is not None, argv
        fast = warm.run("fast", "--db", str(db_path), *argv)
        typer_path = warm.run("typer", "--db", str(db_path), *argv)
        assert (fast.returncode, fast.stdout, fast.stderr) == (
            typer_path.returncode,
            typer_path.stdout,
            typer_path.stderr,
        ), argv


def test_search_skips_typer(lrm, people, db_path):
    code = (
        "import sys; sys.argv = ['lrm', '--db', sys.argv[1], 'search', 'lovelace', '--json']\n"
        "from lrm_cli.cli.entry import main\n"
        "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code\n"
        "assert 'typer' not in sys.modules and 'rich' not in sys.modules\n"
        "assert 'sqlalchemy' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


# --- the query builder (pure) ----------------------------------------------------------------


def test_words_and_quoting():
    assert service.words(' ada  "  lovelace ** ') == ["ada", "lovelace"]
    assert service.quoted('say "hi"') == '"say ""hi"""'
    assert service.match_expression("rodr") == '"rodr"*'
    assert service.match_expression('a"b AND') == '"a""b"* AND "AND"*'
    with pytest.raises(service.InvalidInput):
        service.match_expression("** ..")


def test_phone_digits():
    assert service.phone_digits("+44 (20) 7946-0000") == ["442079460000", "2079460000"]
    assert service.phone_digits("+1 555 0100") == ["15550100", "5550100"]
    assert service.phone_digits("+999 123") == ["999123"]  # no such country code
    assert service.phone_digits("020 7946") == ["0207946", "207946"]
    assert service.phone_digits("0044 20") == ["004420", "4420"]  # too short without 44
    assert service.phone_digits("0044 2079") == ["00442079", "442079", "2079"]
    assert service.phone_digits("12") == []  # too short
    assert service.phone_digits("000") == ["000"]  # nothing left without the zeros
    assert service.phone_digits("12a45") == []  # not phone-like
    assert service.phone_digits("") == []
    assert service.match_expression("020 79") == (
        '("020"* AND "79"*) OR (digits : ("02079"* OR "2079"*))'
    )


def test_split_snippet():
    s, e = store.START, store.END
    assert service.split_snippet(f"a {s}bc{e} d {s}ef{e}", s, e) == ("a bc d ef", [(2, 4), (7, 9)])
    assert service.split_snippet("plain", s, e) == ("plain", [])
    assert service.split_snippet(f"{s}{e}x{e}", s, e) == ("x", [])


# --- the index follows every write: a property against a brute-force scan -------------------

VOCABULARY = ["Müller", "muller", "Ada", "Ádám", "Rodríguez", "rodrigo", "O'Brien", "Zoë",
              "Lee", "naïve", "café", "Ñandú", "smith-jones", "x", "Straße", "2019"]  # fmt: skip
PHONES = ["+44 20 7946 0000", "020 7946 0000", "(555) 123-4567", "555.123.4567", "+49 30 1234567"]
EMAILS = ["ada@example.org", "mm@firma.de", "zoe.lee@example.com"]
SOCIALS = ["@zoe.lee", "https://instagram.com/muller", "skype:ada_lovelace"]
URLS = ["https://ada.example.org/notes", "https://café.example/müller"]
QUERIES = ["mull", "müller", "MULLER", "ada", "ad", "rodr", "o'b", "brien", "zoe", "naive",
           "cafe", "nandu", "smith", "jones", "x", "7946", "020 7946", "555-123", "4567",
           "example", "ada@example.org", "lee", "strasse", "straße", "2019", "ada lee",
           "mm@", "20 79", "instagram", "zoe.lee", "skype ada", "notes", "cafe"]  # fmt: skip

text = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=3).map(" ".join)
who = st.integers(min_value=0, max_value=50)
adding = st.tuples(
    st.just("add"),
    text,
    st.sampled_from([None, *VOCABULARY]),
    st.sampled_from([None, *EMAILS]),
    st.sampled_from([None, *PHONES]),
    st.sampled_from([None, "Acme Café", "Zoë's"]),
)
changing = st.one_of(
    adding,
    st.tuples(st.just("note"), who, text),
    st.tuples(st.just("log"), who, who, text),
    st.tuples(st.just("date"), who, text),
    st.tuples(
        st.just("edit"),
        who,
        st.sampled_from(
            [
                "--name",
                "--org",
                "--nickname",
                "--how-met",
                "--email",
                "--phone",
                "--social",
                "--url",
            ]
        ),
        text,
    ),
    st.tuples(st.just("forget"), who),
    st.tuples(st.just("merge"), who, who),
    st.tuples(st.just("archive"), who),
    st.tuples(st.just("undo")),
)
# a few people first, then any writes
operations = st.tuples(
    st.lists(adding, min_size=2, max_size=4), st.lists(changing, min_size=1, max_size=12)
).map(lambda parts: parts[0] + parts[1])


def _apply(lrm, db_path: Path, ops) -> None:
    def pick(k: int) -> str | None:
        conn = sqlite3.connect(db_path)
        try:
            ids = [r[0] for r in conn.execute("SELECT id FROM contact ORDER BY id")]
        finally:
            conn.close()
        return f"#{ids[k % len(ids)]}" if ids else None

    for op, *args in ops:
        if op == "add":
            name, nickname, email, phone, org = args
            argv = [name]
            for flag, value in (("--nickname", nickname), ("--email", email),
                                ("--phone", phone), ("--org", org)):  # fmt: skip
                if value:
                    argv += [flag, value]
            lrm("add", *argv)
            continue
        if op == "undo":
            lrm("undo")
            continue
        target = pick(args[0])
        if target is None:
            continue
        if op == "note":
            lrm("note", target, args[1])
        elif op == "log":
            lrm("log", target, pick(args[1]), "--when", "2026-11-20", "--summary", args[2])
        elif op == "date":
            lrm("date", "add", target, "--on", "--06-21", "--label", args[1])
        elif op == "edit":
            value = args[2] if args[1] != "--phone" else PHONES[len(args[2]) % len(PHONES)]
            value = value if args[1] != "--email" else EMAILS[len(args[2]) % len(EMAILS)]
            value = value if args[1] != "--social" else SOCIALS[len(args[2]) % len(SOCIALS)]
            value = value if args[1] != "--url" else URLS[len(args[2]) % len(URLS)]
            lrm("edit", target, args[1], value)
        elif op == "forget":
            lrm("forget", target, "--yes")
        elif op == "merge":
            other = pick(args[1])
            if other != target:
                lrm("merge", target, other, "--yes")
        elif op == "archive":
            lrm("archive", target)


def _fold(text: str) -> str:
    """unicode61 remove_diacritics 2: lower case, marks off."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _tokens(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", _fold(text))


def _ascii_lower(text: str) -> str:
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


def _phone_tokens(value: str) -> list[str]:
    digits = value
    for ch in " +-()./\t\u00a0":
        digits = digits.replace(ch, "")
    if not digits:
        return []
    runs = [digits] + [digits[k:20] for k in range(1, 18) if len(digits) >= k + 3]
    return _tokens(" ".join(runs))


def _documents(db_path: Path):
    """Every indexed text as the rules say: (owner contact ids, kind, item id, columns)."""
    conn = sqlite3.connect(db_path)
    try:
        for cid, name, given, family, nick, org, units, how in conn.execute(
            "SELECT id, display_name, given_name, family_name, nickname, organization,"
            " org_units, how_met FROM contact"
        ):
            full = name
            for part in (given, family):
                if part and _ascii_lower(part) not in _ascii_lower(name):
                    full += " " + part
            yield [cid], "name", cid, [_tokens(full)]
            org = " ".join([org or "", *json.loads(units or "[]")]).strip()  # ORG's units too
            for kind, value in (("nickname", nick), ("organization", org), ("how_met", how)):
                if value:
                    yield [cid], kind, cid, [_tokens(value)]
        for mid, cid, kind, value in conn.execute(
            "SELECT id, contact_id, kind, value FROM contact_method"
            " WHERE kind IN ('email', 'phone', 'social', 'url')"
        ):
            if value:
                digits = _phone_tokens(value) if kind == "phone" else []
                yield [cid], kind, mid, [_tokens(value), digits]
        for nid, cid, body in conn.execute("SELECT id, contact_id, body FROM note"):
            if body:
                yield [cid], "note", nid, [_tokens(body)]
        for did, cid, label in conn.execute("SELECT id, contact_id, label FROM important_date"):
            if label:
                yield [cid], "date_label", did, [_tokens(label)]
        for aid, cid, name in conn.execute("SELECT id, contact_id, name FROM contact_alias"):
            if name:
                yield [cid], "alias", aid, [_tokens(name)]
        for iid, summary in conn.execute("SELECT id, summary FROM interaction"):
            if summary:
                people = [r[0] for r in conn.execute(
                    "SELECT contact_id FROM interaction_participant WHERE interaction_id = ?",
                    (iid,),
                )]  # fmt: skip
                yield people, "interaction", iid, [_tokens(summary)]
    finally:
        conn.close()


def _phrase_in(phrase: list[str], tokens: list[str]) -> bool:
    n = len(phrase)
    for i in range(len(tokens) - n + 1):
        if tokens[i : i + n - 1] == phrase[:-1] and tokens[i + n - 1].startswith(phrase[-1]):
            return True
    return False


def _oracle(documents: list, query: str) -> set[tuple[int, str, int]]:
    phrases = [_tokens(w) for w in query.split() if any(c.isalnum() for c in w)]
    phrases = [p for p in phrases if p]
    runs = service.phone_digits(query)
    found = set()
    for owners, kind, item, columns in documents:
        words = phrases and all(any(_phrase_in(p, col) for col in columns) for p in phrases)
        phone = len(columns) > 1 and any(t.startswith(r) for r in runs for t in columns[1])
        if words or phone:
            found.update((owner, kind, item) for owner in owners)
    return found


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
def test_hits_after_any_writes_equal_a_scan_of_the_rows(lrm, db_path, template_db, ops):
    from lrm_cli.store.db import Database

    shutil.copyfile(template_db, db_path)
    _apply(lrm, db_path, ops)
    documents = list(_documents(db_path))
    db = Database(db_path)
    try:
        for query in QUERIES:
            found = [(h.contact_id, h.kind, h.item_id) for h in service.search(db, query, 10**6)]
            assert len(found) == len(set(found))
            assert set(found) == _oracle(documents, query), query
            tiers = [store.TIERS[k] for _, k, _ in found]
            assert tiers == sorted(tiers), query
        with db.read() as conn:
            state = store.inspect(conn)
        assert (state.missing_triggers, state.integrity, state.stale) == ([], None, 0)
    finally:
        db.close()


def test_the_oracle_agrees_on_the_fixture(lrm, people, db_path):
    for query in [*QUERIES, "lovelace", "royal", "7946", "müller"]:
        expected = _oracle(list(_documents(db_path)), query)
        assert set(hits(lrm, query, "--limit", "1000")) == expected, query


# --- the migration and the module agree; upgrading a 0005 database -----------------------


def _migration(name: str = "0006_search_index"):
    path = REPO / "migrations" / "versions" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"migration_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_module_builds_what_the_migration_built(db_path, lrm, people):
    migration, aliases = _migration(), _migration("0008_contact_aliases")
    units = _migration("0012_search_org_units")
    methods = _migration("0017_search_social_and_url")
    addresses = _migration("0018_search_addresses")
    made = {**migration.triggers(), **aliases.search_triggers()}
    for later in (units, methods, addresses):  # each re-created some of the triggers before it
        assert made.keys() >= later.TRIGGERS.keys() == later.BEFORE.keys()
        assert {k: v for k, v in made.items() if k in later.BEFORE} == later.BEFORE
        made |= later.TRIGGERS
    assert made == store.triggers()
    assert migration.CREATE_TABLE == store.CREATE_TABLE
    conn = sqlite3.connect(db_path)
    try:
        # the module's fill is written for speed (its phone digits are computed once):
        # it must index exactly the rows the migrations' fill does
        def rows(statements: list[str]) -> list[tuple]:
            selects = [s.split(") ", 1)[1] for s in statements]
            return sorted(r for select in selects for r in conn.execute(select))

        assert len(rows(store.fill())) > 10
        # the organisation rows of contacts with units are migration 0012's (the test
        # of upgrading a 0011 database below); every other row is 0006's and 0008's
        with_units = {
            cid * 16 + 2
            for (cid,) in conn.execute(
                "SELECT id FROM contact WHERE coalesce(org_units, '') NOT IN ('', '[]')"
            )
        }
        assert with_units  # Grace Hopper's
        made_rows = [r for r in rows(migration.fill() + aliases.fill()) if r[0] not in with_units]
        assert made_rows == [r for r in rows(store.fill()) if r[0] not in with_units]
        schema = dict(conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE name LIKE 'tr_search_%' OR name = ?",
            (store.TABLE,),
        ).fetchall())  # fmt: skip
    finally:
        conn.close()
    expected = {name: f"CREATE TRIGGER {name} {body}" for name, body in store.triggers().items()}
    expected[store.TABLE] = store.CREATE_TABLE
    assert schema == expected


def _database_at(path: Path, revision: str) -> None:
    from alembic import command

    from lrm_cli.store import migrate

    engine = migrate._engine(path)
    try:
        with engine.begin() as connection:
            cfg = migrate._alembic_config()
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, revision)
    finally:
        engine.dispose()


def _old_database(path: Path, revision: str, script: str) -> None:
    """A database at ``revision`` holding the rows of ``script``."""
    _database_at(path, revision)
    conn = sqlite3.connect(path)
    try:
        conn.executescript(script)
        conn.commit()
    finally:
        conn.close()


def _upgraded(path: Path):
    """The database opened (so upgraded to the head), its index what its rows give."""
    from lrm_cli.store.db import Database

    db = Database(path)
    with db.read() as conn:
        assert store.inspect(conn).stale == 0
    return db


def _found(db, query: str) -> list[tuple[int, str, int]]:
    return [(h.contact_id, h.kind, h.item_id) for h in service.search(db, query)]


def test_upgrading_a_0005_database_indexes_its_rows(tmp_path):
    path = tmp_path / "old.sqlite3"
    _old_database(path, "0005", """
        INSERT INTO contact (id, uid, display_name, family_name, nickname, organization,
            how_met, created_at, updated_at)
        VALUES (1, 'u1', 'Jörg Müller', 'Müller', 'Jojo', 'Analytical Engines', 'PyCon', 0, 0),
               (2, 'u2', 'Ada Lovelace', NULL, NULL, NULL, NULL, 0, 0);
        INSERT INTO contact_method (id, contact_id, kind, value, is_preferred, position)
        VALUES (1, 1, 'phone', '+442079460000', 0, 0), (2, 1, 'email', 'j@m.de', 0, 1);
        INSERT INTO note (id, contact_id, body, created_at, pinned)
        VALUES (1, 2, 'bernoulli', 0, 0);
        INSERT INTO interaction (id, uid, occurred_at, kind, initiator, summary, created_at)
        VALUES (1, 'i1', 0, 'meal', 'me', 'Dinner at the club', 0);
        INSERT INTO interaction_participant VALUES (1, 1, 0, 'me'), (1, 2, 0, 'me');
        INSERT INTO important_date (id, contact_id, kind, label, date)
        VALUES (1, 2, 'custom', 'Graduation', '--06-21');
    """)  # fmt: skip
    db = _upgraded(path)
    try:
        for query, expected in [
            ("muller", [(1, "name", 1)]),
            ("jojo", [(1, "nickname", 1)]),
            ("analytical", [(1, "organization", 1)]),
            ("pycon", [(1, "how_met", 1)]),
            ("020 7946 0000", [(1, "phone", 1)]),
            ("j@m.de", [(1, "email", 2)]),
            ("bernoulli", [(2, "note", 1)]),
            ("graduation", [(2, "date_label", 1)]),
            ("club", [(2, "interaction", 1), (1, "interaction", 1)]),
        ]:
            assert _found(db, query) == expected, query
    finally:
        db.close()


def test_upgrading_a_0011_database_indexes_the_units_of_organisations(tmp_path):
    """Migration 0012: ORG's units (``org_units``) are searched with the organisation's
    name; a contact with units is re-indexed on the upgrade, and a change of its units
    later re-indexes it."""
    path = tmp_path / "old.sqlite3"
    _old_database(path, "0011", """
        INSERT INTO contact (id, uid, display_name, organization, org_units, created_at,
            updated_at)
        VALUES (1, 'u1', 'Grace Hopper', 'US Navy', '["Computing Division", "Compilers"]', 0, 0),
               (2, 'u2', 'Ada Lovelace', 'Analytical Engines', NULL, 0, 0),
               (3, 'u3', 'Nobody Named', NULL, '["Skunkworks"]', 0, 0);
    """)  # fmt: skip
    before = "SELECT count(*) FROM search_index WHERE search_index MATCH 'compilers'"
    conn = sqlite3.connect(path)
    assert conn.execute(before).fetchone()[0] == 0  # 0011 indexed the name alone
    conn.close()
    db = _upgraded(path)
    try:
        for query, expected in [
            ("compilers", [(1, "organization", 1)]),
            ("computing division", [(1, "organization", 1)]),
            ("navy", [(1, "organization", 1)]),
            ("analytical", [(2, "organization", 2)]),
            ("skunkworks", [(3, "organization", 3)]),
        ]:
            assert _found(db, query) == expected, query
        with db.write() as conn:
            conn.execute("UPDATE contact SET org_units = '[\"Hardware\"]' WHERE id = 1")
        assert [h.contact_id for h in service.search(db, "compilers")] == []
        assert [h.contact_id for h in service.search(db, "hardware")] == [1]
        with db.read() as conn:
            assert store.inspect(conn).stale == 0
    finally:
        db.close()


def test_upgrading_a_0016_database_indexes_social_profiles_and_web_pages(tmp_path):
    """Migration 0017: a social profile or a web page finds its contact, those already
    there on the upgrade and those added, changed or removed after it."""
    path = tmp_path / "old.sqlite3"
    _old_database(path, "0016", """
        INSERT INTO contact (id, uid, display_name, created_at, updated_at)
        VALUES (1, 'u1', 'Chidi Okafor', 0, 0), (2, 'u2', 'Kenji Tanaka', 0, 0);
        INSERT INTO contact_method (id, contact_id, kind, value, label, is_preferred, position)
        VALUES (1, 1, 'social', 'chidi.o', 'Skype', 0, 0),
               (2, 2, 'url', 'https://kenji.example.org/photos', NULL, 0, 0),
               (3, 2, 'email', 'kenji@example.org', NULL, 0, 1);
    """)  # fmt: skip
    db = _upgraded(path)
    try:
        for query, expected in [
            ("chidi.o", [(1, "name", 1), (1, "social", 1)]),
            ("photos", [(2, "url", 2)]),
            ("kenji example", [(2, "email", 3), (2, "url", 2)]),
        ]:
            assert sorted(_found(db, query)) == sorted(expected), query
        with db.write() as conn:
            conn.execute("UPDATE contact_method SET value = 'okafor_c' WHERE id = 1")
            conn.execute("DELETE FROM contact_method WHERE id = 2")
        assert [h.kind for h in service.search(db, "okafor_c")] == ["social"]
        assert service.search(db, "photos") == []
        with db.read() as conn:
            assert store.inspect(conn).stale == 0
    finally:
        db.close()


def test_upgrading_a_0017_database_indexes_postal_addresses(tmp_path):
    """Migration 0018: a town, street or postcode finds who lives there, for the addresses
    there on the upgrade and those added, changed or removed after it."""
    path = tmp_path / "old.sqlite3"
    _old_database(path, "0017", """
        INSERT INTO contact (id, uid, display_name, created_at, updated_at)
        VALUES (1, 'u1', 'Maria Ortega', 0, 0), (2, 'u2', 'Kenji Tanaka', 0, 0);
        INSERT INTO contact_method (id, contact_id, kind, value, label, is_preferred, position)
        VALUES (1, 1, 'address', '12 Calle Mayor, Madrid, 28013', 'home', 0, 0),
               (2, 2, 'address', '3 Rue Neuve, Lyon', NULL, 0, 0),
               (3, 2, 'social', 'kenji.t', NULL, 0, 1);
    """)  # fmt: skip
    db = _upgraded(path)
    try:
        for query, expected in [
            ("madrid", [(1, "address", 1)]),
            ("28013", [(1, "address", 1)]),
            ("calle mayor", [(1, "address", 1)]),
            ("lyon", [(2, "address", 2)]),
            ("kenji.t", [(2, "name", 2), (2, "social", 3)]),
        ]:
            assert _found(db, query) == expected, query
        with db.write() as conn:
            conn.execute("UPDATE contact_method SET value = '9 Quai Est, Nantes' WHERE id = 2")
            conn.execute("DELETE FROM contact_method WHERE id = 1")
        assert service.search(db, "lyon") == [] and service.search(db, "madrid") == []
        assert [(h.contact_id, h.kind) for h in service.search(db, "nantes")] == [(2, "address")]
        with db.read() as conn:
            assert store.inspect(conn).stale == 0
    finally:
        db.close()


def test_a_town_finds_who_lives_there(lrm):
    """Who do I know in Lyon? An address's town, street or postcode finds its contact,
    after the names and beside the other short fields."""
    maria = added(lrm, "Maria Ortega", "--address", "street=3 Rue Neuve; city=Lyon; postcode=69001")
    lyon = added(lrm, "Lyon Brooks")
    assert hits(lrm, "lyon") == [(lyon, "name", lyon), (maria, "address", 1)]
    assert hits(lrm, "69001") == [(maria, "address", 1)]
    plain = lrm("search", "lyon").stdout
    assert "Maria Ortega\taddress\t" in plain
    edited = lrm(
        "edit", "maria", "--remove-address", "street=3 Rue Neuve; city=Lyon; postcode=69001"
    )
    assert edited.exit_code == 0, edited.stderr
    assert hits(lrm, "69001") == []


def test_a_handle_or_a_web_page_finds_its_contact(lrm):
    chidi = added(lrm, "Chidi Okafor", "--social", "https://instagram.com/chidi.reads")
    ada = added(lrm, "Ada Lovelace", "--url", "https://ada.example.org/engines")
    assert hits(lrm, "chidi.reads") == [(chidi, "social", 1)]
    assert [h[:2] for h in hits(lrm, "engines")] == [(ada, "url")]
    plain = lrm("search", "chidi.reads").stdout
    assert "Chidi Okafor" in plain and "social" in plain


def test_searching_a_department_finds_its_people(lrm, people):
    found = lrm("search", "compilers", "--json").json()
    assert [(h["contact"]["name"], h["kind"]) for h in found] == [("Grace Hopper", "organization")]
    assert lrm("search", "navy").exit_code == 0


# --- lrm db check --------------------------------------------------------------------------


def _sql(db_path: Path, *statements: str) -> None:
    conn = sqlite3.connect(db_path)
    try:
        for statement in statements:
            conn.execute(statement)
        conn.commit()
    finally:
        conn.close()


def test_a_rebuild_writes_the_rows_the_triggers_wrote(lrm, people, db_path):
    """A rebuild (a restore, `lrm db check --rebuild-search`) indexes the rows each kind's
    triggers indexed as they were written, every one of them: many phones, emails,
    handles, web pages and addresses among other methods, some written apart by an
    import (search.deferred)."""
    for i in range(12):
        args = ["add", f"Caller {i}", "--phone", f"+44 20 7946 0{i:03d}"]
        args += ["--email", f"caller{i}@example.org", "--phone", f"030 555-{i:04d}"]
        assert lrm(*args).exit_code == 0
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Card {i}\r\nTEL:+1 555 010 {i:04d}\r\n"
        f"URL:https://example.org/{i}\r\nX-SOCIALPROFILE;type=twitter:card{i}\r\n"
        f"ADR:;;{i} Rue de Lyon;Paris;;7500{i};France\r\nEND:VCARD\r\n"
        for i in range(6)
    )
    assert lrm("import", "vcard", "-", input=cards).exit_code == 0
    read = "SELECT rowid, body, digits, kind, item_id, contact_id FROM search_index ORDER BY rowid"
    conn = sqlite3.connect(db_path)
    try:
        written = conn.execute(read).fetchall()
        with conn:
            store.rebuild(conn)
        rebuilt = conn.execute(read).fetchall()
    finally:
        conn.close()
    assert rebuilt == written
    counts = {kind: sum(1 for r in written if r[3] == kind) for kind in store.KIND_CODES}
    assert counts["phone"] == 12 * 2 + 6 + 2 and counts["email"] == 12 + 2
    assert counts["url"] == counts["social"] == counts["address"] == 6


def test_db_check_on_a_sound_database(lrm, people):
    result = lrm("db", "check", "--json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert set(report) == {"path", "integrity", "search_index"}
    assert report["integrity"] == "ok"
    assert report["search_index"]["status"] == "ok"
    assert report["search_index"]["problems"] == []
    assert report["search_index"]["rows"] > 10
    human = lrm("db", "check")
    assert "search index: ok" in human.stdout


def test_db_check_rebuilds_on_request(lrm, people):
    before = hits(lrm, "lovelace")
    report = lrm("db", "check", "--rebuild-search", "--json").json()
    assert report["search_index"]["status"] == "rebuilt"
    assert hits(lrm, "lovelace") == before


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (["DROP TABLE search_index"], "missing"),
        (
            [
                "DROP TRIGGER tr_search_note_insert",
                "INSERT INTO note (contact_id, body, created_at, pinned) VALUES (1, 'ghost', 0, 0)",
            ],
            "tr_search_note_insert",
        ),
        (["DELETE FROM search_index WHERE rowid = 16"], "differ"),
        (["INSERT INTO search_index (rowid, body) VALUES (99999, 'ghost')"], "differ"),
        (
            [
                "UPDATE search_index_data SET block = zeroblob(length(block))"
                " WHERE id = (SELECT max(id) FROM search_index_data)"
            ],
            "integrity",
        ),
    ],
    ids=["no table", "no trigger", "row missing", "row extra", "FTS5 damaged"],
)
def test_db_check_finds_a_damaged_index_and_rebuilds_it(lrm, people, db_path, damage, problem):
    _sql(db_path, *damage)
    result = lrm("db", "check", "--json")
    assert result.exit_code == 0, result.stderr
    index = result.json()["search_index"]
    assert index["status"] == "rebuilt"
    assert any(problem in p for p in index["problems"]), index["problems"]
    again = lrm("db", "check", "--json").json()["search_index"]
    assert (again["status"], again["problems"]) == ("ok", [])
    assert hits(lrm, "lovelace")[0] == (people["ada"], "name", people["ada"])
    if "ghost" in " ".join(damage) and "note" in " ".join(damage):
        assert hits(lrm, "ghost")[0][1] == "note"  # the row the missing trigger missed
    assert lrm("add", "After Repair").exit_code == 0
    assert hits(lrm, "repair")[0][1] == "name"


def test_search_on_a_missing_index_says_how_to_repair(lrm, people, db_path):
    _sql(db_path, "DROP TABLE search_index")
    result = lrm("search", "ada")
    assert result.exit_code == 6
    assert result.stderr.strip() == (
        "lrm: error: the search index is missing (hint: lrm db check --rebuild-search)"
    )
    result = lrm("add", "Someone")
    assert result.exit_code == 6 and "lrm db check" in result.stderr


def test_db_check_on_a_damaged_database_exits_6(lrm, db_path):
    for k in range(40):
        assert lrm("add", f"Person {k}", "-e", f"p{k}@example.org").exit_code == 0
    lrm("list")  # the WAL folded into the file
    conn = sqlite3.connect(db_path)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'contact_method'"
        ).fetchone()
    finally:
        conn.close()
    with open(db_path, "r+b") as fh:
        fh.seek((root - 1) * page_size + 8)
        fh.write(bytes(range(256)) * (page_size // 256 - 1))
    result = lrm("db", "check")
    assert result.exit_code == 6, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lrm: error:")


# --- completion and references: a later word -----------------------------------------------


def test_completion_offers_names_by_a_later_word(lrm, people, db_path, lrm_exe):
    def complete(prefix: str) -> list[str]:
        done = run_exe(lrm_exe, "__complete", "contacts", prefix, "--db", str(db_path))
        assert done.returncode == 0 and not done.stderr
        return done.stdout.splitlines()

    assert complete("rodr") == ["Maya Rodriguez"]
    assert complete("Rod") == ["Maya Rodriguez"]
    assert added(lrm, "Rodney Brooks") and added(lrm, "Ana Rodrigo")
    # the names that start with it first, then those with a later word that does
    assert complete("rod") == ["Rodney Brooks", "Ana Rodrigo", "Maya Rodriguez"]
    assert complete("lovelace") == ["Ada Lovelace"]  # the archived "Old Friend" is not offered
    assert complete("") == sorted(complete(""), key=str.casefold)


def test_references_match_a_later_word(lrm, people):
    result = lrm("show", "rodr", "--json")
    assert result.exit_code == 0 and result.json()["name"] == "Maya Rodriguez"
    result = lrm("show", "nobody-here")
    assert result.exit_code == 3 and "lrm search 'nobody-here'" in result.stderr


def test_terminal_table_colours_the_matched_words():
    import io

    from lrm_cli.cli.search import _highlighted
    from lrm_cli.render import Output

    out = Output("rich", color=True, stdout=io.StringIO(), width=60)
    rows = [
        ["2", "Jörg Müller", "name", "Jörg Müller"],
        ["1", "Ada Lovelace", "note #1", "Prefers long letters to Müller's calls and more"],
    ]
    _highlighted(out, rows, [((5, 11),), ((24, 30),)])
    _, first, second = out.stdout.getvalue().splitlines()
    yellow, reset = "\033[33m", "\033[0m"
    assert first.endswith(f"Jörg {yellow}Müller{reset}")
    assert f"{yellow}Müller{reset}'s" in second and second.endswith("…")
    narrow = Output("rich", color=True, stdout=io.StringIO(), width=40)
    _highlighted(narrow, rows, [((5, 11),), ((24, 30),)])
    assert narrow.stdout.getvalue().splitlines()[2].endswith("Prefers long…")  # cut before
