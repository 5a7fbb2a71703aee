"""Generate a realistic lrm database for benchmarks.

    python bench/generate.py --contacts 10000 --interactions 100000 --out /tmp/lrm.sqlite3

The database is created and migrated by lrm itself (``Database(path)``), then filled
directly with the stdlib ``sqlite3`` driver in one transaction (secondary indexes are
dropped during the load and rebuilt at the end, which is much faster than updating them
row by row). The same ``--seed`` gives the same rows; each table draws from its own
random stream, so changing how notes are made does not reshuffle the interactions.

Shape of the data, over the ``--years`` (default 5) before ``--today``:
- contacts with names from twenty cultures and scripts, a few duplicates at large sizes,
  emails/phones, tags (some with a cadence), birthdays (some year-less, a few 29 Feb),
  important dates, notes, relationships, some archived, some with an explicit cadence;
- interactions whose per-contact activity is log-normally skewed (a few close people get
  hundreds, most get a handful), each contact active over its own window (people drift),
  ~14% with 2-4 participants, varied kinds, initiators, summaries and sentiments;
- a few reminders.

Last, lrm itself runs once against the file (``lrm --db OUT due --json`` with
``LRM_TODAY=--today`` and an empty config), so that it computes the settings-dependent
aggregates of ``contact_stats`` (balance sums, inferred cadences) with its default
settings and stores them: a benchmark's first timed run then finds them fresh, as a
user's would on every run after the first (``--no-fresh-stats`` leaves them stale).
"""

from __future__ import annotations

import argparse
import bisect
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import wordlists as W  # bench/wordlists.py

DAY = 86400
YEARS = 5
CHUNK = 50_000
# hour of day (local time, stored as UTC for simplicity) weighted towards evenings
HOURS = [h for h, n in zip(range(24), (
    0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 4, 4, 6, 5, 4, 4, 4, 5, 7, 8, 7, 5, 3, 1,
), strict=True) for _ in range(n)]
SENTIMENTS: list[int | None] = [None] * 35 + [-2] * 2 + [-1] * 4 + [0] * 16 + [1] * 29 + [2] * 14
CADENCES = (7, 14, 21, 30, 60, 90, 180, 365)


@dataclass
class Person:
    """What the interaction pass needs to know about a contact (ids are 1-based)."""

    start_day: int  # first day of activity, days since the epoch
    span_days: int
    p_me: float  # how often I initiate


@dataclass
class Counts:
    rows: dict[str, int]

    def add(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n


def stream(seed: int, name: str) -> random.Random:
    """An independent, reproducible random stream per table."""
    return random.Random(f"lrm-bench:{seed}:{name}")


_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def new_uids(rng: random.Random, k: int) -> list[str]:
    """``k`` random (version 4) UUID strings, drawn in bulk: ~10x faster than uuid.uuid4."""
    blob = rng.randbytes(16 * k).hex()
    return [
        f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{_VARIANT[h[16]]}{h[17:20]}-{h[20:]}"
        for h in (blob[i:i + 32] for i in range(0, 32 * k, 32))
    ]


def expand(templates: tuple[str, ...]) -> list[str]:
    """Every filling of ``{topic}``/``{place}`` so that picking a summary is one index."""
    out: list[str] = []
    for t in templates:
        if "{topic}" in t:
            out += [t.format(topic=x) for x in W.TOPICS]
        elif "{place}" in t:
            out += [t.format(place=x) for x in W.PLACES]
        else:
            out.append(t)
    return out


def weighted_pool(pairs: tuple[tuple[str, int], ...]) -> list[str]:
    return [name for name, n in pairs for _ in range(n)]


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum())


def iso_day(day: int) -> str:
    return (date(1970, 1, 1) + timedelta(days=day)).isoformat()


# --- names ----------------------------------------------------------------------------------


def feminine(culture: str, given: str, family: str) -> str:
    """Slavic family names agree with the given name's gender."""
    if culture == "ru" and given[-1] in "ая":
        if family.endswith("ий"):
            return family[:-2] + "ая"
        if family.endswith(("ов", "ев", "ёв", "ин")):
            return family + "а"
    if culture == "pl" and given.endswith("a") and family.endswith(("ski", "cki")):
        return family[:-1] + "a"
    return family


