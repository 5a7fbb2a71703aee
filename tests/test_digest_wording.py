"""What the digest says under a person due reads right on the day: lrm's own merge note is
not news, and a reminder past its day is overdue, not coming up."""

from __future__ import annotations

from conftest import ok


def _under(text: str, name: str) -> list[str]:
    """The lines under ``name``'s line in the digest's Reach out section."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if name in line and "overdue" in line)
    out = []
    for line in lines[start + 1 :]:
        if not line.startswith("    "):
            break
        out.append(line.strip())
    return out


def test_the_note_a_merge_writes_is_not_a_new_note(lrm):
    ok(lrm("add", "Ann Lee", "--cadence", "30d"))
    ok(lrm("add", "Ann Leigh", "--org", "Acme"))
    ok(lrm("log", "ann lee", "--when", "2026-10-01", "--summary", "Lisbon trip"))
    ok(lrm("merge", "ann lee", "ann leigh", "--yes"))
    digest = ok(lrm("digest", "--json")).json()
    (ann,) = [i for i in digest["due"] if i["name"] == "Ann Lee"]
    assert ann["recent_note"] is None
    assert not any(line.startswith("new note") for line in _under(lrm("digest").stdout, "Ann"))
    # a note of the user's written after it is news again
    ok(lrm("note", "ann lee", "Starts at Acme in January"))
    assert "new note" in "\n".join(_under(lrm("digest").stdout, "Ann"))


def test_a_reminder_past_its_day_is_overdue_not_coming_up(lrm):
    ok(lrm("add", "Ann Lee", "--cadence", "30d"))
    ok(lrm("log", "ann", "--when", "2026-09-01"))
    ok(lrm("--today", "2026-10-01", "remind", "ann", "Send the photos", "--on", "2026-10-16"))
    lines = _under(ok(lrm("digest")).stdout, "Ann")
    assert "overdue: reminder #1 Send the photos, due 2026-10-16 (44 days ago)" in lines
    assert not any(line.startswith("coming up") for line in lines)


def test_a_tag_cadence_names_its_tag_as_show_does(lrm):
    ok(lrm("add", "Ann Lee", "--tag", "friends", "--tag", "book-club"))
    ok(lrm("tag", "cadence", "friends", "21d"))
    ok(lrm("tag", "cadence", "book-club", "60d"))
    ok(lrm("add", "Bo Chen", "--tag", "zz", "--tag", "aa"))  # a tie: the first by name
    ok(lrm("tag", "cadence", "zz", "7d"))
    ok(lrm("tag", "cadence", "aa", "7d"))
    ok(lrm("add", "Cy Diaz", "--cadence", "10d", "--tag", "friends"))  # their own comes first
    for who in ("ann", "bo", "cy"):
        ok(lrm("log", who, "--when", "2026-10-01"))
    text = ok(lrm("digest")).stdout
    assert "(last contact 2026-10-01; every 21 days, tag friends)" in text
    assert "(last contact 2026-10-01; every 7 days, tag aa)" in text
    assert "(last contact 2026-10-01; every 10 days, explicit)" in text
    due = {i["name"]: i for i in ok(lrm("digest", "--json")).json()["due"]}
    assert [due[n]["cadence_tag"] for n in ("Ann Lee", "Bo Chen", "Cy Diaz")] == [
        "friends",
        "aa",
        None,
    ]
    shown = ok(lrm("show", "ann", "--json")).json()["cadence"]
    assert shown["tag"] == due["Ann Lee"]["cadence_tag"]


def test_an_inferred_cadence_says_how_many_interactions_it_was_taken_over(lrm):
    ok(lrm("add", "Ann Lee"))
    ok(lrm("add", "Bo Chen"))
    for day in ("2026-08-01", "2026-08-11", "2026-08-21", "2026-11-01"):  # gaps 10, 10, 72
        ok(lrm("log", "ann", "--when", day))
    for n in range(12):  # more than the sample: the last 10 count (gaps of 1 day: 7, the least)
        ok(lrm("log", "bo", "--when", f"2026-07-{n + 1:02d}"))
    text = ok(lrm("digest")).stdout
    assert "(last contact 2026-11-01; every 10 days, inferred from 4 interactions)" in text
    assert "(last contact 2026-07-12; every 7 days, inferred from 10 interactions)" in text
    due = {i["name"]: i for i in ok(lrm("digest", "--json")).json()["due"]}
    shown = ok(lrm("show", "ann", "--json")).json()["cadence"]
    assert due["Ann Lee"]["cadence_inferred_from"] == shown["inferred_from"] == 4
    assert due["Bo Chen"]["cadence_inferred_from"] == 10
    # as of a past day, over the interactions logged by then
    past = ok(lrm("digest", "--date", "2026-09-05")).stdout
    assert "(last contact 2026-08-21; every 10 days, inferred from 3 interactions)" in past
