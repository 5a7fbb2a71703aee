"""Finding probable duplicate contacts and merging two contacts into one.

Duplicates: contacts sharing an email or a phone are found with one GROUP BY each; similar
names are compared only within blocks (same first token and first letter of the last, or
the reverse; same sorted tokens), never all pairs, so 10k contacts take well under a
second. Each reason has a strength; a pair's score combines them as independent evidence,
``1 - prod(1 - s)``, so more reasons give a higher score, in 0..1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations
from typing import Any

from lrm_cli.clock import Clock
from lrm_cli.domain import Contact, ContactRef, InvalidInput
from lrm_cli.normalize import name_key
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


# --- names ----------------------------------------------------------------------------------


def _same_words(ka: str, kb: str) -> bool:
    return ka == kb or sorted(ka.split()) == sorted(kb.split())


def _ratio(matcher: SequenceMatcher, ka: str, kb: str) -> float:
    """difflib's ratio of the names as written and with their words sorted, whichever is
    higher ("Smith, Jon" is close to "John Smith")."""
    ratio = matcher.ratio()
    sa, sb = " ".join(sorted(ka.split())), " ".join(sorted(kb.split()))
    if (sa, sb) != (ka, kb):
        ratio = max(ratio, SequenceMatcher(None, sa, sb, autojunk=False).ratio())
    return ratio


def _word_agreement(ka: str, kb: str) -> float:
    """How well the first and last words agree (the worse of the two), aligned as written
    or crossed ("Smith John" / "Jon Smith"); 1.0 when either name is a single word. Stops
    "Zed Unrelated" and "Zoe Unrelated" from looking alike on the long family name."""
    ta, tb = ka.split(), kb.split()
    if len(ta) < 2 or len(tb) < 2:
        return 1.0

    def r(x: str, y: str) -> float:
        return SequenceMatcher(None, x, y, autojunk=False).ratio()

    straight = min(r(ta[0], tb[0]), r(ta[-1], tb[-1]))
    crossed = min(r(ta[0], tb[-1]), r(ta[-1], tb[0]))
    return max(straight, crossed)


def name_similarity(a: str, b: str) -> float:
    """1.0 for the same words in any order, else the best difflib ratio of the normalised
    names (as written, or with their words sorted)."""
    ka, kb = name_key(a), name_key(b)
    if not ka or not kb:
        return 0.0
    if _same_words(ka, kb):
        return 1.0
    return _ratio(SequenceMatcher(None, ka, kb, autojunk=False), ka, kb)


def _blocks(key: str) -> list[tuple[str, ...]]:
    """Candidate blocks of a name: its sorted words; for several words, each of the first
    and last word with the other's initial (in either order, so "Smith John" meets
    "Jon Smith"); a single word by its first three letters."""
    tokens = key.split()
    if not tokens:
        return []
    blocks = [("sorted", *sorted(tokens))]
    if len(tokens) == 1:
        blocks.append(("one", tokens[0][:3]))
    else:
        first, last = tokens[0], tokens[-1]
        blocks.append(("word", first, last[0]))
        blocks.append(("word", last, first[0]))
    return blocks


def similar_names(people: list[tuple[int, str]]) -> dict[tuple[int, int], float]:
    """Pairs (lower id first) whose names are at least NAME_THRESHOLD similar."""
    keys = {cid: name_key(name) for cid, name in people}
    blocks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for cid, key in keys.items():
        for block in _blocks(key):
            blocks[block].append(cid)
    found: dict[tuple[int, int], float] = {}
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2:
            continue
        for a, b in combinations(sorted(set(members)), 2):
            if (a, b) in seen:
                continue
            seen.add((a, b))
            ka, kb = keys[a], keys[b]
            if _same_words(ka, kb):
                found[(a, b)] = 1.0
                continue
            # the quick bounds ignore order, so they bound both ratios of _ratio
            if 2 * min(len(ka), len(kb)) < NAME_THRESHOLD * (len(ka) + len(kb)):
                continue  # difflib's real_quick_ratio, without building a matcher
            matcher = SequenceMatcher(None, ka, kb, autojunk=False)
            if matcher.quick_ratio() < NAME_THRESHOLD:
                continue
            ratio = _ratio(matcher, ka, kb)
            if ratio >= NAME_THRESHOLD and _word_agreement(ka, kb) >= WORD_THRESHOLD:
                found[(a, b)] = ratio
    return found


# --- duplicates -----------------------------------------------------------------------------


@dataclass
class DuplicatePair:
    a: ContactRef
    b: ContactRef
    reasons: dict[str, float] = field(default_factory=dict)  # reason -> strength
    name_similarity: float | None = None

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
        emails = store.shared_methods(conn, "email")
        phones = store.shared_methods(conn, "phone")
        people = store.names(conn)
    names = dict(people)
    reasons: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for reason, strength, groups in (
        ("same_email", EMAIL_STRENGTH, emails),
        ("same_phone", PHONE_STRENGTH, phones),
    ):
        for group in groups:
            if len(group) > MAX_GROUP:
                continue
            for pair in combinations(group, 2):
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


@dataclass
class MergeResult:
    kept: Contact
    removed: Contact
    counts: store.MergeCounts

    def as_json(self) -> dict[str, Any]:
        return {
            "kept": {"id": self.kept.id, "name": self.kept.name},
            "removed": {"id": self.removed.id, "name": self.removed.name},
            "moved": dict(self.counts.moved),
            "deduplicated": dict(self.counts.deduplicated),
            "fields_filled": list(self.counts.fields_filled),
        }


def merge_contacts(
    db: Database,
    keep_ref: str,
    other_ref: str,
    clock: Clock,
    settings: SchedulerSettings | None = None,
    confirm: Callable[[Contact, Contact], None] | None = None,
) -> MergeResult:
    """Merge OTHER into KEEP in one transaction. ``confirm(keep, other)`` may veto (it
    raises Aborted); it runs inside the transaction, so what is shown is what merges."""
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
        if confirm is not None:
            confirm(kept_before, removed)
        counts = store.merge_into(conn, keep.id, other.id, clock.timestamp)
        stats.recompute(conn, [keep.id], settings or SchedulerSettings())
        kept = contact_store.get(conn, keep.id)
        assert kept is not None
        return MergeResult(kept, removed, counts)
