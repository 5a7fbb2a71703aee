"""Finding probable duplicate contacts and merging two contacts into one.

Duplicates: contacts sharing an email or a phone are found with one GROUP BY each.
Contacts whose names have the same words (any order, case or accents) are grouped by
them. Other similar names are found among distinct names only, and only within blocks
(same first word and initial of the last, or the reverse; a single word by its first
three letters), never all pairs. A block can still be large (a thousand "John Smith..."
lookalikes): one of more than BLOCK_ALL names is compared as sorted neighbourhoods (each
name against the WINDOW names after it, sorted as written, backwards and by sorted
words). So the comparisons stay linear in the number of contacts whatever the names
(2,000 near-identical names take a second or two; 10k ordinary ones well under one), and
so does the list: groups of more than MAX_GROUP are linked, not listed pair by pair.
Names are compared on their first MAX_KEY characters (a longer name is no person's).
Each reason has a strength; a pair's score combines them as independent evidence,
``1 - prod(1 - s)``, so more reasons give a higher score, in 0..1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from difflib import SequenceMatcher
from functools import lru_cache
from itertools import combinations, pairwise
from typing import Any

from lrm_cli import contact_fields
from lrm_cli.clock import Clock
from lrm_cli.domain import MERGE_NOTE_HEAD, Contact, ContactRef, InvalidInput
from lrm_cli.normalize import name_key, name_words, part_words
from lrm_cli.scheduler import SchedulerSettings
from lrm_cli.services import stats
from lrm_cli.services.refs import resolve
from lrm_cli.store import contacts as contact_store
from lrm_cli.store import merge as store
from lrm_cli.store.db import Database

EMAIL_STRENGTH = 0.9
PHONE_STRENGTH = 0.85
NAME_WEIGHT = 0.75  # an identical name alone scores 0.75: namesakes exist
NAME_THRESHOLD = 0.85  # similarity below this is not reported
WORD_THRESHOLD = 0.7  # and the first and last words must each be this close ("Zed"/"Zoe": no)
MAX_GROUP = 100  # a value shared by more contacts is a shared address, not a duplicate
WINDOW = 8  # in a large name block, each name meets the WINDOW names after it, per order
BLOCK_ALL = 2 * WINDOW + 1  # a block this small is compared pair by pair (no more pairs)
MAX_KEY = 64  # characters of a name that are compared (difflib's cost is quadratic)


# --- names ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Name:
    """A name as the comparisons see it, worked out once per contact."""

    words: str  # the normalised words, sorted: equal for the same name in any order
    key: str  # the normalised name, cut to MAX_KEY characters
    sorted_key: str  # its sorted words, cut likewise
    ends: tuple[str, str] | None  # the first and last words, when there are two or more

    @classmethod
    def of(cls, key: str) -> _Name:
        tokens = key.split()
        words = " ".join(sorted(tokens))
        ends = (tokens[0][:MAX_KEY], tokens[-1][:MAX_KEY]) if len(tokens) > 1 else None
        return cls(words, key[:MAX_KEY], words[:MAX_KEY], ends)


def _seq_ratio(a: str, b: str) -> float:
    """difflib's ratio, the common start and end matched first: two long names that
    differ in one letter cost a few comparisons, not difflib's quadratic search."""
    if a == b:
        return 1.0
    p = _common_start(a, b)
    s = _common_start(a[p:][::-1], b[p:][::-1])
    middle = SequenceMatcher(None, a[p : len(a) - s], b[p : len(b) - s], autojunk=False)
    matched = p + s + sum(block.size for block in middle.get_matching_blocks())
    return 2.0 * matched / (len(a) + len(b))


def _common_start(a: str, b: str) -> int:
    n, i = min(len(a), len(b)), 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


@lru_cache(maxsize=16384)
def _word_ratio(a: str, b: str) -> float:
    return _seq_ratio(a, b)  # cached: the same first and last words come back again and again


def _ratio(x: _Name, y: _Name) -> float:
    """The ratio of the names as written and with their words sorted, whichever is
    higher ("Smith, Jon" is close to "John Smith")."""
    ratio = _seq_ratio(x.key, y.key)
    if (x.sorted_key, y.sorted_key) != (x.key, y.key):
        ratio = max(ratio, _seq_ratio(x.sorted_key, y.sorted_key))
    return ratio


