"""The daily digest as text (cron mail), Markdown, or styled lines at a terminal.

Pure functions of a ``Digest``: the same digest always gives the same bytes.
"""

from __future__ import annotations

from typing import Any


def _due_line(item: dict[str, Any]) -> str:
    last = f"last contact {item['last_contact']}" if item["last_contact"] else "never contacted"
    overdue = item["overdue_days"]
    when = (
        f"{overdue} days overdue"
        if overdue > 0
        else "due today"
        if overdue == 0
        else f"due in {-overdue} days"
    )
    return (
        f"{item['name']}: {when} ({last}; every {item['cadence_days']} days, "
        f"{item['cadence_source']})"
    )


def _upcoming_line(item: dict[str, Any]) -> str:
    days = item["days_until"]
    when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
    turns = f", turns {item['turns']}" if item["turns"] is not None else ""
    return f"{item['date']} ({when}): {item['title']}{turns}"


def _reminder_line(item: dict[str, Any]) -> str:
    who = f" ({item['contact']['name']})" if item["contact"] else ""
    late = item["overdue_days"]
    state = f", {late} days overdue" if late > 0 else ""
    return f"#{item['id']} {item['due_on']}: {item['title']}{who}{state}"


def _drift_line(item: dict[str, Any]) -> str:
    return (
        f"{item['name']}: {item['recent_rate']:.2f}/month lately, "
        f"{item['previous_rate']:.2f}/month the year before"
    )


def _balance_line(item: dict[str, Any]) -> str:
    who = "you reach out more" if item["label"] == "you_give_more" else "they reach out more"
    return (
        f"{item['name']}: {who} (balance {item['balance']:+.2f}; last year "
        f"{item['initiated_by_me']} by you, {item['initiated_by_them']} by them, "
        f"{item['mutual']} mutual)"
    )


SECTIONS = (
    ("due", "Reach out", _due_line, "nobody is due"),
    ("upcoming", "Coming up", _upcoming_line, "no dates in the next days"),
    ("reminders", "Reminders", _reminder_line, "no open reminders"),
    ("drifting", "Drifting apart", _drift_line, None),
    ("one_sided", "One-sided", _balance_line, None),
)


def sections(data: dict[str, Any]):
    """(title, lines) for each section worth showing."""
    for key, title, line, empty in SECTIONS:
        items = data[key]
        if not items and empty is None:
            continue
        lines = [line(i) for i in items] or [empty]
        if key == "due" and data.get("totals", {}).get("due", 0) > len(items):
            lines.append(f"... and {data['totals']['due'] - len(items)} more: lrm due")
        yield title, lines


def as_text(data: dict[str, Any]) -> str:
    out = [f"lrm digest for {data['date']}", ""]
    for title, lines in sections(data):
        out.append(f"{title}:")
        out += [f"  - {ln}" for ln in lines]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def as_markdown(data: dict[str, Any]) -> str:
    out = [f"# lrm digest for {data['date']}", ""]
    for title, lines in sections(data):
        out.append(f"## {title}")
        out.append("")
        out += [f"- {_md_escape(ln)}" for ln in lines]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _md_escape(text: str) -> str:
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


def to_terminal(out, data: dict[str, Any]) -> None:
    """Styled sections through the Output object (a person at a terminal)."""
    out.line(out.styled(f"lrm digest for {data['date']}", "bold"))
    for title, lines in sections(data):
        out.section(title)
        for ln in lines:
            out.line(f"  • {ln}")
