"""How results look to a person (rich and plain modes). JSON never comes through here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo

from lrm_cli.domain import (
    Contact,
    ContactDetail,
    ImportantDate,
    Interaction,
    Note,
    Relationship,
)
from lrm_cli.normalize import address_pairs, display_method
from lrm_cli.render.output import Output
from lrm_cli.words import cadence_source, every, in_days, milestone, plural, relation_word, signed


def when(moment: datetime | None, zone: tzinfo, out: Output) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(zone)
    if out.mode == "plain":
        return local.isoformat(timespec="seconds")
    return local.strftime("%Y-%m-%d %H:%M")


def contact_line(c: Contact) -> str:
    bits = [c.name]
    if c.organization:
        bits.append(f"({c.organization})")
    return " ".join(bits) + f" #{c.id}"


def contact_saved(out: Output, c: Contact, verb: str, changes: Sequence[str] = ()) -> None:
    """ "updated Ada Lovelace #1", then what changed, a line each ("  added email ...")."""
    out.line(f"{verb} {contact_line(c)}")
    for change in changes:
        out.line(f"  {change}")


def contact_list(out: Output, rows, zone: tzinfo, *, snoozed: bool = False) -> None:
    """``snoozed``: with the day each snooze ends (``list --snoozed``)."""
    table_rows = []
    for c in rows:
        last = ""
        if c.last_contact is not None:
            last = datetime.fromtimestamp(c.last_contact, zone).date().isoformat()
        table_rows.append(
            [
                str(c.id),
                c.name,
                c.organization or "",
                ",".join(c.tags),
                c.emails[0] if c.emails else "",
                last,
                *([c.snoozed_until or ""] if snoozed else []),
            ]
        )
    out.table(
        ["ID", "NAME", "ORGANIZATION", "TAGS", "EMAIL", "LAST CONTACT"]
        + (["SNOOZED UNTIL"] if snoozed else []),
        table_rows,
        empty="no contacts match",
    )


def _hanging(text: str, indent: str) -> str:
    """A multi-line text (a note) whose later lines stand ``indent`` plus four
    spaces in, under its first line's text rather than flush left among the list's lines."""
    first, *rest = text.split("\n")
    return "\n".join([first, *(f"{indent}    {line}" if line else "" for line in rest)])


def interaction_line(i: Interaction, zone: tzinfo, out: Output) -> str:
    people = ", ".join(p.name for p in i.participants)
    mood = f" [{i.sentiment:+d}]" if i.sentiment is not None else ""
    summary = f": {i.summary}" if i.summary else ""  # one line: summaries have no newline
    return (
        f"{when(i.occurred_at, zone, out)}  #{i.id} {i.kind} ({i.initiator}) with "
        f"{people}{summary}{mood}"
    )


def note_line(n: Note, zone: tzinfo, out: Output, name: str | None = None, indent: str = "") -> str:
    """One note, with its id (``lrm note edit|rm ID``) and, in everyone's timeline, whom
    it is about (``indent``: where the line stands, for the note's later lines)."""
    pin = " [pinned]" if n.pinned else ""
    about = f" about {name}" if name else ""
    return f"{when(n.created_at, zone, out)}  note #{n.id}{about}{pin}: {_hanging(n.body, indent)}"


def lead_words(days: int) -> str:
    """A date's reminder lead: ``3d before``, or ``on the day`` (0)."""
    return "on the day" if days == 0 else f"{days}d before"


def date_line(d: ImportantDate, today: date | None = None) -> str:
    """``#3 anniversary (Wedding): 1980-07-08, 46th anniversary on 2026-07-08``: with
    ``today``, an anniversary whose year is known says which one comes next."""
    label = f" ({d.label})" if d.label else ""
    lead = "" if d.remind_days_before is None else f", remind {lead_words(d.remind_days_before)}"
    return f"#{d.id} {d.kind}{label}: {d.date}{_next_anniversary(d, today)}{lead}"


def _next_anniversary(d: ImportantDate, today: date | None) -> str:
    if today is None or d.kind != "anniversary":
        return ""
    from lrm_cli.dates import PartialDate
    from lrm_cli.errors import InvalidInput

    try:
        partial = PartialDate.parse(d.date)
    except InvalidInput:
        return ""
    on = partial.next_occurrence(today)
    years = partial.age_on(on)
    return f", {milestone(d.kind, years)} on {on}" if years else ""


def relationship_line(r: Relationship) -> str:
    """``#7 spouse: William King #6``: the relationship's id, then the other contact's;
    a card's own word first (``#8 Godmother (other): Maria Souza #2``)."""
    rid = f"#{r.id} " if r.id is not None else ""
    return f"{rid}{relation_word(r.kind, r.label)}: {r.other.name} #{r.other.id}"


def detail(out: Output, d: ContactDetail, zone: tzinfo, today: date | None = None) -> None:
    c = d.contact
    pairs: list[tuple[str, str | None]] = [
        ("id", f"#{c.id}"),
        ("aliases", ", ".join(d.aliases)),
        ("given name", c.given_name),
        ("family name", c.family_name),
        ("nickname", c.nickname),
        ("organization", c.organization),
        ("units", ", ".join(c.org_units)),
        ("title", c.title),
        ("birthday", c.birthday),
        ("how met", c.how_met),
        ("tags", ", ".join(c.tags)),
        ("archived", when(c.archived_at, zone, out) if c.archived else None),
    ]
    for m in c.methods:
        value = display_method(m.kind, m.value)
        marks = ", ".join(
            [*([m.label] if m.label else []), *(["preferred"] if m.is_preferred else [])]
        )
        pairs.append((m.kind, value + (f" ({marks})" if marks else "")))
        if m.components and any(m.components):  # an address, part by part
            pairs.append(("  parts", address_pairs(m.components)))
    pairs += _schedule_pairs(d.extra)
    out.record(c.name, pairs)
    health = d.extra.get("health")
    if isinstance(health, dict):
        out.section(f"Health {health['score']}/100")
        for part in health["components"]:
            out.line(
                f"  {part['name']:<12} {part['value']:.2f} x {part['weight']:.2f}  "
                f"{part['explanation']}"
            )
    reminders = d.extra.get("reminders")
    if reminders:
        from lrm_cli.render.digest import reminder_line

        out.section("Reminders")
        for item in reminders:
            out.line(f"  {reminder_line(item, named=False)}")
    if d.important_dates:
        out.section("Dates")
        for x in d.important_dates:
            out.line(f"  {date_line(x, today)}")
    if d.relationships or d.related_names:
        out.section("Relationships")
        for r in d.relationships:
            out.line(f"  {relationship_line(r)}")
        for named in d.related_names:  # a name a card gave, no contact linked
            out.line(f"  {relation_word(named.kind, named.label)}: {named.name} (name only)")
    if d.notes:
        out.section("Notes")
        for n in d.notes:
            out.line(f"  {note_line(n, zone, out, indent='  ')}")
    if d.interactions:
        out.section("Recent interactions")
        for i in d.interactions:
            out.line(f"  {interaction_line(i, zone, out)}")


def timeline(
    out: Output, items: list[Interaction | Note], zone: tzinfo, names: dict[int, str] | None = None
) -> None:
    """Newest first, each line with its id; ``names`` (everyone's timeline) says whom
    each note is about."""
    if not items:
        out.info("nothing in this period")
        return
    for item in items:
        if isinstance(item, Interaction):
            out.line(interaction_line(item, zone, out))
        else:
            out.line(note_line(item, zone, out, (names or {}).get(item.contact_id)))


def cadence_origin(cadence: dict) -> str:
    """Where a cadence comes from, after its period: "from tag mentors", "inferred from 5
    interactions", "set explicitly"."""
    if cadence["source"] == "tag" and cadence.get("tag"):
        return f"from tag {cadence['tag']}"
    if cadence["source"] == "inferred":
        return cadence_source(cadence)
    return "set explicitly"


def _schedule_pairs(extra: dict) -> list[tuple[str, str | None]]:
    pairs: list[tuple[str, str | None]] = []
    cadence = extra.get("cadence")
    if isinstance(cadence, dict):
        reconnect = f"{every(cadence['days'], 'day')} ({cadence_source(cadence)})"
        pairs.append(("reconnect", reconnect))
    snoozed = extra.get("snoozed")
    if isinstance(snoozed, dict):
        left = snoozed["days_left"]
        pairs.append(("snoozed", f"until {snoozed['until']} ({plural(left, 'day')} left)"))
    due = extra.get("due")
    if isinstance(due, dict):
        pairs.append(("due", f"{due['due_on']} ({in_days(-due['overdue_days'])})"))
    balance = extra.get("balance")
    if isinstance(balance, dict) and balance.get("balance") is not None:
        pairs.append(
            (
                "balance",
                (
                    f"{signed(balance['balance'])} {balance['label'].replace('_', ' ')} "
                    f"(last year: {balance['initiated_by_me']} by you, "
                    f"{balance['initiated_by_them']} by them, {balance['mutual']} mutual)"
                ),
            )
        )
    return pairs
