"""The daily digest as text (cron mail), Markdown, or styled lines at a terminal.

Pure functions of a ``Digest``: the same digest always gives the same bytes.
"""

from __future__ import annotations

import re
from typing import Any

from lrm_cli.normalize import display_method
from lrm_cli.render.output import escape
from lrm_cli.words import (
    cadence_source,
    dated_title,
    every,
    in_days,
    no_reminders_soon,
    nobody_due,
    nothing_coming_up,
    plural,
    signed,
)


def _due_line(item: dict[str, Any]) -> str:
    last = f"last contact {item['last_contact']}" if item["last_contact"] else "never contacted"
    overdue = item["overdue_days"]
    when = (
        f"{plural(overdue, 'day')} overdue"
        if overdue > 0
        else "due today"
        if overdue == 0
        else f"due in {plural(-overdue, 'day')}"
    )
    return (
        f"{item['name']}: {when} ({last}; {every(item['cadence_days'], 'day')}, "
        f"{cadence_source(_cadence(item))})"
    )


def _cadence(item: dict[str, Any]) -> dict[str, Any]:
    """A digest due item's cadence as ``words.cadence_source`` reads it."""
    return {
        "source": item["cadence_source"],
        "tag": item.get("cadence_tag"),
        "inferred_from": item.get("cadence_inferred_from"),
    }


def _upcoming_line(item: dict[str, Any]) -> str:
    title = dated_title(item["kind"], item["title"], item["turns"])
    return f"{item['date']} ({in_days(item['days_until'])}): {title}"


def _every(item: dict[str, Any]) -> str:
    """How often a repeating reminder (``Reminder.as_json``) comes back, in words."""
    from lrm_cli.scheduler import describe_every

    return describe_every(item["recurrence"])


def reminder_line(item: dict[str, Any], *, named: bool = True) -> str:
    """A reminder (``Reminder.as_json``) on one line; ``named``: with whom it is about.
    A repeating one says how often, as ``lrm reminders`` and ``lrm remind`` do, so that
    marking it done is known to move it on rather than end it."""
    who = f" ({item['contact']['name']})" if item["contact"] and named else ""
    repeats = f", {_every(item)}" if item["recurrence"] else ""
    when = in_days(-item["overdue_days"])  # today, tomorrow, in 3 days, 2 days overdue
    return f"#{item['id']} {item['due_on']}: {item['title']}{who}{repeats}, {when}"


def reminder_saved_line(item: dict[str, Any]) -> str:
    """What `remind` and `reminder edit` say of the reminder they saved (``Reminder.as_json``):
    its date, whom it is about and how often it repeats, as they are now."""
    about = f" about {item['contact']['name']}" if item["contact"] else ""
    repeats = f" ({_every(item)})" if item["recurrence"] else ""
    return f"reminder #{item['id']} on {item['due_on']}{about}: {item['title']}{repeats}"


def _drift_line(item: dict[str, Any]) -> str:
    return (
        f"{item['name']}: {item['recent_rate']:.2f}/month lately, "
        f"{item['previous_rate']:.2f}/month the year before"
    )


def _balance_line(item: dict[str, Any]) -> str:
    who = "you reach out more" if item["label"] == "you_give_more" else "they reach out more"
    return (
        f"{item['name']}: {who} (balance {signed(item['balance'])}; last year "
        f"{item['initiated_by_me']} by you, {item['initiated_by_them']} by them, "
        f"{item['mutual']} mutual)"
    )


def _losing_line(item: dict[str, Any]) -> str:
    """A contact losing touch (no cadence, long without contact)."""
    days = plural(item["days_since"], "day")
    if item["last_contact"] is None:
        return f"{item['name']}: never contacted, added {days} ago ({item['added_on']})"
    return (
        f"{item['name']}: no contact for {days} (last {item['last_contact']}; "
        f"{plural(item['interactions'], 'interaction')} in all)"
    )


def _cut(text: str, width: int = 100) -> str:
    """The first line of ``text``, at most ``width`` characters (JSON keeps it whole)."""
    whole = text.strip()
    first = whole.splitlines()[0] if whole else ""
    if len(first) > width:
        return first[: width - 1] + "…"
    return first if first == whole else first + " …"


