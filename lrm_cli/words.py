"""How lrm words numbers and kinds for people: one home, so that every command says
"1 day" and "2 days", "introduced by", "45th". No imports: the scheduler, the digest's
rules, the renderers and the commands all use it. JSON never goes through it (it keeps
counts as numbers and kinds as stored)."""

from __future__ import annotations

from collections.abc import Sequence

IRREGULAR = {"person": "people"}  # plurals no rule below makes

# What a write command says when what it was asked to set is already so (it writes
# nothing, leaves no undo entry, exits 0): "no changes to Ada Lovelace #1".
NO_CHANGES = "no changes to"


def no_changes(subject: str, detail: str | None = None) -> str:
    """The line of a write that changed nothing: "no changes to note #3", "no changes to
    Ada Lovelace: every 30 days" (``detail``: what already holds)."""
    return f"{NO_CHANGES} {subject}" + (f": {detail}" if detail else "")


def set_to(label: str, value: object) -> str:
    """A field's new value in a report of what changed (edit's confirmation, sync's
    items): "organization: Acme", "birthday: (none)" once cleared."""
    return f"{label}: {'(none)' if value is None else value}"


def added(kind: str, value: object) -> str:
    """Something the contact gained, in a report of what changed: "added email a@b.org"."""
    return f"added {kind} {value}"


def removed(kind: str, value: object) -> str:
    """Something the contact lost, in a report of what changed: "removed tag friends"."""
    return f"removed {kind} {value}"


