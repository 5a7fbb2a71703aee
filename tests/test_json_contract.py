"""The JSON shapes scripts rely on (docs/json.md): exact key sets, so a rename or a drop
fails here. Adding a key means adding it here and to docs/json.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

# in the order the output has them (scripts may read them positionally, and diffs stay calm)
CONTACT_KEYS = [
    "id",
    "uid",
    "name",
    "given_name",
    "family_name",
    "nickname",
    "organization",
    "title",
    "emails",
    "phones",
    "tags",
    "birthday",
    "how_met",
    "cadence_days",
    "snoozed_until",
    "archived",
    "created_at",
    "updated_at",
]
CONTACT = set(CONTACT_KEYS)
EXPORTED_CONTACT_KEYS = [
    "id",
    "uid",
    "name",
    "given_name",
    "family_name",
    "nickname",
    "organization",
    "title",
    "birthday",
    "how_met",
    "cadence_days",
    "snoozed_until",
    "archived_at",
    "created_at",
    "updated_at",
    "org_units",
    "name_parts",
    "vcard_extra",
    "vcard_uid",
    "methods",
    "tags",
    "aliases",
    "merged_uids",
    "important_dates",
    "notes",
]
INTERACTION = {
    "id",
    "uid",
    "occurred_at",
    "kind",
    "initiator",
    "summary",
    "sentiment",
    "weight",
    "participants",
}
NOTE = {"id", "contact_id", "body", "pinned", "created_at"}
DATE = {"id", "kind", "label", "date", "remind_days_before"}
SHOW_EXTRA = {
    "org_units",
    "methods",
    "aliases",
    "notes",
    "interactions",
    "important_dates",
    "relationships",
    "related_names",
    "cadence",
    "snoozed",
    "due",
    "balance",
    "health",
    "reminders",
}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def _populate(lrm):
    lrm("add", "Ada Lovelace", "--email", "ada@example.org", "--tag", "mentors")
    lrm("add", "Charles Babbage")
    lrm("note", "ada", "hello")
    lrm("log", "ada", "charles", "--kind", "call", "--when", "2026-11-20")
    lrm("relate", "ada", "charles", "--as", "friend")
    lrm("date", "add", "ada", "--on", "--06-21")


def test_contact_shapes(lrm):
    added = lrm("add", "Ada", "--json").json()
    assert list(added) == CONTACT_KEYS
    assert TIMESTAMP.match(added["created_at"])
    for command in (
        ["edit", "ada", "--org", "X"],
        ["tag", "add", "ada", "t"],
        ["tag", "rm", "ada", "t"],
        ["archive", "ada"],
        ["unarchive", "ada"],
    ):
        saved = lrm(*command, "--json").json()
        assert list(saved) == [*CONTACT_KEYS, "changed"], command
        assert saved["changed"] is True, command
    (item,) = lrm("list", "--json").json()
    assert list(item) == [*CONTACT_KEYS, "last_contact"]


def test_show_shape(lrm):
    _populate(lrm)
    lrm("remind", "ada", "Send the paper")
    shown = lrm("show", "ada", "--json").json()
    assert set(shown) == CONTACT | SHOW_EXTRA
    assert list(shown)[: len(CONTACT_KEYS)] == CONTACT_KEYS
    (exported,) = [
        c for c in lrm("export", "json").json()["contacts"] if c["name"] == "Ada Lovelace"
    ]
    assert list(exported) == EXPORTED_CONTACT_KEYS
    assert set(shown["methods"][0]) == {"kind", "value", "label", "preferred", "components"}
    assert set(shown["notes"][0]) == NOTE
    assert set(shown["interactions"][0]) == INTERACTION
    assert set(shown["interactions"][0]["participants"][0]) == {"id", "name"}
    assert set(shown["important_dates"][0]) == DATE
    assert set(shown["relationships"][0]) == {"id", "kind", "label", "contact"}
    assert set(shown["reminders"][0]) == REMINDER


def test_history_shapes(lrm):
    _populate(lrm)
    logged = lrm("log", "ada", "--json").json()
    assert set(logged) == INTERACTION
    assert TIMESTAMP.match(logged["occurred_at"])
    assert set(lrm("note", "ada", "x", "--json").json()) == NOTE
    items = lrm("timeline", "ada", "--json").json()
    kinds = {i["type"] for i in items}
    assert kinds == {"interaction", "note"}
    for item in items:
        base = INTERACTION if item["type"] == "interaction" else NOTE
        assert set(item) == base | {"type", "at"}
    assert set(lrm("relate", "charles", "ada", "--as", "colleague", "--json").json()) == {
        "contact",
        "kind",
        "label",
        "other",
        "changed",
    }
    assert set(lrm("date", "add", "ada", "--on", "--01-02", "--json").json()) == DATE | {"changed"}
    assert all(set(d) == DATE for d in lrm("date", "list", "ada", "--json").json())


def test_forget_and_db_shapes(lrm, db_path):
    _populate(lrm)
    gone = lrm("forget", "charles", "--yes", "--json").json()
    assert set(gone) == {"forgotten", "removed", "cards_left", "purged"}
    assert gone["cards_left"] == [] and gone["purged"] is None
    purged = lrm("forget", "ada", "--yes", "--purge", "--json").json()["purged"]
    assert purged == {
        "undo_changes": purged["undo_changes"],
        "log_emptied": True,
        "copies_left": [],
    }
    assert purged["undo_changes"] > 0
    assert set(gone["forgotten"]) == CONTACT
    assert set(gone["removed"]) == {
        "notes",
        "methods",
        "important_dates",
        "tags",
        "relationships",
        "reminders",
        "interactions",
        "shared_interactions",
        "cards",
    }
    assert set(lrm("db", "path", "--json").json()) == {"path", "exists"}
    backup = db_path.with_name("backup.sqlite3")
    assert set(lrm("db", "backup", str(backup), "--json").json()) == {"path"}
    restored = lrm("db", "restore", str(backup), "--yes", "--json").json()
    assert set(restored) == {"path", "restored_from", "schema", "safety_copy"}


def test_error_shape_is_one_json_line_on_stderr(lrm):
    result = lrm("show", "nobody", "--json")
    assert result.exit_code == 3
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert json.loads(line) == {
        "error": {
            "code": "not_found",
            "message": "no contact matches 'nobody'",
            "hint": "lrm search 'nobody'",
        }
    }


def test_every_json_key_is_documented():
    doc = (Path(__file__).parent.parent / "docs" / "json.md").read_text()
    for key in CONTACT | INTERACTION | NOTE | DATE | SHOW_EXTRA | {"last_contact"}:
        assert f"`{key}`" in doc or f"{key}," in doc or f"{key}}}" in doc, key


DUE = {
    "id",
    "name",
    "last_contact",
    "cadence_days",
    "cadence_source",
    "due_on",
    "overdue_days",
    "urgency",
}
BALANCE = {"id", "name", "balance", "label", "initiated_by_me", "initiated_by_them", "mutual"}
UPCOMING = {
    "date",
    "kind",
    "contact",
    "title",
    "days_until",
    "turns",
    "lead_days",
    "reminder_id",
    "interaction_id",
}
REMINDER = {"id", "uid", "title", "due_on", "recurrence", "done", "contact", "overdue_days"}
DRIFT = {"id", "name", "recent_count", "previous_count", "recent_rate", "previous_rate"}
LOSING = {"id", "name", "last_contact", "added_on", "days_since", "interactions"}
CADENCE = {"days", "source", "tag", "inferred_from"}
TAG = {"tag", "contacts", "archived", "cadence_days"}
DIGEST_DUE = {
    "cadence_tag",
    "cadence_inferred_from",
    "last_interaction",
    "pinned_note",
    "recent_note",
    "reach",
    "coming_up",
    "next_step",
}
DIGEST_LISTED = {"last_topic"}  # each item of due, drifting, one_sided, losing_touch
TOPIC = {"date", "summary"}
COMING_UP = {"date", "kind", "title", "days_until", "turns", "reminder_id"}
NEXT_STEP = {"rule", "text", "because"}
REACH = {"kind", "value", "label", "source"}


def test_scheduler_shapes(lrm):
    lrm("add", "Ada", "--cadence", "7d", "--birthday", "--12-01", "--email", "ada@example.org")
    lrm("log", "ada", "--when", "2026-10-01", "--initiator", "me")
    for day in ("2025-07-01", "2025-08-01", "2025-09-01", "2025-10-01", "2025-11-01"):
        lrm("log", "ada", "--when", day)
    lrm("remind", "ada", "call", "--on", "2026-12-01")
    (due,) = lrm("due", "--json").json()
    assert set(due) == DUE
    (balance,) = lrm("balance", "--json").json()
    assert set(balance) == BALANCE
    lrm("add", "Bo")  # a plan with someone else: Ada stays due, alone in balance
    lrm("log", "bo", "--when", "2026-12-02", "--future", "--summary", "lunch")
    items = lrm("upcoming", "--json").json()
    assert {u["kind"] for u in items} == {"birthday", "reminder", "planned"}
    assert all(set(u) == UPCOMING for u in items)
    assert set(lrm("reminders", "--json").json()[0]) == REMINDER
    (drift,) = lrm("drift", "--json").json()
    assert set(drift) == DRIFT
    lrm("--today", "2025-01-01", "add", "Bob")  # no cadence, not contacted since
    (lost,) = lrm("losing-touch", "--json").json()
    assert set(lost) == LOSING
    digest = lrm("digest", "--json").json()
    assert [set(i) for i in digest["losing_touch"]] == [LOSING | DIGEST_LISTED]
    assert [set(i) for i in digest["drifting"]] == [DRIFT | DIGEST_LISTED]
    assert set(digest) == {
        "date",
        "upcoming_days",
        "due",
        "upcoming",
        "reminders",
        "drifting",
        "one_sided",
        "losing_touch",
        "totals",
        "untracked_names",
    }
    assert set(digest["totals"]) == {
        "due",
        "drifting",
        "losing_touch",
        "one_sided_more",
        "untracked",
        "reminders",
    }
    assert isinstance(digest["totals"]["one_sided_more"], bool)
    assert set(digest["due"][0]) == DUE | DIGEST_DUE | DIGEST_LISTED
    assert set(digest["reminders"][0]) == REMINDER
    item = digest["due"][0]
    assert item["last_topic"] is None and digest["losing_touch"][0]["last_topic"] is None
    assert set(item["last_interaction"]) == {"date", "kind", "initiator", "summary"}
    assert set(item["reach"]) == REACH and item["pinned_note"] is None
    assert all(set(c) == COMING_UP for c in item["coming_up"]) and item["coming_up"]
    assert set(item["next_step"]) == NEXT_STEP
    explained = lrm("digest", "--json", "--explain").json()["due"][0]["next_step"]
    assert set(explained) == NEXT_STEP | {"checked"}
    assert all(set(c) == {"rule", "applies", "because"} for c in explained["checked"])
    health = lrm("show", "ada", "--json").json()["health"]
    assert set(health) == {"score", "components"}
    assert set(health["components"][0]) == {"name", "value", "weight", "explanation"}
    assert set(lrm("cadence", "ada", "14d", "--json").json()) == {
        "id",
        "name",
        "cadence_days",
        "changed",
    }
    shown = lrm("cadence", "ada", "--json").json()
    assert set(shown) == {"id", "name", "cadence_days", "cadence"}
    assert set(shown["cadence"]) == CADENCE
    assert set(lrm("show", "ada", "--json").json()["cadence"]) == CADENCE
    assert set(lrm("snooze", "ada", "--until", "2027-01-01", "--json").json()) == {
        "id",
        "name",
        "snoozed_until",
        "changed",
    }
    assert set(lrm("tag", "cadence", "friends", "14d", "--json").json()) == {
        "tag",
        "cadence_days",
        "changed",
    }
    snoozed = lrm("show", "ada", "--json").json()["snoozed"]
    assert set(snoozed) == {"until", "days_left"}
    (tag,) = lrm("tags", "--json").json()
    assert set(tag) == TAG


def test_scheduler_keys_are_documented():
    doc = (Path(__file__).parent.parent / "docs" / "json.md").read_text()
    for key in DUE | BALANCE | UPCOMING | REMINDER | DRIFT | DIGEST_DUE | COMING_UP | NEXT_STEP:
        assert key in doc, key
    assert "`last_topic`: `{date, summary}`" in doc
    for key in REACH | CADENCE | TAG | {"checked", "applies", "until", "days_left"}:
        assert f"`{key}`" in doc or f"{key}," in doc or f"{key}}}" in doc, key


SEARCH_HIT = {"contact", "kind", "item_id", "snippet", "highlights"}
DB_CHECK = {"path", "integrity", "search_index"}
SEARCH_INDEX = {"status", "problems", "rows"}


def test_search_and_db_check_keys(lrm):
    _populate(lrm)
    (hit,) = lrm("search", "lovelace", "--json").json()
    assert set(hit) == SEARCH_HIT
    assert set(hit["contact"]) == {"id", "name", "archived"}
    report = lrm("db", "check", "--json").json()
    assert set(report) == DB_CHECK
    assert set(report["search_index"]) == SEARCH_INDEX
    doc = (Path(__file__).parent.parent / "docs" / "json.md").read_text()
    for key in SEARCH_HIT | DB_CHECK | SEARCH_INDEX | {"archived"}:
        assert f"`{key}`" in doc or f"{key}," in doc or f"{key}}}" in doc, key


UNDO = {"id", "command", "at", "rows"}
UNRELATE = {"contact", "other", "kind", "removed"}
CHANGED = {"changed"}  # a write that may change nothing says whether it did


def test_correction_and_undo_shapes(lrm):
    _populate(lrm)
    lrm("log", "ada", "charles")
    lrm("note", "ada", "x")
    lrm("remind", "ada", "call", "--on", "tomorrow")
    lrm("relate", "ada", "charles", "--as", "friend")
    edited = lrm("interaction", "edit", "1", "--kind", "meal", "--json").json()
    assert set(edited) == INTERACTION | CHANGED
    assert set(lrm("note", "edit", "1", "y", "--json").json()) == NOTE | CHANGED
    rescheduled = lrm("reminder", "edit", "1", "--on", "in 3 days", "--json").json()
    assert set(rescheduled) == REMINDER | CHANGED
    assert set(lrm("relate", "ada", "charles", "--rm", "--json").json()) == UNRELATE
    listed = lrm("undo", "--list", "--json").json()
    assert listed and all(set(c) == UNDO for c in listed)
    undone = lrm("undo", "--json").json()
    assert set(undone) == UNDO and TIMESTAMP.match(undone["at"])
    assert set(lrm("reminder", "rm", "1", "--json").json()) == REMINDER
    assert set(lrm("note", "rm", "1", "--json").json()) == NOTE
    assert set(lrm("interaction", "rm", "1", "--json").json()) == INTERACTION
    doc = (Path(__file__).parent.parent / "docs" / "json.md").read_text()
    for key in UNDO | UNRELATE | CHANGED:
        assert f"`{key}`" in doc or f"{key}," in doc or f"{key}}}" in doc, key
