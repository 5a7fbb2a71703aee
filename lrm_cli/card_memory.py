"""What an imported vCard gave its contact, and what reading it again may change: a
three-way merge of the card as lrm last read it (``Seen``), the card now and the contact
now. Pure functions, no I/O; the importer (services/vcard_io.py) reads and writes the
memory (table ``card_seen``, migration 0022).

The rules, per card (its UID, or the one card without a UID a contact was read from):

- a value the card gave before and the contact no longer has was deleted or cleared in
  lrm: reading the card again does not bring it back;
- a value new on the card is added, as any import adds;
- a single value (title, organisation, birthday, a name...) the card changed while the
  contact kept what the card said before takes the card's new value;
- a single value the card gives otherwise than the contact has, when the contact's is
  not what the card said before (changed in lrm, or never from this card), is left as
  it is and reported as a conflict, unless the card says what it said before (the user
  changed it in lrm on purpose: nothing to report).

Stdlib only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from lrm_cli.normalize import held

# What becomes of one of the contact's single values when a card is read.
Outcome = Literal["keep", "fill", "change", "conflict"]


def folded(text: str) -> str:
    """``text`` without regard to case and spacing ("ACME  Ltd" is "acme ltd")."""
    return " ".join(text.casefold().split())


def same(a: Any, b: Any) -> bool:
    """Equal, text compared :func:`folded`."""
    if isinstance(a, str) and isinstance(b, str):
        return folded(a) == folded(b)
    return a == b


def items_of(
    fields: dict[str, Any],
    methods: Iterable[tuple[str, str]],
    tags: Iterable[str],
    dates: Iterable[tuple[str, str, str | None]],
    notes: Iterable[str],
    aliases: Iterable[str],
) -> dict[str, Any]:
    """What a card gives, as ``card_seen`` keeps it: its set fields (with what it prefers,
    :func:`preferred_of`), (kind, value) of its methods, its tags, (kind, date, label) of
    its dates, note bodies and aliases, in the card's order."""
    return {
        "fields": {k: v for k, v in fields.items() if v is not None},
        "methods": [list(m) for m in methods],
        "tags": list(tags),
        "dates": [list(d) for d in dates],
        "notes": list(notes),
        "aliases": list(aliases),
    }


def preferred_of(methods: Iterable[Any]) -> dict[str, str]:
    """The method a card (or a contact) prefers of each kind, as a single value of its
    own, ``"preferred phone"`` -> the number: the first one marked preferred. A card that
    moves its preference moves the contact's, by the rules of single values, so that a
    contact keeps one preferred phone (the digest reaches people through it)."""
    out: dict[str, str] = {}
    for m in methods:
        if m.is_preferred:
            out.setdefault(f"preferred {m.kind}", m.value)
    return out


def dumps(cards: dict[str, Any]) -> str:
    """A contact's cards (what :func:`items_of` made, by card key) as ``card_seen.cards``:
    the same cards make the same text (an unchanged re-import writes nothing)."""
    return _ENCODE(cards)


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(frozen=True)
class Seen:
    """A card as lrm last read it (None: never read; every value of the card is news)."""

    items: dict[str, Any] | None = None

    @property
    def known(self) -> bool:
        """Whether the card was read before."""
        return self.items is not None

    def _list(self, key: str) -> list:
        return [] if self.items is None else self.items.get(key, [])

    def new_methods(self, methods: list[Any]) -> list[Any]:
        """The card's methods (objects with ``kind`` and ``value``) it did not give before
        (the same number in another format is the same, ``normalize.held``)."""
        before = [tuple(m) for m in self._list("methods")]
        return [m for m in methods if not held(m.kind, m.value, before)]

    def new_tags(self, names: list[str], key) -> list[str]:
        before = {key(t) for t in self._list("tags")}
        return [t for t in names if key(t) not in before]

    def new_dates(self, rows: list[tuple]) -> list[tuple]:
        before = {tuple(d) for d in self._list("dates")}
        return [d for d in rows if tuple(d[:3]) not in before]

    def new_notes(self, rows: list[tuple]) -> list[tuple]:
        before = set(self._list("notes"))
        return [n for n in rows if n[0] not in before]

    def edited_notes(
        self, rows: list[tuple], card: set[str], bodies: set[str]
    ) -> tuple[list[tuple[str, str]], list[tuple]]:
        """The card's new notes ``rows`` (body first) as edits, (old body, new body): a
        note the card gave before and gives no more (its note bodies are ``card``), which
        the contact (note ``bodies``) still has as the card gave it, takes the text of the
        card's next new note, in the card's order (a NOTE edited on the phone edits lrm's
        note instead of adding a second one). Then the new notes left over, to add. A
        note the card no longer gives, with no new one to take its place, stays (deleted
        on the phone: lrm keeps its own, as it keeps a field)."""
        gone = [b for b in self._list("notes") if b in bodies and b not in card]
        edits = [(old, row[0]) for old, row in zip(gone, rows, strict=False)]
        return edits, rows[len(edits) :]

    def new_aliases(self, names: list[str]) -> list[str]:
        before = {folded(a) for a in self._list("aliases")}
        return [a for a in names if folded(a) not in before]

    def field(self, name: str, current: Any, card: Any) -> Outcome:
        """What becomes of the contact's ``current`` value of field ``name`` when the card
        gives ``card`` (see the module's rules)."""
        if card is None:
            return "keep"  # the card says nothing (cleared on the phone: lrm keeps its own)
        before = None if self.items is None else self.items["fields"].get(name)
        if current is None:
            return "keep" if before is not None and same(before, card) else "fill"
        if same(current, card):
            return "keep"
        if before is not None and same(before, current):
            return "change"
        if before is not None and same(before, card):
            return "keep"
        return "conflict"