def _common_letters(a: str, b: str) -> int:
    """How many letters two texts have in common, each counted as often as both have it
    (the size of their multisets' intersection): an order-blind bound on their ratio."""
    if len(a) > len(b):
        a, b = b, a
    return sum(min(a.count(ch), b.count(ch)) for ch in set(a))


def _word_agreement(x: _Name, y: _Name) -> float:
    """How well the first and last words agree (the worse of the two), aligned as written
    or crossed ("Smith John" / "Jon Smith"); 1.0 when either name is a single word. Stops
    "Zed Unrelated" and "Zoe Unrelated" from looking alike on the long family name."""
    if x.ends is None or y.ends is None:
        return 1.0
    (a0, a1), (b0, b1) = x.ends, y.ends
    straight = min(_word_ratio(a0, b0), _word_ratio(a1, b1))
    crossed = min(_word_ratio(a0, b1), _word_ratio(a1, b0))
    return max(straight, crossed)


def name_similarity(a: str, b: str) -> float:
    """1.0 for the same words in any order, else the best ratio of the normalised names
    (as written, or with their words sorted; the first MAX_KEY characters)."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    x, y = _Name.of(ka), _Name.of(kb)
    return 1.0 if x.words == y.words else _ratio(x, y)


def _blocks(tokens: list[str]) -> list[tuple[str, ...]]:
    """Candidate blocks of a name: for several words, each of the first and last word with
    the other's initial (in either order, so "Smith John" meets "Jon Smith"); a single
    word by its first three letters. (The same words in any order need no block: they are
    grouped by their sorted words.)"""
    if len(tokens) == 1:
        return [("one", tokens[0][:3])]
    if not tokens:
        return []
    first, last = tokens[0], tokens[-1]
    return [("word", first, last[0]), ("word", last, first[0])]


def candidate_pairs(keys: list[str]) -> set[tuple[int, int]]:
    """The pairs of distinct names (indexes into ``keys``, lower first) worth comparing:
    all pairs in a block of up to BLOCK_ALL names, sorted neighbourhoods in a larger one
    (each name against the WINDOW after it, sorted as written, backwards, and by sorted
    words). A name is in at most two blocks, so there are at most
    ``6 * WINDOW * len(keys)`` pairs whatever the names, not ``len(keys) ** 2 / 2``."""
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        for block in _blocks(key.split()):
            blocks[block].append(index)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) <= BLOCK_ALL:
            pairs.update(combinations(members, 2))
            continue
        for order in (
            sorted(members, key=lambda i: keys[i]),
            sorted(members, key=lambda i: keys[i][::-1]),
            sorted(members, key=lambda i: sorted(keys[i].split())),
        ):
            for at, a in enumerate(order):
                for b in order[at + 1 : at + 1 + WINDOW]:
                    pairs.add((a, b) if a < b else (b, a))
    return pairs


def _all_or_first(xs: list[int], ys: list[int], limit: int) -> list[tuple[int, int]]:
    """Every pair of one of ``xs`` and one of ``ys`` (lower id first), or only the pair of
    their first members when there would be more than ``limit``."""
    if len(xs) * len(ys) > limit:
        xs, ys = xs[:1], ys[:1]
    return [(a, b) if a < b else (b, a) for a in xs for b in ys if a != b]


def similar_names(people: list[tuple[int, str]]) -> dict[tuple[int, int], float]:
    """Pairs of contacts (lower id first) whose names are at least NAME_THRESHOLD similar.

    Contacts with the same words (in any order) score 1.0: every pair of them, or, when
    more than MAX_GROUP share them, each with the next (namesakes by the hundred are
    linked, not listed quadratically). Distinct names are compared once each among
    :func:`candidate_pairs`, and a similar pair of names pairs the contacts bearing them
    (only the first of each when that would be more than MAX_GROUP pairs)."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for cid, name in sorted(people):
        key = name_key(name)
        if key:
            by_key[key].append(cid)
    keys = list(by_key)
    names = [_Name.of(key) for key in keys]
    found: dict[tuple[int, int], float] = {}
    by_words: dict[str, list[int]] = defaultdict(list)
    for key, name in zip(keys, names, strict=True):
        by_words[name.words].extend(by_key[key])
    for members in by_words.values():
        members.sort()
        if len(members) <= MAX_GROUP:
            found.update(dict.fromkeys(combinations(members, 2), 1.0))
        else:
            found.update(dict.fromkeys(pairwise(members), 1.0))
    for i, j in candidate_pairs(keys):
        x, y = names[i], names[j]
        if x.words == y.words:
            continue  # found above
        ratio = _similarity(x, y)
        if ratio is not None:
            for pair in _all_or_first(by_key[keys[i]], by_key[keys[j]], MAX_GROUP):
                found[pair] = ratio
    return found


