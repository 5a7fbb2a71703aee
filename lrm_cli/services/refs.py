"""Resolving what a user typed into one contact (DESIGN §4).

In order: a numeric id (``12`` or ``#12``; ``#12`` is only ever an id), a uid, an exact
name (case-insensitive), an exact alias (another name of the contact, such as that of a
record merged into it: store/aliases.py), a name prefix, then a prefix of any later word of the name
("love" finds "Ada Lovelace"), then either of those with accents aside ("rodriguez" finds
"Maya Rodríguez"). A reference typed without accents also takes, at the name rules, the
names that rule matches with accents aside (``_accents_aside``). The first rule that
matches decides: one match wins;
several are an Ambiguous error listing them; none falls through to the next rule, and
after the last one the reference is NotFound.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from functools import cache

from lrm_cli.domain import Ambiguous, ContactRef, InvalidInput, NotFound
from lrm_cli.store import aliases
from lrm_cli.store import contacts as store
from lrm_cli.store import search as search_index


def resolve(conn: sqlite3.Connection, ref: str) -> ContactRef:
    text = ref.strip()
    if not text:
        raise InvalidInput("empty contact reference")
    if text.startswith("#") and text[1:].isdigit():
        return _only(store.find_by_id(conn, int(text[1:])), ref)
    # (look-up, counter): the prefix look-ups stop at CANDIDATES; their counter says how
    # many there are in all, for the message
    lookups: list[tuple[Callable[[], list[ContactRef]], Callable[[], int] | None]] = []
    folded = cache(lambda: _folded(conn, text))
    if text.isdigit():
        lookups.append((lambda: store.find_by_id(conn, int(text)), None))
    also = _accents_aside(text, folded)
    lookups += [
        (lambda: store.find_by_uid(conn, text), None),
        (lambda: also(store.find_by_name(conn, text), _same_name), None),
        (lambda: aliases.find(conn, text), None),
        (
            lambda: also(store.find_by_prefix(conn, text, limit=CANDIDATES), _name_begins),
            lambda: store.count_by_prefix(conn, text),
        ),
        (
            lambda: also(store.find_by_word_prefix(conn, text, limit=CANDIDATES), _word_begins),
            lambda: store.count_by_prefix(conn, text, word=True),
        ),
        (lambda: folded()[:CANDIDATES], lambda: len(folded())),
    ]
    for lookup, counter in lookups:
        found = lookup()
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            total = counter() if counter and len(found) >= CANDIDATES else len(found)
            raise Ambiguous(
                f"{ref!r} matches {total} contacts: {named(found, total=total)}",
                candidates=[c.name for c in found],
                ids=[c.id for c in found],
                hint=_ambiguous_hint(found),
            )
    close = near(conn, text)
    hint = f"did you mean {_either(close)}?" if close else f"lrm search {text!r}"
    raise NotFound(f"no contact matches {ref!r}", hint=hint, ref=ref, near=close)


Rule = Callable[[str, str], bool]  # (folded name, folded reference): matched at a level


def _same_name(name: str, typed: str) -> bool:
    return name.split() == typed.split()


def _name_begins(name: str, typed: str) -> bool:
    return name.startswith(typed)


def _word_begins(name: str, typed: str) -> bool:
    return f" {name}".find(f" {typed}") >= 0


def _accents_aside(
    text: str, folded: Callable[[], list[ContactRef]]
) -> Callable[[list[ContactRef], Rule], list[ContactRef]]:
    """What a name rule found, with, for a reference typed without accents, the contacts
    the same rule finds with accents aside: "jose" means Jose Garcia and José Martínez
    alike (two contacts: Ambiguous), not whichever has the letters typed, so adding
    "Jose Garcia" cannot silently take over what "jose" meant for months. A reference
    with accents ("josé") keeps to its letters."""
    from lrm_cli.normalize import fold

    typed = fold(text)
    if typed != text.casefold():  # accents typed: they say which
        return lambda found, rule: found

    def with_twins(found: list[ContactRef], rule: Rule) -> list[ContactRef]:
        if not found:
            return found  # the rules after this one decide
        twins = [  # matched for their accents only (the letters typed are found already)
            c for c in folded() if rule(fold(c.name), typed) and not rule(c.name.casefold(), typed)
        ]
        return (found + twins)[: max(len(found), CANDIDATES)]

    return with_twins


def _folded(conn: sqlite3.Connection, text: str) -> list[ContactRef]:
    """The contacts whose name, or a later word of it, begins as ``text`` does with case
    and accents aside (``normalize.fold``): "rodriguez" finds Maya Rodríguez, "jurgen"
    Jürgen Müller. The last rule: the ones before it are SQL's own case-insensitive
    comparisons, which know no accents. The search index, which reads names the same way,
    gives the candidates (at most FOLDED_LIMIT)."""
    from lrm_cli.normalize import fold

    typed = fold(text)
    words = search_index.words(typed)
    if not words:  # nothing to fold: the earlier rules have said all
        return []
    return [
        contact
        for contact in store.with_name_words(conn, words, FOLDED_LIMIT)
        if _word_begins(fold(contact.name), typed)
    ]


FOLDED_LIMIT = 500  # the most index hits _folded checks (its name rows hold organisations too)
NEAR = 0.8  # how alike a name that matched nobody and a contact's name must be to offer it
NEAR_SHOWN = 3


def near(conn: sqlite3.Connection, text: str) -> list[ContactRef]:
    """The contacts (at most NEAR_SHOWN, closest first) whose name is near ``text``, a
    reference that matched nobody: a typo ("priya natarajn", "Tom Bakr", "prya"). A name
    is as alike as its closest run of as many words as ``text`` has, or as a whole, by
    ``merge.name_similarity`` (the rule of ``lrm dupes``). The candidates begin two of
    their words (or their one word) as ``text``'s words begin, in their first two
    letters, case and accents aside: one query of the search index, and few names to
    compare, whatever the database's size. When none of them is near, those that begin
    one word so are compared too ("tim bakr" finds Tom Baker): a slower second look, on
    the way to an error only."""
    from lrm_cli.normalize import name_key

    words = name_key(text).split()
    if not words or len(words) > 4:
        return []
    starts = sorted({w[:2] for w in search_index.words(" ".join(words))})
    found = _nearest(store.with_words_starting(conn, starts, min(2, len(starts))), words)
    if not found and len(starts) > 1:
        found = _nearest(store.with_words_starting(conn, starts, 1), words)
    return found


def _nearest(candidates: list[ContactRef], words: list[str]) -> list[ContactRef]:
    from lrm_cli.normalize import name_key
    from lrm_cli.services.merge import name_similarity

    typed = " ".join(words)
    scored = []
    for contact in candidates:
        theirs = name_key(contact.name).split()
        runs = {" ".join(theirs[i : i + len(words)]) for i in range(len(theirs))}
        runs.add(" ".join(theirs))
        # a ratio is at most 2 * the shorter length / both lengths: most runs stop here
        alike = [r for r in runs if 2 * min(len(r), len(typed)) >= NEAR * (len(r) + len(typed))]
        score = max((name_similarity(typed, run) for run in alike), default=0.0)
        if score >= NEAR:
            scored.append((-score, contact.name, contact.id, contact))
    return [contact for *_, contact in sorted(scored)[:NEAR_SHOWN]]


def _either(found: Sequence[ContactRef]) -> str:
    named_ = [f"{c.name} (#{c.id})" for c in found]
    return named_[0] if len(named_) == 1 else f"{', '.join(named_[:-1])} or {named_[-1]}"


def _ambiguous_hint(found: Sequence[ContactRef]) -> str:
    """Which to pick; when they all bear one name (an `lrm add` made twice, an import),
    also how to make them one."""
    hint = "use the id (#N) or more of the name"
    if len({c.name.casefold() for c in found}) == 1:
        keep, other = sorted(c.id for c in found)[:2]  # merge takes two at a time
        hint += f"; if they are one person: lrm merge {keep} {other}"
    return hint


CANDIDATES = 50  # the most an ambiguous reference's error carries (JSON candidates)
SHOWN = 10  # the most its message names


def named(refs: Sequence[ContactRef], *, total: int | None = None, shown: int = SHOWN) -> str:
    """Contacts for a message, each with its id: "Maya Rodriguez (#12), Maya Rodríguez
    (#40)"; past ``shown`` of them, "and N more" counts the rest of ``total``."""
    total = len(refs) if total is None else total
    listed = ", ".join(f"{c.name} (#{c.id})" for c in refs[:shown])
    rest = total - min(len(refs), shown)
    return f"{listed} and {rest} more" if rest > 0 else listed


def _only(found: list[ContactRef], ref: str) -> ContactRef:
    if not found:
        raise NotFound(f"no contact matches {ref!r}", ref=ref)
    return found[0]


def resolve_many(conn: sqlite3.Connection, refs: list[str]) -> list[ContactRef]:
    found = [resolve(conn, r) for r in refs]
    return list({c.id: c for c in found}.values())
