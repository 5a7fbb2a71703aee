"""`lrm export json` / `lrm import json`: the whole database out and back, exactly.

Today is pinned to 2026-11-29 (Europe/London) by the autouse fixture.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from conftest import ok
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrm_cli.clock import Clock
from lrm_cli.formats import json_io as json_doc
from lrm_cli.services import json_io
from lrm_cli.store import dump
from lrm_cli.store.db import Database
from lrm_cli.store.schema_version import HEAD_REVISION
from lrm_cli.store.tables import DATA_TABLES as TABLES  # every table of data


def populate(lrm) -> None:
    """Something of every kind, with awkward text."""
    run = lambda *a: ok(lrm(*a))  # noqa: E731
    run(
        "add",
        "Ada Lovelace",
        "--email",
        "ada@example.org",
        "--phone",
        "+44 20 7946 0000",
        "--tag",
        "mentors",
        "--cadence",
        "30d",
        "--birthday",
        "1815-12-10",
        "--how-met",
        'At "the" salon, 1833; via Mary',
        "--org",
        "Analytical Engines, Ltd",
    )
    run("add", "Grace Hopper", "--tag", "close-friends", "--nickname", "Amazing Grace")
    run("tag", "cadence", "close-friends", "14d")
    run("add", "山田 太郎", "--email", "taro@example.jp", "--birthday", "--02-29")
    run("add", "Zoë 🎉 O'Brien-Łukasz", "--title", "Chief \\ Backslash")
    run("add", "Bob Archived", "--cadence", "7d")
    run(
        "log",
        "ada",
        "--kind",
        "call",
        "--initiator",
        "me",
        "--when",
        "2026-10-20",
        "--summary",
        'Talked about "engines", poems; tea',
        "--sentiment",
        "2",
    )
    run(
        "log",
        "ada",
        "grace",
        "--kind",
        "meal",
        "--initiator",
        "them",
        "--when",
        "2026-11-22",
        "--weight",
        "1.5",
    )
    run("log", "山田", "--kind", "message", "--when", "2026-09-01")
    run("log", "bob", "--when", "2026-01-01")
    run("archive", "bob")
    run("snooze", "grace", "--until", "2026-12-10")
    run("note", "ada", 'Line one\nline two, with "quotes" — and ✓', "--pin")
    run("note", "山田", "日本語のメモ")
    run("relate", "ada", "grace", "--as", "friend")
    run("relate", "zoë", "ada", "--as", "mentor")
    run("date", "add", "ada", "--kind", "anniversary", "--on", "--12-05", "--label", "Wedding")
    run("remind", "ada", "send the article, with care", "--on", "2026-12-04", "--every", "3m")
    run("remind", "grace", "call back", "--on", "2026-11-01")
    run("done", "2")


_CACHE: dict[str, Path] = {}


@pytest.fixture
def book(lrm, db_path, tmp_path_factory):
    """``lrm`` on a database filled by ``populate`` (built once, then copied: ~20 commands
    are worth running once per module, not once per test)."""
    cached = _CACHE.get("book")
    if cached is None:
        populate(lrm)
        cached = tmp_path_factory.mktemp("book") / "book.sqlite3"
        src, dst = sqlite3.connect(db_path), sqlite3.connect(cached)
        src.backup(dst)
        src.close()
        dst.close()
        _CACHE["book"] = cached
    else:
        for suffix in ("-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(cached, db_path)
    return lrm


def fresh_db(template: Path, folder: Path, name: str) -> Path:
    path = folder / name
    shutil.copyfile(template, path)
    path.chmod(0o600)
    return path


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def without_exported_at(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if '"exported_at"' not in line)


# --- export -----------------------------------------------------------------------------------


def test_export_writes_every_table_with_schema_and_version(book):
    lrm = book
    doc = ok(lrm("export", "json")).json()
    assert doc["format"] == "lrm"
    assert doc["schema"] == HEAD_REVISION
    assert doc["lrm_version"]
    assert doc["exported_at"] == "2026-11-29T12:00:00+00:00"
    assert [t["name"] for t in doc["tags"]] == ["close-friends", "mentors"]
    assert {t["name"]: t["cadence_days"] for t in doc["tags"]}["close-friends"] == 14
    assert len(doc["contacts"]) == 5
    ada = doc["contacts"][0]
    assert ada["name"] == "Ada Lovelace"
    assert ada["how_met"] == 'At "the" salon, 1833; via Mary'
    assert ada["methods"] == [
        {
            "kind": "email",
            "value": "ada@example.org",
            "label": None,
            "preferred": False,
            "components": None,
        },
        {
            "kind": "phone",
            "value": "+442079460000",
            "label": None,
            "preferred": False,
            "components": None,
        },
    ]
    assert ada["tags"] == ["mentors"]
    assert ada["notes"][0]["body"] == 'Line one\nline two, with "quotes" — and ✓'
    assert ada["notes"][0]["pinned"] is True
    assert ada["important_dates"][0]["date"] == "--12-05"
    assert doc["contacts"][4]["archived_at"] is not None
    assert len(doc["interactions"]) == 4
    meal = doc["interactions"][1]
    assert meal["weight"] == 1.5 and meal["initiator"] == "them"
    assert sorted(meal["participants"]) == meal["participants"]
    assert {c["uid"] for c in doc["contacts"][:2]} == set(meal["participants"])
    assert [(r["title"], r["recurrence"], r["done_at"] is not None) for r in doc["reminders"]] == [
        ("send the article, with care", "FREQ=MONTHLY;INTERVAL=3", False),
        ("call back", None, True),
    ]
    assert len(doc["relationships"]) == 2
    assert "contact_stats" not in json.dumps(doc)


def test_export_is_deterministic_and_readable(book):
    lrm = book
    first = ok(lrm("export", "json")).stdout
    second = ok(lrm("export", "json")).stdout
    assert first == second
    assert "山田 太郎" in first  # UTF-8, not \u escapes
    assert first.count("\n") > 20  # one record per line, not one long line


def test_the_streamed_export_is_the_document_of_every_row(book, db_path, tmp_path):
    """What `export json` streams (interactions written by SQLite) is, byte for byte,
    the document json.dumps makes of every row read at once, on stdout and in --out."""
    lrm = book
    streamed = ok(lrm("export", "json")).stdout
    db = Database(db_path)
    try:
        with db.read() as conn:
            whole = json_doc.encode(
                dump.read_all(conn),
                schema=HEAD_REVISION,
                exported_at=Clock.pinned(__import__("datetime").date(2026, 11, 29)).timestamp,
                version=json.loads(streamed)["lrm_version"],
            )
    finally:
        db.close()
    assert streamed == whole
    target = tmp_path / "out.json"
    ok(lrm("export", "json", "--out", str(target)))
    assert target.read_text("utf-8") == whole


def test_export_to_a_file_is_private_and_reports(book, tmp_path):
    lrm = book
    target = tmp_path / "backup.json"
    result = ok(lrm("export", "json", "--out", str(target), "--json"))
    report = result.json()
    assert report["path"] == str(target)
    assert report["counts"]["contacts"] == 5 and report["counts"]["interactions"] == 4
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text("utf-8"))["format"] == "lrm"
    human = ok(lrm("export", "json", "--out", str(target)))
    assert "5 contacts" in human.stderr and human.stdout == ""


def test_export_to_a_missing_folder_is_an_error(lrm, tmp_path):
    result = lrm("export", "json", "--out", str(tmp_path / "nope" / "x.json"))
    assert result.exit_code == 5
    assert "does not exist" in result.stderr


# --- round trip -------------------------------------------------------------------------------


def test_round_trip_into_an_empty_database_is_exact(book, tmp_path, template_db):
    lrm = book
    exported = tmp_path / "a.json"
    ok(lrm("export", "json", "--out", str(exported)))
    other = fresh_db(template_db, tmp_path, "b.sqlite3")
    report = ok(lrm("--db", str(other), "import", "json", str(exported), "--json")).json()
    assert report["mode"] == "restore"
    assert report["created"]["contacts"] == 5
    assert report["created"]["interactions"] == 4
    assert report["created"]["notes"] == 2
    assert not any(report["skipped"].values())

    again = ok(lrm("--db", str(other), "export", "json")).stdout
    assert without_exported_at(again) == without_exported_at(exported.read_text("utf-8"))

    for command in (
        ("list", "--all", "--json"),
        ("due", "--json"),
        ("balance", "--json"),
        ("reminders", "--all", "--json"),
        ("upcoming", "--days", "60", "--json"),
        ("timeline", "ada", "--json"),
        *[("show", str(i), "--json") for i in range(1, 6)],
    ):
        mine = lrm(*command)
        theirs = lrm("--db", str(other), *command)
        assert mine.exit_code == theirs.exit_code == 0, (command, mine.stderr, theirs.stderr)
        assert mine.stdout == theirs.stdout, command


def _schema(path: Path) -> set[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return set(conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"))
    finally:
        conn.close()


def test_a_restore_leaves_indexes_triggers_and_search_as_a_fresh_database(
    book, tmp_path, template_db
):
    """A restore loads without per-row triggers and indexes, then rebuilds them: the
    schema is the fresh one, search finds what was imported, db check finds nothing."""
    lrm = book
    exported = tmp_path / "a.json"
    ok(lrm("export", "json", "--out", str(exported)))
    other = fresh_db(template_db, tmp_path, "b.sqlite3")
    ok(lrm("--db", str(other), "import", "json", str(exported)))
    assert _schema(other) == _schema(template_db)
    for word, kind in (("engines", "interaction"), ("quotes", "note"), ("Lovelace", "name")):
        hits = ok(lrm("--db", str(other), "search", word, "--json")).json()
        assert kind in {h["kind"] for h in hits}, (word, hits)
    check = ok(lrm("--db", str(other), "db", "check", "--json")).json()
    assert check["search_index"]["status"] == "ok", check
    ok(lrm("--db", str(other), "log", "ada", "--summary", "zanzibar trip"))
    assert ok(lrm("--db", str(other), "search", "zanzibar", "--json")).json()


def test_undo_after_a_restore_empties_the_database(book, tmp_path, template_db):
    """The restore is one change in the undo journal, listing every row it added."""
    lrm = book
    exported = tmp_path / "a.json"
    ok(lrm("export", "json", "--out", str(exported)))
    other = fresh_db(template_db, tmp_path, "b.sqlite3")
    ok(lrm("--db", str(other), "import", "json", str(exported)))
    restored = counts(other)
    listed = ok(lrm("--db", str(other), "undo", "--list", "--json")).json()
    assert len(listed) == 1 and "import json" in listed[0]["command"]
    assert {t: n["insert"] for t, n in listed[0]["rows"].items()} == {
        t: n for t, n in restored.items() if n
    }
    ok(lrm("--db", str(other), "undo"))
    assert set(counts(other).values()) == {0} and restored["interaction"] == 4
    assert ok(lrm("--db", str(other), "search", "engines", "--json")).json() == []


def test_import_from_stdin(book, tmp_path, template_db):
    lrm = book
    text = ok(lrm("export", "json")).stdout
    other = fresh_db(template_db, tmp_path, "b.sqlite3")
    result = ok(lrm("--db", str(other), "import", "json", "-", input=text))
    assert "created 5 contacts" in result.stdout
    assert counts(other)["interaction"] == 4


def _awkward(punctuation: str):
    return st.lists(
        st.one_of(
            st.sampled_from(list(punctuation)),
            st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
            st.sampled_from(["😀", "👩‍👩‍👧", "山田", "Ω", "ёж", "عربي", "\u200d", "e\u0301"]),
        ),
        max_size=12,
    ).map("".join)


AWKWARD = _awkward(",;:\"'\\ {}[]")  # one-line fields: no control character at all
AWKWARD_LINES = _awkward(",;:\"'\\\n\t {}[]")  # notes and summaries: newlines and tabs too
NAME = AWKWARD.filter(lambda s: s.strip() != "")


@st.composite
def books(draw):
    """A few contacts with awkward text in every text field, notes, interactions."""
    contacts = []
    for _ in range(draw(st.integers(1, 4))):
        contacts.append(
            {
                "name": draw(NAME),
                "given_name": draw(st.none() | AWKWARD),
                "family_name": draw(st.none() | AWKWARD),
                "nickname": draw(st.none() | AWKWARD),
                "organization": draw(st.none() | AWKWARD),
                "title": draw(st.none() | AWKWARD),
                "how_met": draw(st.none() | AWKWARD),
                "label": draw(st.none() | AWKWARD),
                "email": draw(
                    st.none() | st.from_regex(r"[a-z0-9.+]{1,8}@[a-z]{1,6}\.org", fullmatch=True)
                ),
                "tag": draw(st.none() | st.from_regex(r"[a-zé0-9-]{1,8}", fullmatch=True)),
                "notes": draw(st.lists(AWKWARD_LINES.filter(lambda s: s.strip()), max_size=2)),
                "summary": draw(st.none() | AWKWARD_LINES),
                "merged_uids": draw(st.lists(AWKWARD.filter(str.strip), max_size=2, unique=True)),
                # up to a year after the test's today (2026-11-29), as lrm takes
                "at": draw(st.integers(0, LATEST_TAKEN)),
            }
        )
    return contacts


LATEST_TAKEN = int(datetime(2027, 11, 29, tzinfo=UTC).timestamp())


def _load(path: Path, book: list[dict]) -> None:
    from lrm_cli.store import contacts as contact_store
    from lrm_cli.store import records

    db = Database(path)
    try:
        with db.write() as conn:
            ids = []
            for i, c in enumerate(book):
                fields = {
                    k: c[k]
                    for k in (
                        "given_name",
                        "family_name",
                        "nickname",
                        "organization",
                        "title",
                        "how_met",
                    )
                }
                cid = contact_store.insert(conn, {"display_name": c["name"], **fields}, c["at"])
                ids.append(cid)
                if c["email"]:
                    conn.execute(
                        "INSERT INTO contact_method (contact_id, kind, value, label, "
                        "is_preferred, position) VALUES (?, 'email', ?, ?, 0, 0)",
                        (cid, c["email"], c["label"]),
                    )
                if c["tag"]:
                    contact_store.add_tags(conn, cid, [c["tag"]])
                for body in c["notes"]:
                    records.insert_note(conn, cid, body, False, c["at"])
                conn.executemany(  # `lrm merge`'s; one drawn twice stays with the first
                    "INSERT OR IGNORE INTO merged_uid (uid, contact_id) VALUES (?, ?)",
                    [(uid, cid) for uid in c["merged_uids"]],
                )
                records.insert_interaction(
                    conn,
                    occurred_at=c["at"],
                    kind="meal",
                    initiator="mutual",
                    summary=c["summary"],
                    sentiment=None,
                    weight=None,
                    contact_ids=ids[: i + 1],
                    now=c["at"],
                )
    finally:
        db.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(book=books())
def test_hypothesis_round_trip_of_awkward_text(template_db, book):
    clock = Clock.pinned(__import__("datetime").date(2026, 11, 29))
    with tempfile.TemporaryDirectory() as folder:
        a = fresh_db(template_db, Path(folder), "a.sqlite3")
        b = fresh_db(template_db, Path(folder), "b.sqlite3")
        _load(a, book)
        db_a, db_b = Database(a), Database(b)
        try:
            text = json_io.export_document(db_a, clock).text
            json_io.import_document(db_b, text.encode(), "a.json", clock)
            assert json_io.export_document(db_b, clock).text == text
            with db_a.read() as ca, db_b.read() as cb:
                assert dump.read_all(ca) == dump.read_all(cb)
        finally:
            db_a.close()
            db_b.close()


# --- refusals ---------------------------------------------------------------------------------


def test_a_non_empty_database_is_refused_without_merge(book, tmp_path):
    lrm = book
    exported = tmp_path / "a.json"
    ok(lrm("export", "json", "--out", str(exported)))
    before = counts(Path(lrm("db", "path", "--json").json()["path"]))
    result = lrm("import", "json", str(exported))
    assert result.exit_code == 5
    assert result.stderr.count("\n") == 1 and "--merge" in result.stderr
    assert counts(Path(lrm("db", "path", "--json").json()["path"])) == before
    as_json = lrm("import", "json", str(exported), "--json")
    assert as_json.exit_code == 5
    assert json.loads(as_json.stderr)["error"]["code"] == "conflict"


def _document(lrm) -> dict:
    return ok(lrm("export", "json")).json()


def test_a_newer_schema_is_refused(book, tmp_path, template_db):
    lrm = book
    doc = _document(lrm)
    doc["schema"] = f"{int(HEAD_REVISION) + 1:04d}"
    path = tmp_path / "future.json"
    path.write_text(json.dumps(doc), "utf-8")
    other = fresh_db(template_db, tmp_path, "b.sqlite3")
    result = lrm("--db", str(other), "import", "json", str(path))
    assert result.exit_code == 6
    assert "newer lrm" in result.stderr
    assert counts(other)["contact"] == 0


def test_malformed_json_is_reported_with_line_and_column(lrm, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{\n  "format": "lrm",\n  oops\n}\n', "utf-8")
    result = lrm("import", "json", str(path))
    assert result.exit_code == 5
    assert f"{path}:3:3: malformed JSON" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (
            lambda d: d["contacts"][3]["methods"].append({"kind": "pager", "value": "1"}),
            "contacts[3].methods[0].kind",
        ),
        (
            lambda d: d["contacts"][0]["methods"][0].update(value="not an email"),
            "contacts[0].methods[0].value",
        ),
        (lambda d: d["contacts"][1].pop("name"), "contacts[1].name"),
        (lambda d: d["contacts"][2].update(birthday="1984"), "contacts[2].birthday"),
        (
            lambda d: d["contacts"][0]["notes"][0].update(created_at="yesterday"),
            "contacts[0].notes[0].created_at",
        ),
        (
            lambda d: d["interactions"][2]["participants"].append("no-such-uid"),
            "interactions[2].participants[1]",
        ),
        (lambda d: d["interactions"][0].update(sentiment=7), "interactions[0].sentiment"),
        (
            lambda d: d["interactions"][1].update(uid=d["interactions"][0]["uid"]),
            "interactions[1].uid",
        ),
        (lambda d: d["relationships"][0].update(kind="nemesis"), "relationships[0].kind"),
        (lambda d: d["reminders"][1].update(due_on="soon"), "reminders[1].due_on"),
        (lambda d: d.update(contacts={}), "contacts"),
        (lambda d: d["contacts"].append(7), "contacts[5]"),
        # ids past what JSON tools keep exactly (domain.MAX_ID): the search index's
        # rowid (id * 16 + kind) overflowed on them, a database error after the checks
        (lambda d: d["contacts"][1].update(id=2**60), "contacts[1].id"),
        (lambda d: d["interactions"][0].update(id=2**53), "interactions[0].id"),
        (lambda d: d["contacts"][0]["notes"][0].update(id=2**62), "contacts[0].notes[0].id"),
        # a cadence past what `lrm cadence` takes (domain.MAX_DURATION_DAYS): `show`
        # failed on it afterwards, a date out of range
        (lambda d: d["contacts"][2].update(cadence_days=36501), "contacts[2].cadence_days"),
        (lambda d: d["tags"][0].update(cadence_days=10**15), "tags[0].cadence_days"),
    ],
)
def test_an_invalid_record_is_named_by_its_path_and_nothing_is_written(
    book, tmp_path, template_db, mutate, path
):
    lrm = book
    doc = _document(lrm)
    mutate(doc)
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    other = fresh_db(template_db, tmp_path, "b.sqlite3")
    result = lrm("--db", str(other), "import", "json", str(source))
    assert result.exit_code == 5, result.stderr
    assert f"{source}: {path}:" in result.stderr
    assert result.stderr.count("\n") == 1
    assert counts(other) == dict.fromkeys(TABLES, 0)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty file"),
        ("[1, 2]", "expected a JSON object"),
        ('{"format": "vcard"}', "not an lrm export"),
        ('{"format": "lrm", "schema": 2}', "schema"),
    ],
)
def test_other_files_are_refused(lrm, tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_text(content, "utf-8")
    result = lrm("import", "json", str(path))
    assert result.exit_code == 5
    assert message in result.stderr


def test_a_missing_file_is_not_found(lrm, tmp_path):
    result = lrm("import", "json", str(tmp_path / "nope.json"))
    assert result.exit_code == 3
    assert "no such file" in result.stderr


def test_a_hand_written_file_without_ids_is_restored(lrm):
    doc = {
        "format": "lrm",
        "schema": HEAD_REVISION,
        "contacts": [
            {
                "uid": "u1",
                "name": "Ada",
                "created_at": "2026-01-01T10:00:00+01:00",
                "updated_at": 1767261600,
            },
            {"uid": "u2", "name": "Bea", "id": 1, "created_at": 0, "updated_at": 0},
        ],
        "interactions": [
            {
                "uid": "i1",
                "occurred_at": "2026-11-01T12:00:00Z",
                "kind": "call",
                "initiator": "me",
                "created_at": 0,
                "participants": ["u1", "u2"],
            },
        ],
    }
    result = ok(lrm("import", "json", "-", input=json.dumps(doc)))
    assert "created 2 contacts" in result.stdout
    listed = {c["name"]: c for c in lrm("list", "--json").json()}
    assert listed["Bea"]["id"] == 1 and listed["Ada"]["id"] == 2
    assert listed["Ada"]["created_at"] == "2026-01-01T09:00:00+00:00"
    assert listed["Ada"]["last_contact"] == "2026-11-01T12:00:00+00:00"


# --- merge ------------------------------------------------------------------------------------


def test_merge_adds_new_records_and_skips_what_is_there(book, tmp_path, template_db):
    lrm = book
    first = tmp_path / "first.json"
    ok(lrm("export", "json", "--out", str(first)))
    other = fresh_db(template_db, tmp_path, "b.sqlite3")
    ok(lrm("--db", str(other), "import", "json", str(first)))
    # In B: Ada gets a different organisation and loses her nickname-less state elsewhere.
    ok(lrm("--db", str(other), "edit", "ada", "--org", "Kept in B", "--email", "b@example.org"))
    # In A: new things on existing contacts, and a new contact.
    ok(lrm("edit", "grace", "--title", "Rear Admiral", "--email", "grace@example.org"))
    ok(lrm("note", "grace", "Only in A"))
    ok(lrm("add", "Alan Turing", "--tag", "colleagues"))
    ok(lrm("log", "alan", "grace", "--kind", "meeting", "--when", "2026-11-25"))
    ok(lrm("remind", "alan", "lunch", "--on", "2026-12-20"))
    second = tmp_path / "second.json"
    ok(lrm("export", "json", "--out", str(second)))
    before = counts(other)

    report = ok(lrm("--db", str(other), "import", "json", str(second), "--merge", "--json"))
    report = report.json()
    assert report["mode"] == "merge"
    assert report["created"] == {
        "contacts": 1,
        "tags": 1,
        "contact_tags": 1,
        "methods": 1,
        "important_dates": 0,
        "notes": 1,
        "relationships": 0,
        "interactions": 1,
        "reminders": 1,
    }
    assert report["updated"] == {"contacts": 1, "tags": 0}  # Grace (title, email, note)
    assert report["skipped"]["contacts"] == 4
    assert report["skipped"]["interactions"] == 4
    assert report["skipped"]["notes"] == 2
    assert report["skipped"]["reminders"] == 2
    assert report["skipped"]["relationships"] == 2
    after = counts(other)
    assert after["contact"] == before["contact"] + 1
    assert after["note"] == before["note"] + 1
    assert after["interaction"] == before["interaction"] + 1
    assert after["interaction_participant"] == before["interaction_participant"] + 2

    ada = lrm("--db", str(other), "show", "ada", "--json").json()
    assert ada["organization"] == "Kept in B"  # never overwritten
    assert ada["emails"] == ["ada@example.org", "b@example.org"]
    grace = lrm("--db", str(other), "show", "grace", "--json").json()
    assert grace["title"] == "Rear Admiral"  # an empty field filled
    assert "grace@example.org" in grace["emails"]
    assert [n["body"] for n in grace["notes"]] == ["Only in A"]
    assert lrm("--db", str(other), "due", "--json").exit_code == 0
    alan = lrm("--db", str(other), "list", "--search", "Alan", "--json").json()[0]
    assert alan["last_contact"] is not None  # stats recomputed for new interactions

    # Importing the same file again changes nothing.
    again = ok(lrm("--db", str(other), "import", "json", str(second), "--merge", "--json"))
    assert not any(again.json()["created"].values())
    assert counts(other) == after


def test_merge_into_an_empty_database_restores(book, tmp_path, template_db):
    lrm = book
    text = ok(lrm("export", "json")).stdout
    other = fresh_db(template_db, tmp_path, "b.sqlite3")
    report = ok(lrm("--db", str(other), "import", "json", "-", "--merge", "--json", input=text))
    assert report.json()["mode"] == "restore"
    assert without_exported_at(ok(lrm("--db", str(other), "export", "json")).stdout) == (
        without_exported_at(text)
    )


def test_decode_is_pure_and_checks_revisions():
    text = json_doc.encode(
        {"tags": [], "contacts": [], "relationships": [], "interactions": [], "reminders": []},
        schema="0001",
        exported_at=0,
        version="x",
    )
    where = {"head_revision": "0002", "today": date(2026, 11, 29), "zone": UTC}
    decoded = json_doc.decode(text, "t.json", **where)
    assert decoded.schema == "0001" and decoded.counts()["contacts"] == 0
    with pytest.raises(Exception, match="newer lrm"):
        json_doc.decode(text.replace('"0001"', '"0003"'), "t.json", **where)