def plural_of(word: str) -> str:
    """``word``'s plural: "day" -> "days", "reply" -> "replies", "match" -> "matches",
    "person" -> "people"; of a phrase, its last word's ("bad card" -> "bad cards")."""
    head, _, last = word.rpartition(" ")
    if last in IRREGULAR:
        last = IRREGULAR[last]
    elif last.endswith("y") and last[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        last = last[:-1] + "ies"
    elif last.endswith(("s", "sh", "ch", "x")):
        last += "es"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def a_or_an(word: str) -> str:
    """``word`` after its indefinite article, by its first letter: "a call", "an email".
    (Enough for lrm's own words; "an hour" or "a user" would need more.)"""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and ``word`` agreeing: "1 day", "2 days", "0 days", "-1 day"; ``many`` when
    the plural is irregular and not in IRREGULAR."""
    return f"{n} {word if abs(n) == 1 else many or plural_of(word)}"


def every(n: int, unit: str) -> str:
    """A period: "every day", "every 2 weeks"."""
    return f"every {unit}" if n == 1 else f"every {plural(n, unit)}"


def signed(value: float) -> str:
    """A reciprocity balance as it is printed: ``+0.42``, ``-1.50``, and ``+0.00`` for
    what rounds to zero from either side (not ``-0.00`` in one view, ``+0.00`` in another)."""
    return f"{round(value, 2) + 0.0:+.2f}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 45th, 101st, 111th."""
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return str(n) + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def kind_label(kind: str) -> str:
    """A stored kind read as English: "introduced_by" -> "introduced by"."""
    return kind.replace("_", " ")


def in_days(days: int) -> str:
    """When something falls, from today: "today", "tomorrow", "in 3 days", "1 day overdue"."""
    if days < 0:
        return f"{plural(-days, 'day')} overdue"
    return "today" if days == 0 else "tomorrow" if days == 1 else f"in {plural(days, 'day')}"


def milestone(kind: str, years: int) -> str:
    """What a yearly date's ``years`` (``turns`` in JSON) means: a birthday "turns 45", an
    anniversary its "45th anniversary", any other date "45 years"."""
    if kind == "birthday":
        return f"turns {years}"
    if kind == "anniversary":
        return f"{ordinal(years)} anniversary"
    return plural(years, "year")


def dated_title(kind: str, title: str, years: int | None) -> str:
    """An upcoming date's title with its milestone: "Ada Lovelace's birthday, turns 45",
    "Ada Lovelace's 45th anniversary" (the ordinal inside the default title),
    "Ada Lovelace: Wedding, 45th anniversary", "Ada Lovelace: Moved to Paris, 10 years"."""
    if years is None:
        return title
    if kind == "anniversary" and title.endswith("'s anniversary"):
        return f"{title[: -len('anniversary')]}{milestone(kind, years)}"
    return f"{title}, {milestone(kind, years)}"


def relation(contact: str, kind: str, other: str, label: str | None = None) -> str:
    """What ``other`` is to ``contact`` as a sentence: "William King is Ada Lovelace's
    spouse"; an "_by" kind reads the other way: "Ada Lovelace was introduced by Charles";
    the contact's own word first: "Maria is Ana's godmother (other)"."""
    if kind.endswith("_by"):
        return f"{contact} was {kind_label(kind)} {other}" + (f" ({label})" if label else "")
    return f"{other} is {contact}'s {relation_word(kind, label)}"


def relation_word(kind: str, label: str | None) -> str:
    """A relationship's kind as a list shows it, the contact's own word first:
    "spouse", "Godmother (other)"."""
    return f"{label} ({kind_label(kind)})" if label else kind_label(kind)


def _singular(noun: str) -> str:
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith(("sses", "shes", "ches", "xes")):
        return noun[:-2]
    return noun.removesuffix("s")


def tally(counts: dict[str, int], nouns: dict[str, str] | None = None) -> str:
    """The non-zero counts in words, in their order: {"notes": 1, "methods": 2} ->
    "1 note, 2 methods"; "nothing" when every count is 0. A key is a plural noun
    (``important_dates``: "1 important date") unless ``nouns`` gives its singular."""
    named = nouns or {}
    parts = [
        plural(n, named.get(key) or _singular(kind_label(key))) for key, n in counts.items() if n
    ]
    return ", ".join(parts) or "nothing"


def nothing_coming_up(days: int) -> str:
    """What the digest's empty "Coming up" says: how far it looked."""
    return f"no birthdays, anniversaries, dates or plans {_within(days)}"


def no_reminders_soon(days: int, later: int) -> str:
    """What the digest's empty "Reminders" says: how far it looked, and how many open
    reminders fall after that (a reminder set for next month is not "no reminders")."""
    text = f"no reminders {_within(days)}"
    if later:
        text += f"; {plural(later, 'open reminder')} later (lrm reminders)"
    return text


def _within(days: int) -> str:
    return "today" if days == 0 else f"in the next {plural(days, 'day')}"


def nobody_due(untracked: int, names: Sequence[str] = ()) -> str:
    """What an empty due list says (``lrm due``, the digest's "Reach out"), with why when
    contacts have no cadence, naming the first few (``names``): a new user's first
    mornings, when nobody is ever due until a cadence says how often."""
    if not untracked:
        return "nobody is due"
    have, them = ("has", "it") if untracked == 1 else ("have", "them")
    who = ""
    if names:
        more = untracked - len(names)
        who = f" ({', '.join(names)}{f' and {more} more' if more > 0 else ''})"
    return (
        f"nobody is due; {plural(untracked, 'contact')}{who} {have} no cadence, so due does "
        f"not track {them} (set one: lrm cadence NAME 30d, or lrm tag cadence TAG 30d)"
    )


# difflib's ratio from which a typo is a near-miss: 'lst' -> 'list' is 0.86, 'ad' -> 'add'
# 0.8; 'remove' -> 'remind' (0.67) or 'due' -> 'done' (0.57) are other words.
NEAR_MISS = 0.75


def near_miss(word: str, candidates: Sequence[str]) -> str | None:
    """The one of ``candidates`` that ``word`` is a typo of (commands, options, tags)."""
    from difflib import get_close_matches

    found = get_close_matches(word, list(candidates), n=1, cutoff=NEAR_MISS)
    return found[0] if found else None


def tag_renamed_line(done) -> str:
    """What `tag rename` says: how many contacts the name reached and, for two tags made
    one, how many joined and a cadence the old tag had that is not kept, with how to keep
    it (``done``: services.contacts.TagRenamed)."""
    if not done.merged:
        return f"renamed tag {done.was} to {done.tag}: {plural(done.contacts, 'contact')}"
    line = (
        f"merged tag {done.was} into {done.tag}: {plural(done.joined, 'contact')} joined,"
        f" {done.contacts} now"
    )
    if done.cadence_dropped is not None:
        line += (
            f"; {done.tag} keeps its cadence, {every(done.cadence_days, 'day')}"
            f" ({done.was}'s was {every(done.cadence_dropped, 'day')}:"
            f" lrm tag cadence {done.tag} {done.cadence_dropped}d takes it)"
        )
    return line


def cadence_source(cadence: dict) -> str:
    """Where a cadence (``services.schedule.cadence_json``) comes from, for people:
    "explicit", "tag close-friends", "inferred from 10 interactions"."""
    if cadence["source"] == "tag" and cadence.get("tag"):
        return f"tag {cadence['tag']}"
    if cadence["source"] == "inferred" and cadence.get("inferred_from"):
        return f"inferred from {plural(cadence['inferred_from'], 'interaction')}"
    return cadence["source"]
