"""formats/ical._Builder.written writes a component as the library's ``to_ical`` does, sending
only the lines long enough to fold through the library's folding: the bytes must stay
the library's, at the fold's edge above all (74, 75, 76 octets; a character of several
octets across it; an escape across it)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lrm_cli.formats import ical

# ASCII, escapes, and characters of two, three and four octets: lines of every length
pieces = st.sampled_from(["a", "b ", ",", ";", "\\", "\n", "é", "‘", "😀", "^", '"'])
texts = st.lists(pieces, min_size=0, max_size=90).map("".join)

items = st.builds(
    ical.CalItem,
    uid=st.from_regex(r"lrm-[a-z0-9.+_-]{1,70}", fullmatch=True),
    summary=texts,
    start=st.dates(date(1900, 1, 1), date(2200, 12, 31)),
    stamp=st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC)),
    start_at=st.none()
    | st.datetimes(datetime(1900, 1, 1), datetime(2200, 1, 1), timezones=st.just(UTC)),
    todo=st.booleans(),
    rrule=st.none() | st.sampled_from(["FREQ=YEARLY", "FREQ=WEEKLY;INTERVAL=2"]),
    trigger=st.none() | st.integers(-30, 0).map(lambda d: timedelta(days=d)),
    alarm=texts,
    contact=st.none() | texts.filter(bool),
    # an X- property is written as it is: no newline (the library refuses one, as to_ical)
    extra=st.lists(
        st.tuples(st.just("X-LRM-KIND"), texts.map(lambda t: t.replace("\n", " ")).filter(bool)),
        max_size=2,
    ).map(tuple),
)


@settings(max_examples=400, deadline=None)
@given(items)
def test_an_item_is_written_as_the_library_writes_it(item):
    builder = ical._Builder()
    component = builder.component(item)
    assert builder.written(component) == component.to_ical()


def test_lines_at_the_edge_of_the_fold_are_the_librarys():
    """SUMMARY lines of 73 to 77 octets, ending in a character of one, two or four
    octets or in an escape: each as the library folds it (or does not)."""
    for length in range(73 - len("SUMMARY:"), 78 - len("SUMMARY:")):
        for end in ("a", "é", "😀", ","):
            summary = "x" * (length - len(end.encode()) - (end == ",")) + end
            item = ical.CalItem(
                "lrm-edge", summary, date(2026, 1, 1), datetime(2026, 1, 1, tzinfo=UTC)
            )
            builder = ical._Builder()
            component = builder.component(item)
            assert builder.written(component) == component.to_ical()


# few values, so that items share them: dates, people, triggers, rules and extras
shared_items = st.builds(
    ical.CalItem,
    uid=st.from_regex(r"lrm-[a-z0-9]{1,8}", fullmatch=True),
    summary=texts,
    start=st.sampled_from([date(2026, 1, 1), date(2026, 1, 2), date(1990, 2, 28)]),
    stamp=st.sampled_from([datetime(2026, 1, 1, tzinfo=UTC), datetime(2025, 5, 5, tzinfo=UTC)]),
    todo=st.booleans(),
    rrule=st.none() | st.sampled_from(["FREQ=YEARLY", "FREQ=WEEKLY;INTERVAL=2"]),
    trigger=st.none() | st.sampled_from([timedelta(0), timedelta(days=-1), timedelta(hours=-15)]),
    alarm=st.sampled_from(["", "Tomorrow"]),
    contact=st.none() | st.sampled_from(["Ada", "Ada;, Lovelace", "é" * 80]),
    extra=st.lists(
        st.tuples(st.sampled_from(["X-LRM-KIND", "X-LRM-YEAR"]), st.sampled_from(["1990", "a,b"])),
        max_size=2,
    ).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(shared_items, min_size=2, max_size=25))
def test_items_sharing_values_are_each_written_as_the_library_writes_it(items):
    """component_bytes encodes a value many items have once and renders its line once
    (_Builder.shared): each item's bytes are still those of the library adding every
    property to that item alone."""
    alone = ical._Builder(share=False)
    assert list(ical.component_bytes(items)) == [alone.component(i).to_ical() for i in items]