def name_reason(similarity: float) -> str:
    """How a pair's names are said to agree, in words: "same name" for the same words
    (1.0), else "similar name" (`lrm dupes` and an import's probable duplicates)."""
    return "same name" if similarity == 1.0 else "similar name"


def _similarity(x: _Name, y: _Name) -> float | None:
    """The rule for two names: 1.0 for the same words in any order; else their ratio
    (:func:`_ratio`) when it is at least NAME_THRESHOLD and their first and last words
    agree (WORD_THRESHOLD); else None. Bounds that need no ratio come first."""
    if x.words == y.words:
        return 1.0
    # order-blind bounds first (they bound both ratios of _ratio): length, the first and
    # last words (their ratios are cached), then letters
    total = len(x.key) + len(y.key)
    if 2 * min(len(x.key), len(y.key)) < NAME_THRESHOLD * total:
        return None
    if _word_agreement(x, y) < WORD_THRESHOLD:
        return None
    if 2 * _common_letters(x.key, y.key) < NAME_THRESHOLD * total:
        return None
    ratio = _ratio(x, y)
    return ratio if ratio >= NAME_THRESHOLD else None


@lru_cache(maxsize=8192)
def _name_of(name: str) -> _Name:
    """A contact's name taken apart for NameIndex's lookups: the recent ones kept, not
    all (an import of 100,000 cards would hold them all)."""
    return _Name.of(" ".join(name_words(name)))


class NameIndex:
    """Names met one at a time (an import's new contacts), each looked up among those
    before it by the rule of :func:`similar_names`: a name with the same words, else the
    first similar one among up to BLOCK_LOOKUP of each of its blocks (:func:`_blocks`).
    So an import reports as a probable duplicate what ``lrm dupes`` lists (tests hold
    the two to one rule)."""

    BLOCK_LOOKUP = 50

    def __init__(self, only: Iterable[str] | None = None) -> None:
        """With ``only``, every name that will be looked up: the index then keeps only
        the names that may be found for one of them (:class:`_Sieve`), so an import of
        a few cards does not take apart each of 100,000 contacts' names."""
        self._words: dict[str, tuple[int, str]] = {}  # by sorted words: the first added
        self._blocks: dict[tuple[str, ...], list[tuple[int, str]]] = defaultdict(list)
        self._sieve = None if only is None else _Sieve(only)

    def add(self, contact_id: int, name: str) -> None:
        self.add_all([(contact_id, name)])

    def add_all(self, people: Iterable[tuple[int, str]]) -> None:
        """Add (id, name) pairs in order: an import may add every contact's (100,000)."""
        if self._sieve is not None:
            people = self._sieve.kept(people)
        same, blocks = self._words, self._blocks
        for entry in people:
            tokens = name_words(entry[1])
            if tokens:
                same.setdefault(" ".join(sorted(tokens)), entry)
                for block in _blocks(tokens):
                    blocks[block].append(entry)

    def similar(self, name: str) -> tuple[int, str, float] | None:
        """(id, name, similarity) of the first contact added whose name is the same as
        or close to ``name``, or None."""
        tokens = name_words(name)
        if not tokens:
            return None
        if self._sieve is not None and not self._sieve.covers(tokens):
            raise ValueError(f"{name!r} is not among the names this index was made for")
        same = self._words.get(" ".join(sorted(tokens)))
        if same is not None:
            return same[0], same[1], 1.0
        this = _Name.of(" ".join(tokens))
        for block in _blocks(tokens):
            for contact_id, other in self._blocks.get(block, ())[: self.BLOCK_LOOKUP]:
                ratio = _similarity(this, _name_of(other))
                if ratio is not None:
                    return contact_id, other, ratio
        return None