_STARTED = {"me": "started by you", "them": "started by them", "mutual": "started by both"}
_REACH_SOURCE = {"preferred": "preferred", "last_used": "last used", "first_listed": "first listed"}


def _coming_text(c: dict[str, Any]) -> str:
    """Like the lines of Coming up and Reminders."""
    when = in_days(c["days_until"])
    if c["kind"] == "reminder":
        return f"{c['date']} ({when}): reminder #{c['reminder_id']} {c['title']}"
    return f"{c['date']} ({when}): {dated_title(c['kind'], c['title'], c['turns'])}"


def _coming_line(c: dict[str, Any]) -> str:
    """A date or reminder of a person due; an overdue reminder is not "coming up"."""
    if c["days_until"] < 0:
        ago = plural(-c["days_until"], "day")
        return f"overdue: reminder #{c['reminder_id']} {c['title']}, due {c['date']} ({ago} ago)"
    return f"coming up: {_coming_text(c)}"


def _due_details(item: dict[str, Any]) -> list[str]:
    """The lines under a person due: what happened last, the pinned note, a note written
    since, how to reach them, what is coming up for them, and the suggested next step."""
    if "next_step" not in item:
        return []
    out = []
    last = item["last_interaction"]
    if last is not None:
        said = _cut(last["summary"] or "", 80)  # a blank summary says nothing
        said = f": {said}" if said else ""
        started = _STARTED.get(last["initiator"], last["initiator"])
        out.append(f"last: {last['kind']} {started}, {last['date']}{said}")
    out += _topic_lines(item)
    if item["pinned_note"]:
        out.append(f"note: {_cut(item['pinned_note'])}")
    out += _note_lines(item)
    reach = item["reach"]
    if reach is None:
        out.append("reach: no email, phone, social profile or address on file")
    else:
        why = _REACH_SOURCE.get(reach["source"], reach["source"])
        label = f"{reach['label']}, " if reach["label"] else ""
        value = display_method(reach["kind"], reach["value"])
        out.append(f"reach: {reach['kind']} {value} ({label}{why})")
    out += [_coming_line(c) for c in item["coming_up"]]
    out.append(f"next: {item['next_step']['text']}")
    return out


def _note_lines(item: dict[str, Any]) -> list[str]:
    """The newest note written since you last talked ("new"; only "note" when you never
    have: it may be years old), and how many more there are, with where to read them."""
    recent = item["recent_note"]
    if recent is None:
        return []
    label = "note" if item["last_interaction"] is None else "new note"
    lines = [f"{label}, {recent['date']}: {_cut(recent['body'])}"]
    more = recent.get("more", 0)
    if more:
        since = "" if item["last_interaction"] is None else " since"
        lines.append(f"and {plural(more, 'more note')}{since}: lrm timeline {item['id']}")
    return lines


def _topic_lines(item: dict[str, Any]) -> list[str]:
    """What was last talked about with a listed person (``last_topic``), unless the
    ``last:`` line above it already says it (the newest interaction has that summary)."""
    topic = item.get("last_topic")
    if topic is None:
        return []
    last = item.get("last_interaction")
    if last is not None and (last["date"], last["summary"]) == (topic["date"], topic["summary"]):
        return []
    return [f"talked about: {_cut(topic['summary'], 80)} ({topic['date']})"]


def _date_topic_lines(due: set[int]):
    """Under a coming date: what was last talked about with its person, unless they are
    due, where "Reach out" already says it, or a date above it in the section already
    said it (two plans with one person: once, under the first)."""
    said = set(due)

    def lines(item: dict[str, Any]) -> list[str]:
        contact = item["contact"]
        if contact is None or contact["id"] in said:
            return []
        said.add(contact["id"])
        return _topic_lines(item)

    return lines


# The lines under each entry of a section, by its key (none under reminders; under dates,
# _date_topic_lines).
_UNDER = {
    "due": _due_details,
    "drifting": _topic_lines,
    "one_sided": _topic_lines,
    "losing_touch": _topic_lines,
}


def _why(item: dict[str, Any]) -> tuple[str, list[str]]:
    step = item["next_step"]
    lines = [
        f"not {c['rule']}: {c['because']}" for c in step.get("checked", ()) if not c["applies"]
    ]
    return f"{item['name']}: {step['rule']} ({step['because']})", lines


def _totals(data: dict[str, Any], key: str) -> int:
    return data.get("totals", {}).get(key) or 0


