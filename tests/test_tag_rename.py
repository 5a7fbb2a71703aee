"""`lrm tag rename`: a tag's typo fixed on every contact at once, or two tags made one."""

from __future__ import annotations

import sqlite3


def _tags(lrm) -> dict[str, tuple[int, int | None]]:
    return {t["tag"]: (t["contacts"], t["cadence_days"]) for t in lrm("tags", "--json").json()}


def _undo_changes(db_path) -> int:
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT count(*) FROM undo_change").fetchone()[0]


def test_a_misspelt_tag_is_renamed_on_every_contact(lrm, db_path):
    lrm("add", "Ada Lovelace", "--tag", "mentros")
    lrm("add", "Charles Babbage", "--tag", "mentros", "--tag", "friends")
    lrm("tag", "cadence", "mentros", "30d")
    lrm("export", "vcard")  # the cards are rendered (and cached) before the rename
    lrm("add", "Grace Hopper")
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE contact SET updated_at = 1000")
    conn.close()
    done = lrm("tag", "rename", "mentros", "mentors")
    assert done.exit_code == 0
    assert done.stdout == "renamed tag mentros to mentors: 2 contacts\n"
    assert _tags(lrm) == {"friends": (1, None), "mentors": (2, 30)}
    listed = lrm("list", "--tag", "mentors", "--json").json()
    assert [c["name"] for c in listed] == ["Ada Lovelace", "Charles Babbage"]
    cards = lrm("export", "vcard").stdout
    assert "mentros" not in cards and cards.count("mentors") == 2
    assert lrm("cadence", "ada", "--json").json()["cadence"]["tag"] == "mentors"
    # the contacts carrying it changed (a sync sends their cards); the others did not
    with sqlite3.connect(db_path) as conn:
        moved = dict(conn.execute("SELECT display_name, updated_at != 1000 FROM contact"))
    conn.close()
    assert moved == {"Ada Lovelace": 1, "Charles Babbage": 1, "Grace Hopper": 0}


def test_renaming_to_an_existing_tag_merges_the_two(lrm):
    lrm("add", "Ada Lovelace", "--tag", "mentros", "--tag", "mentors")
    lrm("add", "Charles Babbage", "--tag", "mentros")
    lrm("add", "Grace Hopper", "--tag", "mentors")
    lrm("tag", "cadence", "mentros", "30d")
    lrm("tag", "cadence", "mentors", "14d")
    done = lrm("tag", "rename", "mentros", "mentors", "--json").json()
    assert done == {
        "tag": "mentors",
        "was": "mentros",
        "contacts": 3,
        "joined": 1,  # Charles; Ada had both
        "merged": True,
        "cadence_days": 14,
        "cadence_dropped": 30,
        "changed": True,
    }
    assert _tags(lrm) == {"mentors": (3, 14)}  # the surviving tag keeps its own cadence
    assert lrm("show", "ada", "--json").json()["tags"] == ["mentors"]


def test_a_merge_says_who_joined_and_the_cadence_it_did_not_keep(lrm):
    lrm("add", "Ada Lovelace", "--tag", "mentros", "--tag", "mentors")
    lrm("add", "Charles Babbage", "--tag", "mentros")
    lrm("tag", "cadence", "mentros", "30d")
    lrm("tag", "cadence", "mentors", "14d")
    said = lrm("tag", "rename", "mentros", "mentors").stdout
    assert said == (
        "merged tag mentros into mentors: 1 contact joined, 2 now; mentors keeps its cadence,"
        " every 14 days (mentros's was every 30 days: lrm tag cadence mentors 30d takes it)\n"
    )
    lrm("undo")
    lrm("tag", "cadence", "mentors", "30d")  # the same cadence: nothing is lost, nothing said
    said = lrm("tag", "rename", "mentros", "mentors").stdout
    assert said == "merged tag mentros into mentors: 1 contact joined, 2 now\n"


def test_a_merged_tag_without_a_cadence_takes_the_old_ones(lrm):
    lrm("add", "Ada Lovelace", "--tag", "mentros")
    lrm("add", "Grace Hopper", "--tag", "mentors")
    lrm("tag", "cadence", "mentros", "30d")
    lrm("tag", "rename", "mentros", "mentors")
    assert _tags(lrm) == {"mentors": (2, 30)}
    assert lrm("cadence", "grace", "--json").json()["cadence"]["days"] == 30


def test_undo_brings_both_tags_back(lrm):
    lrm("add", "Ada Lovelace", "--tag", "mentros")
    lrm("add", "Grace Hopper", "--tag", "mentors")
    lrm("tag", "cadence", "mentros", "30d")
    before = _tags(lrm)
    lrm("tag", "rename", "mentros", "mentors")
    assert lrm("undo").exit_code == 0
    assert _tags(lrm) == before
    assert lrm("show", "ada", "--json").json()["tags"] == ["mentros"]


def test_a_rename_to_the_same_name_writes_nothing(lrm, db_path):
    lrm("add", "Ada Lovelace", "--tag", "mentors")
    changes = _undo_changes(db_path)
    same = lrm("tag", "rename", "Mentors", "mentors")
    assert same.exit_code == 0
    assert same.stdout == "no changes to tag mentors: already its name\n"
    assert _undo_changes(db_path) == changes
    # a change of case alone is a change
    assert lrm("tag", "rename", "mentors", "Mentors").exit_code == 0
    assert _tags(lrm) == {"Mentors": (1, None)}


def test_a_missing_tag_or_a_bad_name_is_refused(lrm):
    lrm("add", "Ada Lovelace", "--tag", "mentors")
    missing = lrm("tag", "rename", "nope", "x")
    assert missing.exit_code == 3
    assert "no tag 'nope'" in missing.stderr
    bad = lrm("tag", "rename", "mentors", "two words")
    assert bad.exit_code == 5
    assert _tags(lrm) == {"mentors": (1, None)}


def test_a_date_added_again_is_the_one_there_and_a_new_lead_time_updates_it(lrm):
    lrm("add", "Ada Lovelace")
    lrm("date", "add", "ada", "--on", "--07-08", "--label", "Wedding")
    again = lrm("date", "add", "ada", "--on", "--07-08", "--label", "Wedding", "--remind", "1w")
    assert again.stdout.startswith("updated #1 anniversary (Wedding)")
    assert [
        (d["id"], d["remind_days_before"]) for d in lrm("date", "list", "ada", "--json").json()
    ] == [(1, 7)]
    other = lrm("date", "add", "ada", "--on", "--07-09", "--label", "Wedding")
    assert other.stdout.startswith("added #2")