def similar_named(conn, name: str, exclude: int = 0) -> tuple[ContactRef, float] | None:
    """The oldest contact (not ``exclude``) whose name ``lrm dupes`` would pair with
    ``name`` (the same words in another order, or a similar name: one rule,
    :class:`NameIndex`), and the similarity; None when there is none. Only the contacts
    sharing a block word with it are read (the search index finds them)."""
    tokens = name_words(name)
    if not tokens:
        return None
    found = contact_store.having_name_words(conn, _needles(tokens), prefix=len(tokens) == 1)
    index = NameIndex()
    index.add_all((c.id, c.name) for c in found if c.id != exclude)
    hit = index.similar(name)
    return None if hit is None else (ContactRef(hit[0], hit[1]), hit[2])


def _needles(tokens: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """What a name found for ``tokens`` contains, in one of its words: one with the same
    words has them all; one in a block of several words (:func:`_blocks`) has the first
    or the last as its first or last; one in a single word's block begins with its
    first three letters."""
    if not tokens:
        return ()
    if len(tokens) == 1:
        return (tokens[0][:3],)
    return (tokens[0], tokens[-1])


class _Sieve:
    """The names that may be found for some names (their :func:`_needles` in one of
    their words): more than :meth:`NameIndex.similar` finds, never fewer, and in their
    order, so the first of a block are the same. A name is looked at a whitespace-separated
    part at a time, each distinct part once (names repeat their given and family names)."""

    def __init__(self, names: Iterable[str]) -> None:
        import re

        self._needles = {n for name in names for n in _needles(name_words(name))}
        pattern = "|".join(re.escape(n) for n in sorted(self._needles))
        self._search = re.compile(pattern).search if pattern else None
        self._parts: dict[str, bool] = {}

    def covers(self, tokens: list[str]) -> bool:
        return set(_needles(tokens)) <= self._needles

    def kept(self, people: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        search, parts = self._search, self._parts
        if search is None:
            return
        for entry in people:
            for part in entry[1].split():
                hit = parts.get(part)
                if hit is None:
                    hit = parts[part] = search(" ".join(part_words(part))) is not None
                if hit:
                    yield entry
                    break


# --- duplicates -----------------------------------------------------------------------------


@dataclass
class DuplicatePair:
    a: ContactRef
    b: ContactRef
    reasons: dict[str, float] = field(default_factory=dict)  # reason -> strength
    name_similarity: float | None = None

    def reason_texts(self) -> list[str]:
        """The reasons in words, the name's as :func:`name_reason` says it."""
        return [
            name_reason(self.name_similarity or 0.0)
            if reason == "similar_name"
            else reason.replace("_", " ")
            for reason in self.reasons
        ]

    @property
    def score(self) -> float:
        missing = 1.0
        for strength in self.reasons.values():
            missing *= 1.0 - strength
        return round(1.0 - missing, 3)

    def as_json(self) -> dict[str, Any]:
        return {
            "a": {"id": self.a.id, "name": self.a.name},
            "b": {"id": self.b.id, "name": self.b.name},
            "score": self.score,
            "reasons": list(self.reasons),
            "name_similarity": self.name_similarity,
        }


def find_duplicates(db: Database) -> list[DuplicatePair]:
    """Probable duplicates, highest score first (then by ids)."""
    with db.read() as conn:
        emails = store.shared_methods(conn, "email", MAX_GROUP)
        phones = store.shared_methods(conn, "phone", MAX_GROUP)
        people = store.names(conn)
    names = dict(people)
    reasons: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for reason, strength, pairs in (
        ("same_email", EMAIL_STRENGTH, emails),
        ("same_phone", PHONE_STRENGTH, phones),
    ):
        for pair in pairs:
            reasons[pair][reason] = strength
    similar = similar_names(people)
    for pair, ratio in similar.items():
        reasons[pair]["similar_name"] = round(NAME_WEIGHT * ratio, 3)
    pairs = []
    for (a, b), found in reasons.items():
        ratio = similar.get((a, b))
        if ratio is None:
            ratio = name_similarity(names[a], names[b])
        # the reasons in a fixed order: email, phone, name
        ordered = {k: found[k] for k in ("same_email", "same_phone", "similar_name") if k in found}
        pairs.append(
            DuplicatePair(
                ContactRef(a, names[a]),
                ContactRef(b, names[b]),
                ordered,
                name_similarity=round(ratio, 3),
            )
        )
    pairs.sort(key=lambda p: (-p.score, p.a.id, p.b.id))
    return pairs


# --- merge ----------------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: object, zone) -> str:
    if isinstance(value, datetime):
        return value.astimezone(zone).date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def differing_values(keep: Contact, other: Contact, zone) -> list[tuple[str, str, str]]:
    """What OTHER has that KEEP keeps another value of, for the merge note: (field, label,
    value) in the order of the record's fields, then the labels of shared emails and
    phones. The name is not here (it becomes an alias), nor ids and time stamps; a field
    KEEP lacks is filled from OTHER instead (store/merge.py), so it is not here either."""
    out = []
    for f in contact_fields.FIELDS:
        if f.role not in ("detail", "state") or f.required:
            continue
        mine, theirs = getattr(keep, f.key), getattr(other, f.key)
        if _blank(theirs) or (f.role == "detail" and _blank(mine)):
            continue
        if theirs == mine or contact_fields.one_value(f.column, mine, theirs):
            continue  # the same (a birthday without its year: KEEP gets the year)
        out.append((f.key, f.label, _as_text(theirs, zone)))
    labels = {(m.kind, m.value): m.label for m in keep.methods}
    for m in other.methods:
        mine = labels.get((m.kind, m.value), m.label)
        if not _blank(m.label) and not _blank(mine) and mine != m.label:
            out.append((m.kind, f"{m.kind} {m.value}", f"({m.label})"))
    return out


def merge_note(other: Contact, values: list[tuple[str, str, str]], today: date) -> str:
    """The note KEEP gets: which record was merged into it (id, name, uid) and when, and
    OTHER's values KEEP holds others of ("organization Lovelace Estate")."""
    head = f"{MERGE_NOTE_HEAD}{other.id} {other.name} (uid {other.uid}) on {today.isoformat()}"
    if not values:
        return head + "."
    return f"{head}: " + "; ".join(f"{label} {value}" for _, label, value in values) + "."


@dataclass
class MergeResult:
    kept: Contact
    removed: Contact
    counts: store.MergeCounts
    kept_values: list[tuple[str, str, str]] = field(default_factory=list)  # in the note
    note: str | None = None
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "kept": {"id": self.kept.id, "name": self.kept.name},
            "removed": {"id": self.removed.id, "name": self.removed.name},
            "moved": dict(self.counts.moved),
            "deduplicated": dict(self.counts.deduplicated),
            "fields_filled": list(self.counts.fields_filled),
            "aliases": list(self.counts.aliases),
            "note": (
                None
                if self.note is None
                else {
                    "id": None if self.dry_run else self.counts.note_id,
                    "body": self.note,
                    "values": [
                        {"field": k, "label": label, "value": v} for k, label, v in self.kept_values
                    ],
                }
            ),
            "dry_run": self.dry_run,
        }


class _DryRun(Exception):
    """Raised inside the transaction of a dry run, so that nothing is written."""


def merge_contacts(
    db: Database,
    keep_ref: str,
    other_ref: str,
    clock: Clock,
    settings: SchedulerSettings | None = None,
    confirm: Callable[[Contact, Contact], None] | None = None,
    *,
    dry_run: bool = False,
) -> MergeResult:
    """Merge OTHER into KEEP in one transaction. ``confirm(keep, other)`` may veto (it
    raises Aborted); it runs inside the transaction, so what is shown is what merges.
    With ``dry_run`` the merge is made and rolled back: the result is what it would do."""
    result: MergeResult | None = None
    try:
        with db.write() as conn:
            keep = resolve(conn, keep_ref)
            other = resolve(conn, other_ref)
            if keep.id == other.id:
                raise InvalidInput(
                    f"{keep_ref!r} and {other_ref!r} are the same contact (#{keep.id}): "
                    "nothing to merge"
                )
            kept_before = contact_store.get(conn, keep.id)
            removed = contact_store.get(conn, other.id)
            assert kept_before is not None and removed is not None
            if confirm is not None and not dry_run:
                confirm(kept_before, removed)
            values = differing_values(kept_before, removed, clock.zone)
            note = merge_note(removed, values, clock.today)
            counts = store.merge_into(conn, keep.id, other.id, clock.timestamp, note=note)
            store.remember_merged_uid(conn, removed.uid, keep.id)
            stats.recompute(conn, [keep.id], settings or SchedulerSettings(), clock.zone)
            kept = contact_store.get(conn, keep.id)
            assert kept is not None
            result = MergeResult(kept, removed, counts, values, note, dry_run)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    assert result is not None
    return result