def is_latin(text: str) -> bool:
    return unicodedata.name(text[0], "").startswith("LATIN")


class NameMaker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.keys = list(W.CULTURES)
        self.cum = list(accumulate(W.CULTURES[k][0] for k in self.keys))
        self.used: set[str] = set()

    def make(self) -> tuple[str, str, str, str]:
        """(culture, display name, given, family); retries a few ways to stay unique."""
        rng = self.rng
        culture = rng.choices(self.keys, cum_weights=self.cum)[0]
        _, givens, families, order, _ = W.CULTURES[culture]
        display = given = family = ""
        for attempt in range(4):
            given = rng.choice(givens)
            family = feminine(culture, given, rng.choice(families))
            if order == "western" and attempt == 2 and is_latin(given):
                given = f"{given} {rng.choice('ABCDEFGHJKLMNPRSTVW')}."
            elif order == "western" and attempt >= 2:
                given = f"{given} {rng.choice(givens)}"
            display = {
                "western": f"{given} {family}",
                "eastern": f"{family}{given}",
                "eastern_sp": f"{family} {given}",
            }[order]
            if display not in self.used:
                break
        self.used.add(display)
        return culture, display, given, family


# --- contacts -------------------------------------------------------------------------------


def contact_window(rng: random.Random, first: int, last: int) -> tuple[int, int]:
    """The days over which someone is in touch: always, since some point, or for a while."""
    r = rng.random()
    if r < 0.55:
        return first, last
    if r < 0.80:
        start = rng.randrange(first, last - 30)
        return start, last
    start = rng.randrange(first, last - 90)
    return start, rng.randrange(start + 60, last)


def birthday(rng: random.Random) -> str | None:
    r = rng.random()
    if r >= 0.45:
        return None
    if r < 0.003:
        return "--02-29" if rng.random() < 0.5 else f"{rng.choice((1972, 1984, 1996))}-02-29"
    year = rng.randrange(1945, 2009)
    day = date(year, 1, 1) + timedelta(days=rng.randrange(365 + (year % 4 == 0)))
    return f"--{day:%m-%d}" if r < 0.12 else day.isoformat()


def contact_rows(seed: int, n: int, today: int, years: int = YEARS,
                 ) -> tuple[list[tuple], list[Person], list[str]]:
    """The contact table rows, the activity profile of each contact and its culture, over
    the ``years`` before ``today``."""
    rng = stream(seed, "contacts")
    maker = NameMaker(rng)
    first, last = today - years * 365, today - 1
    rows: list[tuple] = []
    people: list[Person] = []
    cultures: list[str] = []
    for uid in new_uids(stream(seed, "contact-uids"), n):
        culture, display, given, family = maker.make()
        start, end = contact_window(rng, first, last)
        created = (start - rng.randrange(0, 120)) * DAY + rng.randrange(DAY)
        updated = created + rng.randrange(max(1, (today * DAY - created)))
        archived = None
        if end < last - 180 and rng.random() < 0.25:
            archived = rng.randrange(end, today) * DAY + rng.randrange(DAY)
        org = rng.choice(W.ORGANIZATIONS) if rng.random() < 0.35 else None
        snoozed = iso_day(today + rng.randrange(1, 60)) if rng.random() < 0.01 else None
        rows.append((
            uid, display, given, family,
            W.NICKNAMES.get(given.split(" ")[0]) if rng.random() < 0.3 else None,
            org, rng.choice(W.TITLES) if org and rng.random() < 0.6 else None,
            birthday(rng), rng.choice(W.HOW_MET) if rng.random() < 0.2 else None,
            rng.choice(CADENCES) if rng.random() < 0.06 else None,
            snoozed, archived, created, updated,
        ))
        people.append(Person(start, max(1, end - start), rng.betavariate(2, 2)))
        cultures.append(culture)
    return rows, people, cultures


