"""A note of several lines reads as one item in `show` and `timeline`: its later lines
stand in, under its text, not flush left where the next item would start."""

from __future__ import annotations

from conftest import ok


def test_a_notes_later_lines_stand_under_its_text(lrm):
    ok(lrm("add", "Ann Lee"))
    ok(lrm("note", "ann", "Moving to Lisbon\nasks about schools\n\nfollow up in May"))
    shown = ok(lrm("show", "ann")).stdout.splitlines()
    first = next(i for i, line in enumerate(shown) if "note #1: Moving to Lisbon" in line)
    assert shown[first].startswith("  ")
    assert shown[first + 1 : first + 4] == [
        "      asks about schools",
        "",
        "      follow up in May",
    ]
    timeline = ok(lrm("timeline", "ann")).stdout.splitlines()
    first = next(i for i, line in enumerate(timeline) if "note #1: Moving to Lisbon" in line)
    assert timeline[first + 1] == "    asks about schools"
    assert timeline[first + 3] == "    follow up in May"
