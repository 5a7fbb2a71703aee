"""`lrm undo`: every write command can be reverted, exactly, and the aggregates follow."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import ok
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lrm_cli.store.undo import JOURNALED

VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Katherine Johnson\r\nEMAIL:kj@example.org\r\nEND:VCARD\r\n"
)


@pytest.fixture
def seeded(lrm, tmp_path, built):
    """Two people with a little of everything, every row in the journal's reach."""
    built(_seed)
    (tmp_path / "k.vcf").write_text(VCARD)
    return lrm


def _seed(lrm) -> None:
    lrm("add", "Ada Lovelace", "--email", "ada@example.org", "--tag", "friends")
    lrm("add", "Charles Babbage", "--phone", "+44 20 7946 0000")
    lrm("log", "ada", "charles", "--kind", "meal", "--initiator", "them", "--when", "3 days ago")
    lrm("log", "ada", "--kind", "call", "--when", "40 days ago", "--summary", "Long call")
    lrm("note", "ada", "Prefers letters")
    lrm("remind", "ada", "Send the article", "--on", "tomorrow")
    lrm("relate", "ada", "charles", "--as", "friend")
    lrm("date", "add", "ada", "--kind", "anniversary", "--on", "--07-08")
    lrm("add", "Grace Hopper")
    lrm("archive", "grace")


def dump(db_path: Path) -> dict[str, list]:
    """Every journaled row (with its rowid) and the scheduler's aggregates."""
    conn = sqlite3.connect(db_path)
    try:
        out = {
            t: conn.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall()
            for t in JOURNALED
        }
        out["contact_stats"] = [
            # 12 significant digits: the sums are kept by adding one term per write and
            # rebuilt by adding them all in another order, which moves the last bits
            tuple(float(f"{v:.12g}") if isinstance(v, float) else v for v in row)
            for row in conn.execute("SELECT * FROM contact_stats ORDER BY contact_id")
        ]
        return out
    finally:
        conn.close()


WRITES = [
    ("add", "Hedy Lamarr", "--email", "hedy@example.org", "--tag", "navy"),
    ("edit", "ada", "--org", "Royal Society", "--title", "Countess"),
    ("archive", "charles"),
    ("unarchive", "grace"),
    ("forget", "charles", "--yes"),
    ("cadence", "ada", "30d"),
    ("tag", "add", "ada", "mentors"),
    ("tag", "rm", "ada", "friends"),
    ("tag", "cadence", "friends", "14d"),
    ("note", "ada", "Another note"),
    ("note", "edit", "1", "Prefers long letters", "--pin"),
    ("note", "rm", "1"),
    ("log", "ada", "--kind", "gift", "--initiator", "me"),
    ("interaction", "edit", "1", "--initiator", "me", "--when", "10 days ago"),
    ("interaction", "edit", "1", "--remove", "charles"),
    ("interaction", "rm", "1"),
    ("relate", "ada", "charles", "--as", "colleague"),
    ("relate", "ada", "charles", "--rm"),
    ("date", "add", "ada", "--kind", "custom", "--on", "--03-01", "--label", "Met"),
    ("date", "rm", "ada", "1"),
    ("remind", "charles", "Call back", "--on", "in 3 days", "--every", "1m"),
    ("reminder", "edit", "1", "--on", "in 2 weeks"),
    ("reminder", "rm", "1"),
    ("done", "1"),
    ("snooze", "ada", "--until", "in 2 weeks"),
    ("merge", "ada", "charles", "--yes"),
    ("import", "vcard", "{tmp}/k.vcf"),
]