def _nobody_due(data: dict[str, Any]) -> str:
    return nobody_due(_totals(data, "untracked"), data.get("untracked_names") or ())


def _days(data: dict[str, Any]) -> int:
    return data["upcoming_days"]


# (key, title, line of an item, what the section says when empty; None: not shown then)
SECTIONS = (
    ("due", "Reach out", _due_line, _nobody_due),
    ("upcoming", "Coming up", _upcoming_line, lambda data: nothing_coming_up(_days(data))),
    (
        "reminders",
        "Reminders",
        reminder_line,
        lambda data: no_reminders_soon(_days(data), _totals(data, "reminders")),
    ),
    ("drifting", "Drifting apart", _drift_line, None),
    ("one_sided", "One-sided", _balance_line, None),
    ("losing_touch", "Losing touch", _losing_line, None),
)
# the full lists (of one-sided: most one-sided first)
MORE = {
    "due": "lrm due",
    "drifting": "lrm drift",
    "one_sided": "lrm balance",
    "losing_touch": "lrm losing-touch",
}

Entry = tuple[str, list[str]]  # a line and the lines under it


def sections(data: dict[str, Any], explain: bool = False):
    """(title, entries) for each section worth showing; each entry is a line and the
    lines under it. The three formats are written from this alone. ``explain`` adds a
    last section: each due person's next-step rule, the facts that chose it, and why
    the rules before it did not apply."""
    for key, title, line, empty in SECTIONS:
        items = data[key]
        if not items and empty is None:
            continue
        under = _UNDER.get(key, lambda _item: [])
        if key == "upcoming":
            under = _date_topic_lines({i["id"] for i in data["due"]})
        entries: list[Entry] = [(line(i), under(i)) for i in items] or [(empty(data), [])]
        totals = data.get("totals", {})
        if key in MORE and totals.get(key, 0) > len(items):
            entries.append((f"... and {totals[key] - len(items)} more: {MORE[key]}", []))
        elif key in MORE and totals.get(f"{key}_more") and items:
            entries.append((f"... and more: {MORE[key]}", []))  # not counted
        yield title, _safe(entries)
    if explain:
        why = [_why(i) for i in data["due"] if "next_step" in i]
        yield "Why these next steps", _safe(why) or [("nobody is due", [])]


def _safe(entries: list[Entry]) -> list[Entry]:
    """Names, summaries and notes are data: no control character reaches a terminal or
    the cron mail, whatever the database holds (each line one line, see ``escape``)."""
    return [
        (escape(text, one_line=True), [escape(u, one_line=True) for u in under])
        for text, under in entries
    ]


def as_text(data: dict[str, Any], explain: bool = False) -> str:
    out = [f"lrm digest for {data['date']}", ""]
    for title, entries in sections(data, explain):
        out.append(f"{title}:")
        for line, under in entries:
            out.append(f"  - {line}")
            out += [f"      {ln}" for ln in under]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def as_markdown(data: dict[str, Any], explain: bool = False) -> str:
    out = [f"# lrm digest for {data['date']}", ""]
    for title, entries in sections(data, explain):
        out.append(f"## {title}")
        out.append("")
        for line, under in entries:
            out.append(f"- {_md_escape(line)}")
            out += [f"  - {_md_escape(ln)}" for ln in under]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _md_escape(text: str) -> str:
    """Markdown's own characters escaped, so that names and summaries stay text. A ``#``
    is escaped only where it would open a heading (at the start, before a space): "#2"
    of a reminder is no heading, and ``\\#2`` reads badly in a mail that is not rendered."""
    for ch in "\\`*_[]<>|":
        text = text.replace(ch, "\\" + ch)
    return "\\" + text if re.match(r"#{1,6}(?:[ \t]|$)", text) else text


def to_terminal(out, data: dict[str, Any], explain: bool = False) -> None:
    """Styled sections through the Output object (a person at a terminal)."""
    out.line(out.styled(f"lrm digest for {data['date']}", "bold"))
    for title, entries in sections(data, explain):
        out.section(title)
        for line, under in entries:
            out.line(f"  • {line}")
            for ln in under:
                label, sep, rest = ln.partition(": ")
                if sep:
                    out.line("      ", out.styled(label + sep, "dim"), rest)
                else:
                    out.line(f"      {ln}")
