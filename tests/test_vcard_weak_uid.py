"""A UID of a few digits or characters (``UID:1``, as some apps number their cards) names a
card only within the file that wrote it: two apps' card 1 are two people. A contact found
by such a UID is the card's only when the names agree or they share an email or phone;
else the card is a contact of its own, under a UID of its own, found again when the file
is read again. A long UID (a UUID) is still trusted whatever the name says: a rename."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrm_cli.normalize import names_agree


def card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"]) + "\r\n"


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def imported(lrm, *args: str) -> dict:
    result = lrm("import", "vcard", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def people(lrm, *db: str) -> dict[str, dict]:
    listed = lrm(*db, "list", "--json").json()
    return {c["name"]: lrm(*db, "show", str(c["id"]), "--json").json() for c in listed}


ANN = card("UID:1", "FN:Ann Lee", "TEL:+49 30 1234567")
BOB = card("UID:1", "FN:Bob Stone", "EMAIL:bob@example.org")


def test_two_apps_card_1_are_two_people_and_stay_two_when_read_again(lrm, tmp_path):
    phone, laptop = write(tmp_path, "phone.vcf", ANN), write(tmp_path, "laptop.vcf", BOB)
    imported(lrm, phone)
    report = imported(lrm, laptop)
    assert (report["created"], report["updated"]) == (1, 0)  # was: Ann renamed Bob Stone
    found = people(lrm)
    assert set(found) == {"Ann Lee", "Bob Stone"}
    assert [m["value"] for m in found["Ann Lee"]["methods"]] == ["+49301234567"]
    assert [m["value"] for m in found["Bob Stone"]["methods"]] == ["bob@example.org"]
    tablet = write(tmp_path, "tablet.vcf", card("UID:1", "FN:Carol King"))  # a name alone
    imported(lrm, tablet)
    for path in (phone, laptop, tablet):
        again = imported(lrm, path)
        assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 1)
    assert set(people(lrm)) == {"Ann Lee", "Bob Stone", "Carol King"}
    exported = lrm("export", "vcard").stdout
    uids = [line for line in exported.splitlines() if line.startswith("UID:")]
    assert len(uids) == len(set(uids)) == 3  # each its own: a vdir or server keeps all


def test_two_people_with_one_short_uid_in_one_file_are_not_merged(lrm, tmp_path):
    report = imported(lrm, write(tmp_path, "both.vcf", ANN + BOB))
    assert report["created"] == 2
    assert not [w for w in report["warnings"] if "merged into one contact" in w]
    assert set(people(lrm)) == {"Ann Lee", "Bob Stone"}


def test_the_same_short_uid_of_one_person_is_still_one_contact(lrm, tmp_path):
    """Read again renamed ("Lee, Ann"), or renamed outright but with the same phone: the
    card's UID finds the contact it made, as before."""
    imported(lrm, write(tmp_path, "a.vcf", ANN))
    turned = card("UID:1", "FN:Lee, Ann", "TEL:+49 30 1234567", "EMAIL:ann@example.org")
    assert imported(lrm, write(tmp_path, "b.vcf", turned))["updated"] == 1
    married = card("UID:1", "FN:Ann Park", "TEL:+49 30 1234567")
    report = imported(lrm, write(tmp_path, "c.vcf", married))
    assert (report["created"], report["items"][0]["matched_by"]) == (0, "uid")
    assert list(people(lrm)) == ["Ann Park"]
    twice = imported(lrm, write(tmp_path, "d.vcf", married + married))
    assert any("UID 1 also on the card at line 1" in w for w in twice["warnings"])


def test_a_long_uid_is_trusted_whatever_the_name(lrm, tmp_path):
    uid = str(uuid.uuid4())
    imported(lrm, write(tmp_path, "a.vcf", card(f"UID:{uid}", "FN:Ann Lee")))
    report = imported(lrm, write(tmp_path, "b.vcf", card(f"UID:{uid}", "FN:Ann Park")))
    assert (report["created"], report["updated"]) == (0, 1)
    assert list(people(lrm)) == ["Ann Park"]


WORDS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=2, max_size=8)
NAMES = st.lists(WORDS, min_size=1, max_size=3).map(lambda w: " ".join(w).title())


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=NAMES,
    second=NAMES,
    uid=st.one_of(st.integers(0, 10**9).map(str), st.text("abcdef0123", min_size=1, max_size=7)),
)
def test_a_weak_uid_joins_two_cards_exactly_when_their_names_agree(
    lrm, tmp_path, template_db, first, second, uid
):
    db = tmp_path / f"weak-{uuid.uuid4().hex}.sqlite3"
    shutil.copyfile(template_db, db)
    for name in (first, second):
        text = card(f"UID:{uid}", f"FN:{name}")
        result = lrm("--db", str(db), "import", "vcard", "-", "--json", input=text)
        assert result.exit_code == 0, result.stderr
    names = [c["name"] for c in lrm("--db", str(db), "list", "--json").json()]
    if names_agree([first], [second]):
        assert names == [second]  # one person, renamed
    else:
        assert sorted(names) == sorted([first, second])
