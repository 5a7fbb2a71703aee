"""``lrm search``: what the user typed, made into an FTS5 query, and the hits.

The rules (README "Find anything"):

- **Words**: the text is split at white space; each word is matched as the start of a word
  of the indexed text (``rodr`` finds Rodríguez), case and accents aside (the index's
  tokenizer folds both: ``muller`` finds Müller). Every word must match within the same
  text (a name, a note...). A word with punctuation inside (``ada@example.org``,
  ``o'brien``) is a phrase of its parts. Words are always quoted for FTS5, so its syntax
  (``AND``, ``NEAR``, ``"``, ``*``, ``col:``) is never interpreted: ``AND`` is the word "and".
- **Phones**: a query made only of digits and phone punctuation (``+ - ( ) . /`` and
  spaces) with at least 3 digits also matches phone numbers by their digits, in any
  formatting: its digits as a run anywhere in the number (the index holds every suffix of
  a number's digits); without leading zeros too (a trunk ``0`` or an international
  ``00``: ``020 7946 0000`` finds ``+44 20 7946 0000``); and, for an international query
  (``+`` or ``00``), without its country code (``+44 20 7946 0000`` finds a number stored
  as typed, ``020 7946 0000``).
- **Ranking**: names and nicknames first, then organisations, emails, phones, social
  profiles, web pages, how-met and date labels, then notes and interaction summaries;
  within each tier by FTS5's bm25 (the rarer the words and the shorter the text, the
  better); ties by kind and age of the row.
  An interaction is a hit for each of its participants (by name).

Pure functions except :func:`search`; stdlib only (the command runs without Typer).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from lrm_cli.errors import InvalidInput, StorageError
from lrm_cli.normalize import PHONE_PUNCTUATION

MIN_PHONE_DIGITS = 3
DEFAULT_LIMIT = 20


def words(text: str) -> list[str]:
    """The words of a query that can match anything: those with a letter or a digit."""
    return [w for w in text.split() if any(ch.isalnum() for ch in w)]


def quoted(word: str) -> str:
    """``word`` as an FTS5 string: inside double quotes, quotes doubled."""
    return '"' + word.replace('"', '""') + '"'


def phone_digits(text: str) -> list[str]:
    """The digit runs a phone-like query looks for (see the module's rules), else []."""
    if not text.strip() or any(not ch.isdigit() and ch not in PHONE_PUNCTUATION for ch in text):
        return []
    digits = "".join(ch for ch in text if ch.isdigit() and ch.isascii())
    if len(digits) < MIN_PHONE_DIGITS:
        return []
    runs = [digits]
    trimmed = digits.lstrip("0")
    if trimmed != digits and len(trimmed) >= MIN_PHONE_DIGITS:
        runs.append(trimmed)
    if text.strip().startswith("+") or digits.startswith("00"):
        code = country_code(trimmed)
        national = trimmed[len(code) :]
        if code and len(national) >= MIN_PHONE_DIGITS:
            runs.append(national)
    return runs


def country_code(digits: str) -> str:
    """The calling code that ``digits`` (an international number without ``+``) starts
    with, or "" (the codes are prefix-free: at most one matches)."""
    from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

    for length in (1, 2, 3):
        if digits[:length].isdigit() and int(digits[:length]) in COUNTRY_CODE_TO_REGION_CODE:
            return digits[:length]
    return ""


def match_expression(text: str) -> str:
    """The FTS5 MATCH expression for ``text``; InvalidInput when nothing can match."""
    terms = [f"{quoted(w)}*" for w in words(text)]
    if not terms:
        raise InvalidInput(f"nothing to search for in {text!r}", hint="give a word or some digits")
    expression = " AND ".join(terms)
    runs = phone_digits(text)
    if runs:
        phones = " OR ".join(f"{quoted(r)}*" for r in runs)
        expression = f"({expression}) OR (digits : ({phones}))"
    return expression


def split_snippet(raw: str, start: str, end: str) -> tuple[str, list[tuple[int, int]]]:
    """A snippet with ``start``/``end`` markers around matches -> (plain text, the
    [start, end) offsets of each match in it)."""
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    length, opened = 0, None
    for ch in raw:
        if ch == start:
            opened = length
        elif ch == end:
            if opened is not None and length > opened:
                spans.append((opened, length))
            opened = None
        else:
            text.append(ch)
            length += 1
    return "".join(text), spans


@dataclass(frozen=True)
class Hit:
    contact_id: int
    name: str
    archived: bool
    # name, nickname, alias, organization, how_met, email, phone, note, interaction, date_label
    kind: str
    item_id: int  # the contact's id for its own fields, else the method/note/.../alias row
    snippet: str
    highlights: tuple[tuple[int, int], ...]

    def as_json(self) -> dict:
        return {
            "contact": {"id": self.contact_id, "name": self.name, "archived": self.archived},
            "kind": self.kind,
            "item_id": self.item_id,
            "snippet": self.snippet,
            "highlights": [list(span) for span in self.highlights],
        }


def search(db, text: str, limit: int = DEFAULT_LIMIT) -> list[Hit]:
    from lrm_cli.store import search as store

    expression = match_expression(text)
    with db.read() as conn:
        try:
            rows = store.search(conn, expression, limit)
        except sqlite3.DatabaseError as exc:
            error = _error(exc, text, store.TABLE)
            if error is None:
                raise  # the database layer's own message and hint
            raise error from exc
    hits = []
    for row in rows:
        snippet, spans = split_snippet(row.snippet, store.START, store.END)
        hits.append(
            Hit(
                row.contact_id, row.name, row.archived, row.kind, row.item_id, snippet, tuple(spans)
            )
        )
    return hits


def _error(exc: sqlite3.DatabaseError, text: str, table: str) -> Exception | None:
    message = str(exc)
    if "locked" in message or "busy" in message:
        return None
    if "no such table" in message and table in message:
        return StorageError("the search index is missing", hint="lrm db check --rebuild-search")
    if isinstance(exc, sqlite3.OperationalError) and ("fts5" in message or "syntax" in message):
        return InvalidInput(f"cannot search for {text!r}: {message}")
    return StorageError(
        f"the search index is damaged: {message}", hint="lrm db check --rebuild-search"
    )


LABELS = {"how_met": "how met", "date_label": "date"}
NUMBERED = {"note", "interaction", "date_label"}


def match_label(hit: Hit) -> str:
    """What matched, for people: ``name``, ``email``, ``note #12``, ``interaction #40``."""
    label = LABELS.get(hit.kind, hit.kind)
    return f"{label} #{hit.item_id}" if hit.kind in NUMBERED else label