def method_rows(seed: int, contacts: list[tuple], cultures: list[str]) -> Iterator[tuple]:
    rng = stream(seed, "methods")
    used: set[str] = set()
    for cid, (row, culture) in enumerate(zip(contacts, cultures, strict=True), start=1):
        methods: list[tuple[str, str, str | None]] = []
        slug = ".".join(filter(None, (ascii_slug(row[2].split(" ")[0]), ascii_slug(row[3]))))
        r = rng.random()
        if r < 0.85:
            local = slug if "." in slug else f"{rng.choice(W.HANDLES)}{rng.randrange(10, 9999)}"
            email = f"{local}@{rng.choice(W.MAIL_DOMAINS)}"
            if email in used:
                email = f"{local}{rng.randrange(100, 99999)}@{rng.choice(W.MAIL_DOMAINS)}"
            used.add(email)
            methods.append(("email", email, rng.choice(("home", "personal", None))))
        if r < 0.15 and row[5]:
            org = ascii_slug(row[5]) or "work"
            methods.append(("email", f"{slug or cid}@{org}.example", "work"))
        codes = W.CULTURES[culture][4]
        for _ in range((1 + (rng.random() < 0.15)) if rng.random() < 0.6 else 0):
            digits = "".join(rng.choices("0123456789", k=rng.randrange(8, 11)))
            methods.append(("phone", f"{rng.choice(codes)}{rng.randrange(1, 10)}{digits}",
                            rng.choice(("mobile", "home", "work", None))))
        if rng.random() < 0.05:
            methods.append(("url", f"https://{slug or cid}.example/", None))
        if rng.random() < 0.04:
            methods.append(("social", f"@{slug.replace('.', '_') or cid}", "mastodon"))
        for pos, (kind, value, label) in enumerate(methods):
            yield cid, kind, value, label, pos == 0, pos


