"""A tag nobody carries and with no cadence is gone (migration 0020): it no longer sits in
`lrm tags` with 0 contacts, and a later typo of the tag meant is warned about again."""

from __future__ import annotations

import sqlite3

from conftest import ok


def _tags(lrm) -> dict[str, int]:
    return {t["tag"]: t["contacts"] for t in ok(lrm("tags", "--json")).json()}


def test_untagging_the_last_contact_lets_the_typo_warning_fire_again(lrm):
    ok(lrm("add", "Bob Stone", "--tag", "friends"))
    ok(lrm("add", "Amy Park"))
    slip = ok(lrm("tag", "add", "bob", "frends"))
    assert "did you mean 'friends'" in slip.stderr
    ok(lrm("tag", "rm", "bob", "frends"))
    assert _tags(lrm) == {"friends": 1}
    again = ok(lrm("tag", "add", "amy", "frends"))
    assert "did you mean 'friends'" in again.stderr


def test_undo_brings_the_tag_back_with_its_contact(lrm):
    ok(lrm("add", "Bob Stone", "--tag", "climbing"))
    ok(lrm("tag", "rm", "bob", "climbing"))
    assert _tags(lrm) == {}
    ok(lrm("undo"))
    assert _tags(lrm) == {"climbing": 1}
    assert "climbing" in ok(lrm("show", "bob", "--json")).json()["tags"]


def test_forget_and_merge_take_a_tag_with_its_last_contact(lrm):
    ok(lrm("add", "Bob Stone", "--tag", "band"))
    ok(lrm("add", "Robert Stone", "--tag", "chess"))
    ok(lrm("add", "Cy Dunn", "--tag", "poker"))
    ok(lrm("forget", "cy", "--yes"))
    assert "poker" not in _tags(lrm)
    ok(lrm("merge", "bob", "robert", "--yes"))
    assert _tags(lrm) == {"band": 1, "chess": 1}


def test_a_tag_with_a_cadence_stays_until_the_cadence_goes(lrm):
    ok(lrm("tag", "cadence", "mentors", "30d"))
    assert _tags(lrm) == {"mentors": 0}
    ok(lrm("add", "Ann Lee", "--tag", "mentors"))
    ok(lrm("tag", "rm", "ann", "mentors"))
    assert _tags(lrm) == {"mentors": 0}  # a cadence waiting for its contacts
    ok(lrm("tag", "cadence", "mentors", "--clear"))
    assert _tags(lrm) == {}


def test_the_migration_deletes_the_tags_left_unused_before_it(lrm, db_path):
    from lrm_cli.store import migrate

    ok(lrm("add", "Ann Lee", "--tag", "friends"))
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("DROP TRIGGER tag_unused_untagged")
        conn.execute("DROP TRIGGER tag_unused_cadence_cleared")
        conn.execute("INSERT INTO tag (name) VALUES ('frends')")
        conn.execute("INSERT INTO tag (name, cadence_days) VALUES ('mentors', 30)")
        conn.execute("DROP TABLE card_seen")  # (0022's: made again by the upgrade)
        conn.execute("DROP TABLE merged_uid")  # (0024's)
        conn.execute("UPDATE alembic_version SET version_num = '0019'")
    conn.close()
    migrate.upgrade(db_path, print)
    conn = sqlite3.connect(db_path)
    kept = [n for (n,) in conn.execute("SELECT name FROM tag ORDER BY name")]
    assert kept == ["friends", "mentors"]
    conn.close()


def test_a_cadence_for_a_misspelt_tag_is_warned_about_as_tag_add_is(lrm):
    """`tag cadence famly 1w` when "family" exists: the cadence would reach no one, so it
    says which tag was meant (and that undo takes it back); a new tag like no other is
    kept for the contacts to come, without a word."""
    ok(lrm("add", "Jon Smith", "--tag", "family"))
    slip = ok(lrm("tag", "cadence", "famly", "1w"))
    assert "'famly' is a new tag: did you mean 'family'? (lrm undo takes it back)" in slip.stderr
    ok(lrm("undo"))
    assert _tags(lrm) == {"family": 1}
    fresh = ok(lrm("tag", "cadence", "mentors", "30d"))
    assert fresh.stderr == ""
    again = ok(lrm("tag", "cadence", "family", "2w"))
    assert again.stderr == ""