@pytest.mark.parametrize("args", WRITES, ids=lambda a: " ".join(a[:3]))
def test_each_write_command_is_reverted_exactly(seeded, db_path, tmp_path, args):
    before = dump(db_path)
    result = seeded(*(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert result.exit_code == 0, result.stderr
    assert dump(db_path) != before, "the command wrote nothing"
    undone = seeded("undo")
    assert undone.exit_code == 0, undone.stderr
    assert undone.stdout.startswith("undid #")
    assert dump(db_path) == before


def test_undo_walks_back_one_change_at_a_time_then_says_nothing_is_left(lrm, db_path):
    lrm("add", "Ada Lovelace")
    lrm("log", "ada", "--kind", "call")
    lrm("note", "ada", "Hello")
    listed = lrm("undo", "--list", "--json").json()
    assert [c["command"] for c in listed] == ["lrm note", "lrm log", "lrm add"]
    assert listed[0]["rows"]["note"] == {"insert": 1}
    assert "1 note removed" in lrm("undo").stdout
    assert "1 interaction removed" in lrm("undo").stdout
    assert "1 contact removed" in lrm("undo").stdout
    assert lrm("list", "--json").json() == []
    nothing = lrm("undo")
    assert nothing.exit_code == 3
    assert "nothing to undo" in nothing.stderr
    assert lrm("undo", "--list").stdout == ""


def test_reads_and_refused_writes_leave_nothing_to_undo(lrm):
    lrm("add", "Ada Lovelace")
    lrm("list")
    lrm("due")
    lrm("digest")
    assert lrm("log", "ada", "--when", "next friday").exit_code == 5
    assert len(lrm("undo", "--list", "--json").json()) == 1


def test_the_journal_triggers_name_every_column_of_every_journaled_table(lrm, db_path):
    """A later migration that adds a column must create the table's triggers again."""
    lrm("list")
    conn = sqlite3.connect(db_path)
    triggers = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    for table in JOURNALED:
        info = list(conn.execute(f"PRAGMA table_info({table})"))
        keys = [r[1] for r in info if r[5]]
        for op in ("insert", "update", "delete"):
            assert f"undo_{table}_{op}" in triggers, (table, op)
        for _, column, kind, _, _, _ in info:
            # the id of contact_tag and interaction_participant (migration 0023) is their
            # rowid, which their triggers name the row by since 0007
            named = f'quote(old."{column}")'
            as_rowid = keys == [column] and kind == "INTEGER"
            for op in ("update", "delete"):
                trigger = triggers[f"undo_{table}_{op}"]
                assert named in trigger or (as_rowid and "old.rowid" in trigger), (table, column)


# --- the aggregates after any sequence of writes, edits, deletes and undos ----------------

OPS = st.lists(
    st.one_of(
        st.tuples(
            st.just("log"),
            st.integers(0, 2),
            st.integers(1, 400),
            st.sampled_from(["me", "them", "mutual"]),
            st.sampled_from(["call", "gift", "message"]),
        ),
        st.tuples(
            st.just("edit"),
            st.integers(1, 6),
            st.integers(1, 400),
            st.sampled_from(["me", "them", "mutual"]),
        ),
        st.tuples(st.just("move"), st.integers(1, 6), st.integers(0, 2)),
        st.tuples(st.just("rm"), st.integers(1, 6)),
        st.tuples(st.just("merge"), st.integers(0, 2), st.integers(0, 2)),
        st.tuples(st.just("undo")),
    ),
    min_size=1,
    max_size=15,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(OPS)
@example([("log", 1, 5, "me", "call"), ("merge", 0, 1), ("undo",)])  # Bob's call moves to Ada
def test_aggregates_after_any_writes_edits_deletes_and_undos_equal_a_rebuild(tmp_path, ops):
    from lrm_cli.clock import Clock
    from lrm_cli.domain import LrmError
    from lrm_cli.scheduler import SchedulerSettings
    from lrm_cli.services import corrections, merge, records, undo
    from lrm_cli.services.stats import recompute
    from lrm_cli.store.db import Database

    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "lrm.sqlite3"  # one per example
    db = Database(path)
    clock = Clock.pinned(date(2026, 11, 29), ZoneInfo("Europe/London"))
    settings_ = SchedulerSettings()
    try:
        with db.write() as conn:
            for name in ("Ada", "Bob", "Cy"):
                conn.execute(
                    "INSERT INTO contact (uid, display_name, created_at, updated_at) "
                    "VALUES (?, ?, 0, 0)",
                    (name, name),
                )
            # their (empty) aggregates, as `add` makes
            recompute(conn, [1, 2, 3], settings_, clock.zone)
        names = ["Ada", "Bob", "Cy"]
        for op in ops:
            try:
                if op[0] == "log":
                    request = records.LogRequest(
                        [names[op[1]]], kind=op[4], initiator=op[3], when=f"{op[2]} days ago"
                    )
                    records.log_interaction(db, request, clock, settings_)
                elif op[0] == "edit":
                    edit = corrections.InteractionEdit(when=f"{op[2]} days ago", initiator=op[3])
                    corrections.edit_interaction(db, op[1], edit, clock, settings_)
                elif op[0] == "move":
                    edit = corrections.InteractionEdit(add=[names[op[2]]])
                    corrections.edit_interaction(db, op[1], edit, clock, settings_)
                elif op[0] == "rm":
                    corrections.remove_interaction(db, op[1], clock, settings_)
                elif op[0] == "merge":  # the other's interactions move to the one kept
                    merge.merge_contacts(db, names[op[1]], names[op[2]], clock, settings_)
                else:
                    undo.undo_last(db, settings_, clock.zone)
            except LrmError:
                pass  # an id that does not exist (yet, or any more): refused, nothing written
        kept = _with_interactions(dump(path)["contact_stats"])
        with db.write(journal=False) as conn:
            recompute(
                conn, [r[0] for r in conn.execute("SELECT id FROM contact")], settings_, clock.zone
            )
        assert _with_interactions(dump(path)["contact_stats"]) == kept
    finally:
        db.close()


def _with_interactions(stats: list[tuple]) -> list[tuple]:
    """The aggregates of contacts with an interaction: readers take a contact without a
    row as one without interactions (a LEFT JOIN), so an empty row and none are the same."""
    return [row for row in stats if row[1]]


# --- the journal lists only rows that really changed ---------------------------------------


def _exported(lrm, tmp_path: Path) -> tuple[dict, Path]:
    import json

    lrm("add", "Ada Lovelace", "--email", "ada@example.org", "--tag", "friends")
    lrm("add", "Charles Babbage", "--phone", "+44 20 7946 0000")
    lrm("note", "charles", "Prefers letters")
    path = tmp_path / "book.json"
    path.write_text(lrm("export", "json").stdout)
    return json.loads(path.read_text()), path


def _merged(lrm, tmp_path: Path, book: dict, change) -> tuple[dict, list[dict]]:
    """``book`` changed by ``change`` (a function of Charles's record), imported with
    --merge into an empty database that first imported ``book`` as it was."""
    import json

    before = tmp_path / "before.json"
    before.write_text(json.dumps(book))
    (charles,) = [c for c in book["contacts"] if c["name"] == "Charles Babbage"]
    change(charles)
    after = tmp_path / "after.json"
    after.write_text(json.dumps(book))
    other = str(tmp_path / "other.sqlite3")
    assert lrm("--db", other, "import", "json", str(before)).exit_code == 0
    report = lrm("--db", other, "import", "json", str(after), "--merge", "--json")
    assert report.exit_code == 0, report.stderr
    return report.json(), lrm("--db", other, "undo", "--list", "--json").json()


def test_a_merge_journals_only_the_contact_it_changed_once(lrm, tmp_path):
    """Ada is already there as in the file: skipped, not in the journal; Charles has a
    new organisation: one contact changed (it was "2" for his two updates)."""
    book, _ = _exported(lrm, tmp_path)
    report, journal = _merged(lrm, tmp_path, book, lambda c: c.update(organization="NPL"))
    assert report["updated"]["contacts"] == 1 and report["skipped"]["contacts"] == 1
    assert journal[0]["rows"] == {"contact": {"update": 1}}
    other = str(tmp_path / "other.sqlite3")
    undone = lrm("--db", other, "undo")
    assert undone.stdout.endswith(": 1 contact restored\n"), undone.stdout
    assert lrm("--db", other, "show", "charles", "--json").json()["organization"] is None


def test_a_merge_that_changes_nothing_leaves_nothing_to_undo(lrm, tmp_path):
    book, _ = _exported(lrm, tmp_path)
    report, journal = _merged(lrm, tmp_path, book, lambda c: None)
    assert report["updated"]["contacts"] == 0 and report["skipped"]["contacts"] == 2
    assert len(journal) == 1  # the first import only


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["methods"][0].update(label="work"),
        lambda c: c["methods"][0].update(preferred=True),
        lambda c: c["notes"][0].update(pinned=True),
        lambda c: c.update(created_at="2001-01-01T00:00:00+00:00"),
    ],
    ids=["label", "preferred", "pin", "earlier created_at"],
)
def test_a_merge_that_fills_a_detail_says_it_updated_the_contact(lrm, tmp_path, change):
    """An identical method or note taking the file's label, preferred mark or pin (or an
    earlier created_at) is a change: the report said "skipped", the journal "changed"."""
    book, _ = _exported(lrm, tmp_path)
    report, journal = _merged(lrm, tmp_path, book, change)
    assert report["updated"]["contacts"] == 1 and report["skipped"]["contacts"] == 1
    assert len(journal) == 2  # the first import, and the merge
    assert all(ops == {"update": 1} for ops in journal[0]["rows"].values())


def test_an_update_that_leaves_a_row_as_it_was_is_not_journaled(lrm, db_path):
    """The journal's own rule (store/undo.py), for any write: an UPDATE setting what is
    already there is no change; a row updated twice in one change is one change."""
    from lrm_cli.store.db import Database

    lrm("add", "Ada Lovelace", "--org", "NPL")
    db = Database(db_path)
    try:
        with db.write() as conn:
            conn.execute("UPDATE contact SET organization = organization")
        with db.write() as conn:
            conn.execute("UPDATE contact SET title = 'Countess'")
            conn.execute("UPDATE contact SET title = 'Dr'")
    finally:
        db.close()
    journal = lrm("undo", "--list", "--json").json()
    assert [c["rows"] for c in journal][:1] == [{"contact": {"update": 1}}]
    assert len(journal) == 2  # the add, and the one real change
    assert lrm("undo").stdout.endswith(": 1 contact restored\n")
    assert lrm("show", "ada", "--json").json()["title"] is None


def test_after_undoing_a_merge_the_one_kept_is_due_again(lrm):
    """The merged contact's calls move to the one kept; undoing the merge moves them back,
    and the one kept is due again as before (was: left with the other's last contact)."""
    lrm("add", "Ann A", "--cadence", "7d")
    lrm("add", "Bea B")
    lrm("log", "ann", "--kind", "call", "--initiator", "them", "--when", "20 days ago")
    lrm("log", "bea", "--kind", "call", "--when", "yesterday")
    before = lrm("due", "--json").json()
    assert [i["name"] for i in before] == ["Ann A"]
    assert lrm("merge", "ann", "bea", "--yes").exit_code == 0
    assert lrm("due", "--json").json() == []
    assert lrm("undo").exit_code == 0
    assert lrm("due", "--json").json() == before


# --- one change alone: a slip found after other work ------------------------------------


def _last_change_id(lrm) -> int:
    return lrm("undo", "--list", "--json").json()[0]["id"]


@pytest.mark.parametrize("args", WRITES, ids=lambda a: " ".join(a[:3]))
def test_each_write_is_reverted_alone_leaving_a_later_unrelated_one(
    seeded, db_path, tmp_path, args
):
    before = dump(db_path)
    result = seeded(*(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert result.exit_code == 0, result.stderr
    slip = _last_change_id(seeded)
    assert seeded("add", "Zora Neale Hurston").exit_code == 0
    undone = seeded("undo", str(slip))
    assert undone.exit_code == 0, undone.stderr
    assert undone.stdout.startswith(f"undid #{slip} ")
    assert "Zora Neale Hurston" in [c["name"] for c in seeded("list", "--all", "--json").json()]
    assert seeded("undo").exit_code == 0  # the later add
    assert dump(db_path) == before


def test_a_wrong_merge_is_undone_after_other_work(lrm):
    lrm("add", "Ada Lovelace")
    lrm("add", "Ada King", "--org", "Lovelace Estate")
    lrm("add", "Grace Hopper")
    lrm("log", "ada king", "--summary", "Tea")
    lrm("merge", "grace", "ada king", "--yes")
    merge = _last_change_id(lrm)
    lrm("log", "grace", "--summary", "Ships")
    lrm("note", "ada lovelace", "Likes maths")
    undone = lrm("undo", str(merge), "--json")
    assert undone.exit_code == 0, undone.stderr
    assert undone.json()["command"].startswith("lrm merge")
    names = {c["name"]: c for c in lrm("list", "--json").json()}
    assert set(names) == {"Ada Lovelace", "Ada King", "Grace Hopper"}
    king = lrm("show", str(names["Ada King"]["id"]), "--json").json()
    grace = lrm("show", "grace", "--json").json()
    assert [i["summary"] for i in king["interactions"]] == ["Tea"]
    assert [i["summary"] for i in grace["interactions"]] == ["Ships"]
    assert grace["aliases"] == [] and grace["organization"] is None
    assert [n["body"] for n in lrm("show", "ada lovelace", "--json").json()["notes"]] == [
        "Likes maths"
    ]


def _refused(lrm, db_path, change: int):
    before, history = dump(db_path), lrm("undo", "--list", "--json").json()
    result = lrm("undo", str(change))
    assert result.exit_code == 5
    assert dump(db_path) == before and lrm("undo", "--list", "--json").json() == history
    return result


def test_a_change_a_later_one_built_on_is_refused_naming_it(lrm, db_path):
    lrm("add", "Ada Lovelace")
    lrm("edit", "ada", "--org", "Royal Society")
    first = _last_change_id(lrm)
    lrm("edit", "ada", "--title", "Countess")
    second = _last_change_id(lrm)
    lrm("add", "Grace Hopper")
    result = _refused(lrm, db_path, first)
    assert f"cannot undo #{first} (lrm edit" in result.stderr
    assert f"1 later change changed the same records: #{second} (lrm edit" in result.stderr
    assert "Grace" not in result.stderr
    assert f"lrm undo {second}, then lrm undo {first}" in result.stderr


def test_a_change_whose_revert_would_take_a_later_row_along_is_refused(lrm, db_path):
    lrm("add", "Ada Lovelace")
    lrm("add", "Grace Hopper")
    lrm("tag", "add", "ada", "navy")  # makes the tag
    made = _last_change_id(lrm)
    lrm("tag", "add", "grace", "navy")  # reverting the first would delete Grace's tagging
    tagged = _last_change_id(lrm)
    result = _refused(lrm, db_path, made)
    assert f"changed the same records: #{tagged} (lrm tag add" in result.stderr


def test_a_change_whose_rows_clash_with_a_later_one_is_refused(lrm, db_path):
    lrm("add", "Ada Lovelace", "--tag", "navy")
    lrm("add", "Grace Hopper", "--tag", "maths")
    lrm("tag", "rm", "ada", "navy")  # the tag goes with its last use
    removed = _last_change_id(lrm)
    lrm("tag", "add", "grace", "navy")  # the same name, another row
    result = _refused(lrm, db_path, removed)
    assert "clashes with a later change" in result.stderr


def test_undo_of_a_change_the_history_does_not_hold(lrm):
    lrm("add", "Ada Lovelace")
    result = lrm("undo", "99")
    assert result.exit_code == 3
    assert "no change #99 in the undo history" in result.stderr
    assert lrm("undo", "1", "--list").exit_code == 5


def test_a_forgotten_contact_comes_back_alone_after_later_adds_notes_logs_and_reminders(
    lrm, db_path
):
    """The forgotten person held the newest id of every table; the writes after it would
    have been given those ids again (SQLite's largest id + 1) and the undo refused. Ids
    are never given twice (migration 0023): the undo puts Grace back, numbered as before."""
    ok(lrm("add", "Ada Lovelace"))
    ok(lrm("add", "Grace Hopper", "--tag", "navy"))
    ok(lrm("note", "grace", "Talked about COBOL"))
    ok(lrm("log", "grace", "--kind", "call", "--summary", "compilers"))
    ok(lrm("remind", "grace", "Send the paper", "--on", "2026-12-20"))
    grace = lrm("show", "grace", "--json").json()
    ok(lrm("forget", "grace", "--yes"))
    forgot = _last_change_id(lrm)
    ok(lrm("add", "Alan Turing", "--tag", "maths"))
    ok(lrm("note", "alan", "Enigma"))
    ok(lrm("log", "alan", "--kind", "call", "--summary", "machines"))
    ok(lrm("remind", "alan", "Lend the book", "--on", "2026-12-21"))
    alan = lrm("show", "alan", "--json").json()
    assert alan["id"] != grace["id"]
    ok(lrm("undo", str(forgot)))
    assert lrm("show", str(grace["id"]), "--json").json() == grace
    assert lrm("show", str(alan["id"]), "--json").json() == alan


def test_an_undone_change_number_is_not_given_to_the_next_change(lrm):
    ok(lrm("add", "Ada Lovelace"))
    ok(lrm("add", "Grace Hopper"))
    slip = _last_change_id(lrm)
    ok(lrm("undo"))
    ok(lrm("add", "Grace Hopper"))
    assert _last_change_id(lrm) > slip  # (the undo itself took one, and kept none)


def test_a_change_whose_rows_refer_to_a_contact_forgotten_since_is_refused(lrm, db_path):
    lrm("add", "Ada Lovelace")
    lrm("add", "Grace Hopper")
    lrm("relate", "ada", "grace", "--as", "friend")
    lrm("relate", "ada", "grace", "--rm")
    unrelated = _last_change_id(lrm)
    lrm("forget", "grace", "--yes")  # the relationship put back would name nobody
    forgot = _last_change_id(lrm)
    result = _refused(lrm, db_path, unrelated)
    assert f"changed the same records: #{forgot} (lrm forget" in result.stderr
    assert f"lrm undo {forgot}, then lrm undo {unrelated}" in result.stderr
