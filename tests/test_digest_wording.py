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