def tag_rows(seed: int, n: int, activity: list[float]) -> tuple[list[tuple], list[tuple]]:
    """Tags with cadences, and links: 0-3 tags a contact, close people tagged as such."""
    rng = stream(seed, "tags")
    tags = [(i, name, cadence) for i, (name, _, cadence) in enumerate(W.TAGS, start=1)]
    cum = list(accumulate(weight for _, weight, _ in W.TAGS))
    close_cut = sorted(activity, reverse=True)[max(0, n // 50 - 1)] if n else 0.0
    links: list[tuple] = []
    for cid in range(1, n + 1):
        chosen = set(rng.choices(range(1, len(tags) + 1), cum_weights=cum,
                                 k=rng.choice((0, 1, 1, 1, 2, 2, 3))))
        if activity[cid - 1] >= close_cut and rng.random() < 0.7:
            chosen.add(rng.choice((1, 2)))  # family or close-friends
        links += [(cid, tid) for tid in sorted(chosen)]
    return tags, links


def important_date_rows(seed: int, n: int) -> Iterator[tuple]:
    rng = stream(seed, "dates")
    for cid in range(1, n + 1):
        if rng.random() >= 0.06:
            continue
        kind = "anniversary" if rng.random() < 0.6 else "custom"
        day = date(rng.randrange(1985, 2026), 1, 1) + timedelta(days=rng.randrange(365))
        when = day.isoformat() if kind == "anniversary" else f"--{day:%m-%d}"
        yield (cid, kind, rng.choice(W.DATE_LABELS[kind]), when,
               rng.choice((None, None, 1, 3, 7, 14)))


def note_rows(seed: int, people: list[Person], today: int) -> Iterator[tuple]:
    rng = stream(seed, "notes")
    bodies = expand(W.NOTE_BODIES)
    for cid, person in enumerate(people, start=1):
        r = rng.random()
        count = 0 if r < 0.6 else 1 if r < 0.85 else rng.randrange(2, 4) if r < 0.95 else \
            rng.randrange(4, 11)
        for _ in range(count):
            day = min(today - 1, person.start_day + rng.randrange(person.span_days + 1))
            yield (cid, rng.choice(bodies), day * DAY + rng.randrange(DAY), rng.random() < 0.05)


def relationship_rows(seed: int, n: int) -> list[tuple]:
    """Pairs within small neighbourhoods of ids, which act as friend groups and families."""
    rng = stream(seed, "relationships")
    kinds = weighted_pool(W.RELATIONSHIP_KINDS)
    seen: set[tuple[int, int, str]] = set()
    for _ in range(n // 4 if n > 1 else 0):
        a = rng.randrange(1, n + 1)
        b = min(n, max(1, a + rng.randrange(-40, 41)))
        key = (a, b, rng.choice(kinds))
        if a != b:
            seen.add(key)
    return sorted(seen)


def reminder_rows(seed: int, n: int, today: int) -> list[tuple]:
    rng = stream(seed, "reminders")
    titles = expand(W.REMINDER_TITLES)
    rows = []
    for uid in new_uids(rng, max(5, n // 100) if n else 0):
        created = (today - rng.randrange(1, 400)) * DAY + rng.randrange(DAY)
        done = created + rng.randrange(DAY, 30 * DAY) if rng.random() < 0.3 else None
        recurrence = rng.choice((None, None, None, "FREQ=YEARLY", "FREQ=MONTHLY;INTERVAL=3"))
        rows.append((uid, rng.randrange(1, n + 1) if rng.random() < 0.8 else None,
                     rng.choice(titles), iso_day(today + rng.randrange(-60, 90)), recurrence,
                     min(done, today * DAY) if done else None, created))
    return rows


# --- interactions ---------------------------------------------------------------------------


def activity_weights(seed: int, n: int) -> list[float]:
    """Log-normal: the median contact gets a few interactions, the top few hundred times more."""
    rng = stream(seed, "activity")
    return [rng.lognormvariate(0.0, 1.3) for _ in range(n)]


def interaction_times(seed: int, m: int, people: list[Person], cum: list[float]) -> list[tuple]:
    """(occurred_at, primary contact id), sorted by time so ids grow with time."""
    rng = stream(seed, "when")
    rand = rng.random
    starts = [p.start_day for p in people]
    spans = [p.span_days for p in people]
    hours = HOURS
    nh = len(hours)
    out = [
        (((starts[c] + int(rand() * spans[c])) * 24 + hours[int(rand() * nh)]) * 3600
         + int(rand() * 3600), c + 1)
        for c in rng.choices(range(len(people)), cum_weights=cum, k=m)
    ]
    out.sort()
    return out


def interaction_batches(
    seed: int, timeline: list[tuple], people: list[Person], cum: list[float], now: int,
    with_initiator: bool,
) -> Iterator[tuple[list[tuple], list[tuple]]]:
    """Chunks of (interaction rows, participant rows); ids are 1..M in time order.
    Participant rows repeat the interaction's time (and initiator, ``with_initiator``)."""
    rng = stream(seed, "interactions")
    rand = rng.random
    n = len(people)
    p_me = [0.2 + 0.8 * p.p_me for p in people]
    kinds = weighted_pool(W.KIND_WEIGHTS)
    summaries = {k: expand(v) for k, v in W.SUMMARIES.items()}
    weights = (0.5, 1.0, 1.5, 2.0, 3.0)
    total = cum[-1]
    for first in range(0, len(timeline), CHUNK):
        chunk = timeline[first:first + CHUNK]
        uids = new_uids(rng, len(chunk))
        rows: list[tuple] = []
        parts: list[tuple] = []
        for iid, (ts, cid), uid, kind in zip(
            range(first + 1, first + len(chunk) + 1), chunk, uids,
            rng.choices(kinds, k=len(chunk)), strict=True,
        ):
            r = rand()
            initiator = "mutual" if r < 0.2 else "me" if r < p_me[cid - 1] else "them"
            pool = summaries[kind]
            rows.append((
                iid, uid, ts, kind, initiator,
                pool[int(rand() * len(pool))] if rand() < 0.8 else None,
                SENTIMENTS[int(rand() * len(SENTIMENTS))],
                weights[int(rand() * 5)] if rand() < 0.03 else None,
                min(now, ts + int(rand() * 36 * 3600)),
            ))
            extra = (initiator,) if with_initiator else ()
            r = rand()
            if r >= 0.14:
                parts.append((iid, cid, ts, *extra))
                continue
            who = {cid}
            want = min(n, 2 if r < 0.10 else 3 if r < 0.13 else 4)
            while len(who) < want:
                if rand() < 0.7:  # someone from the same circle
                    who.add(min(n, max(1, cid + int(rand() * 61) - 30)))
                else:
                    who.add(bisect.bisect_right(cum, rand() * total) + 1)
            parts += [(iid, c, ts, *extra) for c in sorted(who)]
        yield rows, parts


# --- writing --------------------------------------------------------------------------------


def prepare(out: Path, force: bool) -> None:
    """Create and migrate a fresh database with lrm's own code."""
    if out.exists():
        if not force:
            raise SystemExit(f"{out} exists: pass --force to replace it")
        for p in (out, Path(f"{out}-wal"), Path(f"{out}-shm")):
            p.unlink(missing_ok=True)
    from lrm_cli.store.db import Database

    Database(out).close()


def drop_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the named secondary indexes (kept: primary keys and UNIQUE constraints)."""
    found = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    ).fetchall()
    for name, _ in found:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def insert(conn: sqlite3.Connection, counts: Counts, table: str, columns: str, rows) -> None:
    marks = ", ".join("?" for _ in columns.split(","))
    before = conn.total_changes
    conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    counts.add(table, conn.total_changes - before)


def fill(conn: sqlite3.Connection, seed: int, n: int, m: int, today: int,
         log: Callable[[str], None], years: int = YEARS) -> Counts:
    counts = Counts({})
    contacts, people, cultures = contact_rows(seed, n, today, years)
    insert(conn, counts, "contact", "uid, display_name, given_name, family_name, nickname, "
           "organization, title, birthday, how_met, cadence_days, snoozed_until, archived_at, "
           "created_at, updated_at", contacts)
    insert(conn, counts, "contact_method",
           "contact_id, kind, value, label, is_preferred, position",
           method_rows(seed, contacts, cultures))
    activity = activity_weights(seed, n)
    tags, links = tag_rows(seed, n, activity)
    insert(conn, counts, "tag", "id, name, cadence_days", tags)
    insert(conn, counts, "contact_tag", "contact_id, tag_id", links)
    insert(conn, counts, "important_date", "contact_id, kind, label, date, remind_days_before",
           important_date_rows(seed, n))
    insert(conn, counts, "note", "contact_id, body, created_at, pinned",
           note_rows(seed, people, today))
    insert(conn, counts, "relationship", "contact_id, other_contact_id, kind",
           relationship_rows(seed, n))
    insert(conn, counts, "reminder", "uid, contact_id, title, due_on, recurrence, done_at, "
           "created_at", reminder_rows(seed, n, today))
    log(f"contacts and their records: {sum(counts.rows.values()):,} rows")
    if n and m:
        cum = list(accumulate(activity))
        timeline = interaction_times(seed, m, people, cum)
        with_initiator = "initiator" in columns(conn, "interaction_participant")
        part_columns = "interaction_id, contact_id, occurred_at" + (
            ", initiator" if with_initiator else "")
        for rows, parts in interaction_batches(seed, timeline, people, cum, today * DAY,
                                               with_initiator):
            insert(conn, counts, "interaction", "id, uid, occurred_at, kind, initiator, "
                   "summary, sentiment, weight, created_at", rows)
            insert(conn, counts, "interaction_participant", part_columns, parts)
        log(f"interactions: {counts.rows['interaction']:,}")
    derive_stats(conn, counts)
    return counts


def columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}


def derive_stats(conn: sqlite3.Connection, counts: Counts) -> None:
    """Per-contact aggregates, as migration 0002 builds them for an existing database:
    counts and times now, the settings-dependent sums marked stale (stats_key '') for
    lrm to recompute on first use."""
    if not columns(conn, "contact_stats"):
        return
    insert_sql = (
        "INSERT INTO contact_stats (contact_id, interaction_count, first_at, last_at, "
        "balance_num, balance_den, stats_key) SELECT contact_id, count(*), min(occurred_at), "
        "max(occurred_at), 0, 0, '' FROM interaction_participant GROUP BY contact_id"
    )
    before = conn.total_changes
    conn.execute(insert_sql)
    counts.add("contact_stats", conn.total_changes - before)


def generate(out: Path, n: int, m: int, seed: int, today: date, force: bool = False,
             log: Callable[[str], None] = print, years: int = YEARS) -> Counts:
    prepare(out, force)
    conn = sqlite3.connect(out, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -1000000")  # up to 1 GB of page cache
        conn.execute("BEGIN")
        indexes = drop_indexes(conn)
        day = (today - date(1970, 1, 1)).days
        counts = fill(conn, seed, n, m, day, log, years)
        for sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")  # lrm's own setting
    finally:
        conn.close()
    return counts


# --- fresh aggregates -------------------------------------------------------------------------


def default_stats_key() -> str | None:
    """The ``stats_key`` lrm stores with its default scheduler settings (an empty config),
    or None when this version of lrm has no scheduler."""
    try:
        from lrm_cli.services import stats
    except ImportError:
        return None
    from lrm_cli.clock import local_zone

    settings = stats.SchedulerSettings.from_mapping({})
    try:  # the zone lrm resolves in the benchmark's environment (TZ inherited, no config)
        return stats.stats_key(settings, local_zone())
    except TypeError:  # a version whose key does not name the zone
        return stats.stats_key(settings)


def stats_problem(path: Path) -> str | None:
    """None when every ``contact_stats`` row carries the key of lrm's default settings
    (so lrm's ``ensure_fresh`` has nothing to recompute), else what is wrong."""
    expected = default_stats_key()
    conn = sqlite3.connect(path)
    try:
        if not columns(conn, "contact_stats"):
            return None  # a schema without aggregates
        keys = dict(conn.execute("SELECT stats_key, count(*) FROM contact_stats GROUP BY 1"))
    finally:
        conn.close()
    # without a scheduler to ask, '' (set by a migration) is the one known stale key
    stale = {k: n for k, n in keys.items() if (k != expected if expected else not k)}
    if not stale:
        return None
    return (f"{sum(stale.values()):,} of {sum(keys.values()):,} contact_stats rows have "
            f"stats_key {sorted(stale)[:3]}, lrm's default settings give {expected!r}")


def lrm_env(today: date, config: Path) -> dict[str, str]:
    """The benchmark's environment: pinned day, an empty config, no other LRM_*."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LRM_", "PYTHONPROFILE")) and k not in ("NO_COLOR", "LINES")}
    env.update(LRM_TODAY=today.isoformat(), LRM_CONFIG=str(config))
    return env


def freshen_stats(path: Path, today: date) -> tuple[float, str | None]:
    """Run ``lrm --db PATH due --json`` once so that lrm recomputes and stores the
    aggregates, then fold the WAL back into the file (copies of the file alone must carry
    them). Returns the seconds lrm took and a problem, or None when they are fresh."""
    lrm = Path(sys.executable).with_name("lrm")
    with tempfile.TemporaryDirectory(prefix="lrm-gen-") as tmp:
        config = Path(tmp) / "config.toml"
        config.write_text("", encoding="utf-8")
        started = time.perf_counter()
        proc = subprocess.run([str(lrm), "--db", str(path), "due", "--json"],
                              env=lrm_env(today, config), stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - started
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    if proc.returncode != 0:
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        return elapsed, f"lrm due exited {proc.returncode}: {lines[-1] if lines else ''}"
    return elapsed, stats_problem(path)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Generate a realistic lrm database.")
    parser.add_argument("--contacts", type=int, required=True, metavar="N")
    parser.add_argument("--interactions", type=int, required=True, metavar="M")
    parser.add_argument("--out", type=Path, required=True, metavar="PATH")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 29),
                        help="the last day of the history (default 2026-11-29, as LRM_TODAY)")
    parser.add_argument("--years", type=int, default=YEARS, metavar="N",
                        help=f"the history's length before --today (default {YEARS})")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    parser.add_argument("--no-fresh-stats", dest="fresh_stats", action="store_false",
                        help="leave the settings-dependent aggregates stale (skip `lrm due`)")
    parser.add_argument("--quiet", "-q", action="store_true")
    args = parser.parse_args(argv)
    if args.contacts < 0 or args.interactions < 0:
        parser.error("counts must be >= 0")
    if args.years < 1:
        parser.error("--years must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()

    def log(text: str) -> None:
        if not args.quiet:
            print(f"[{time.perf_counter() - started:6.1f} s] {text}", flush=True)

    counts = generate(args.out, args.contacts, args.interactions, args.seed, args.today,
                      args.force, log, args.years)
    if args.fresh_stats:
        took, problem = freshen_stats(args.out, args.today)
        log(f"lrm due (aggregates computed and stored) in {took:.1f} s")
        if problem:
            print(f"warning: contact_stats not fresh: {problem}", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - started
    size = args.out.stat().st_size / 1e6
    if not args.quiet:
        width = max(map(len, counts.rows))
        for table, rows in counts.rows.items():
            print(f"  {table:<{width}}  {rows:>10,}")
    print(f"wrote {args.out} ({size:.1f} MB, seed {args.seed}) in {elapsed:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
