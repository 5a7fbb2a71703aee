"""Whole-process benchmarks of lrm, as ratios to a minimal Typer app measured alongside.

    python bench/run.py                  # 1k,10k,100k: 15 timed runs of every case (+2 warm-up)
    python bench/run.py --quick          # 1k,10k: 5 runs (+1 warm-up)
    python bench/run.py --sizes 10k,100k --runs 25 --only due

Datasets are generated once per size with bench/generate.py and cached in bench/data/
(the cache key covers the generator and the schema revision); lrm computes their
aggregates once, so no timed run pays for that. Each repetition runs every case once, in a
rotating round-robin order, so that machine noise hits all cases alike. Prints a table
(median ms, spread, ratio to B, target, PASS/FAIL), reference figures (bare SQLite and a
bare row load on the largest dataset), and the query plans of the SQL lrm runs for the
scheduler's commands (recorded with bench/sqltrace.py) with full scans of the interaction
tables flagged; writes bench/results/latest.json, and exits 0 when every target passes,
1 otherwise.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import platform
import pty
import re
import shutil
import sqlite3
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import textwrap
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import generate as gen  # bench/generate.py  # noqa: E402

DATA = BENCH / "data"
RESULTS = BENCH / "results"
PY = sys.executable
LRM = str(Path(sys.executable).with_name("lrm"))
TODAY = "2026-11-29"
COLUMNS, LINES = 120, 40
SEED = 1
INTERACTIONS_PER_CONTACT = 10
NOISY = 0.2  # an IQR above this fraction of the median marks a noisy figure
DATEPARSER = "import dateparser; dateparser.parse('last tuesday')"
FULL_SIZES = "1k,10k,100k"
QUICK_SIZES = "1k,10k"
PLAN_SIZE = 100_000  # the query plans are shown for this size (else the largest selected)
# The realistic user (issue 14): 1.5k contacts, 30k interactions over 10 years. Its
# "size" in the target tables sits between 1k and 10k, so that a target stated for it
# holds at 1k too.
USER = 1_500
USER_INTERACTIONS, USER_YEARS = 30_000, 10

# Maximum ratio to B. A target stated for one size also holds at every smaller size
# (less data cannot excuse a slower command); above the largest stated size, report only.
TARGETS: dict[str, dict[int, float]] = {
    "version": {0: 1.1},
    "help": {0: 1.2},
    "list-json": {1_000: 1.3, 10_000: 1.6, 100_000: 3.0},
    "list-tty": {1_000: 2.0},
    "complete": {10_000: 1.2},
    "show": {10_000: 1.3, 100_000: 1.3},
    "log-iso": {10_000: 3.5, 100_000: 3.5},
    "due-json": {10_000: 1.4, 100_000: 1.8},
    "digest-json": {100_000: 2.0},
    "balance-json": {100_000: 2.5},
    "search": {10_000: 1.5},
    # issue 14: every command, not only the hot reads (groups below)
    "first-add": {0: 2.0},
    "sync-same": {1_000: 1.5, 10_000: 3.0},
    "sync-first": {10_000: 1.5},  # x the bare script (bench/bare_sync.py), not B
    "export-vcard": {USER: 2.0},  # the render cache filled by an earlier export
    "export-ics": {USER: 2.0},
    "export-vcard-first": {USER: 2.0},  # an empty render cache: every card rendered
    "export-ics-first": {USER: 2.0},
    "export-json": {USER: 2.0, 10_000: 4.0},
    "import-json": {10_000: 6.0},
    "import-vcard": {100_000: 1.0},  # x vobject's bare parse (bench/bare_vcard.py), not B
    # a phone's few new cards into a big database: the bulk path must not cost per row
    # already there (a scan of the search index was 1 s); the duplicate check reading
    # every name once (~0.2 s at 100k) is what it costs now
    "import-vcard-few": {100_000: 3.0},
    "log-dates": {1_000: 1.6},
    **{key: {1_000: 1.0} for key in ("add", "log", "note", "upcoming", "drift", "timeline")},
}
# Peak memory (MB = 10^6 bytes, the child's ru_maxrss), where the issue states one.
MEMORY: dict[str, dict[int, float]] = {
    "export-json": {10_000: 100},
    "import-json": {10_000: 100},
    "import-vcard": {100_000: 150},
    "export-vcard": {100_000: 150},
}
# The groups of cases (--groups); "core" is the hot reads over --sizes, the others have
# datasets of their own (GROUP_HELP says which).
GROUPS = ("core", "first-run", "typer", "dates", "export", "sync", "big")
GROUP_HELP = {
    "core": "the hot reads (list, due, digest, balance, show, search, log) over --sizes",
    "first-run": "lrm add creating its database (1 case)",
    "typer": "add, log, note, upcoming, drift, timeline on the 1k dataset",
    "dates": "log --when 'last month' / 'Nov 20' on the 1k dataset",
    "export": "export vcard/ics/json on 1k and on the realistic user",
    "sync": "sync --no-command with nothing to change (1k, 10k); first sync 10k",
    "big": "export json + restore 10k; import/export vcard 100k, 3 cards into 100k"
    " (3 runs each)",
}
QUICK_GROUPS = ("core", "first-run", "typer", "dates", "export")
HEAVY_RUNS = 3  # timed runs of the cases that take seconds to minutes (no warm-up)
# Cases that run at every selected size; the others run at their own sizes (below).
EVERY_SIZE = ("list-json", "due-json", "digest-json", "balance-json")
HOME_SIZES = {"list-tty": (1_000,), "complete": (10_000,), "show": (10_000, 100_000),
              "log-iso": (10_000, 100_000), "log-natural": (10_000,),
              "search": (10_000, 100_000)}
SEARCH = "dinner"  # in ~2,700 summaries and how-mets at 10k: thousands of matches ranked

Check = Callable[[bytes], str | None]


@dataclass
class Case:
    key: str  # what the target table knows it as
    label: str  # what the table shows
    argv: list[str]
    contacts: int = 0  # dataset size, 0 when no database is involved
    tty: bool = False
    check: Check | None = None
    samples: list[float] = field(default_factory=list)  # seconds
    error: str | None = None
    inner: list[float] = field(default_factory=list)  # seconds, as the process reports them
    note: str = ""  # what the process reported besides its time
    group: str = "core"
    base: str = "B"  # the key of the case whose median the target is a ratio to
    runs: int | None = None  # at most this many timed runs (heavy cases)
    warmup: int | None = None  # at most this many warm-up runs
    setup: Callable[[], None] | None = None  # before every run, untimed (fresh state)
    env: dict[str, str] = field(default_factory=dict)  # added to the environment
    stdout: Path | None = None  # write stdout to this file instead of a pipe
    rss: list[int] = field(default_factory=list)  # peak memory of each run, bytes
    size_label: str = ""  # shown instead of the contacts' size label

    @property
    def target(self) -> float | None:
        return target_for(self.key, self.contacts)

    @property
    def memory_target(self) -> float | None:
        return target_for(self.key, self.contacts, MEMORY)

    @property
    def peak_mb(self) -> float | None:
        return max(self.rss) / 1e6 if self.rss else None

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000 if self.samples else float("nan")


@dataclass
class Dataset:
    label: str
    contacts: int
    path: Path
    busiest: int  # the id of an active contact with many interactions
    interactions: int = 0
    participants: int = 0
    last_day: str = ""  # of the newest interaction
    scratch: Path | None = None  # a second copy, for the cases that write (log)


# --- sizes and targets -------------------------------------------------------------------


def parse_size(text: str) -> int:
    match = re.fullmatch(r"(\d+)([km]?)", text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"bad size {text!r}: use e.g. 1k, 10k, 2500")
    return int(match[1]) * {"": 1, "k": 1_000, "m": 1_000_000}[match[2]]


def size_label(contacts: int) -> str:
    if contacts == USER:
        return "user"
    if contacts % 1_000_000 == 0:
        return f"{contacts // 1_000_000}m"
    return f"{contacts // 1000}k" if contacts % 1000 == 0 else str(contacts)


def target_for(key: str, contacts: int,
               table: dict[str, dict[int, float]] | None = None) -> float | None:
    stated = (TARGETS if table is None else table).get(key, {})
    fitting = [size for size in stated if size >= contacts]
    return stated[min(fitting)] if fitting else None


def home_sizes(key: str, sizes: list[int]) -> list[int]:
    """For each of the case's own sizes, the selected size closest to it from below, else
    the smallest selected."""
    chosen = set()
    for wanted in HOME_SIZES[key]:
        below = [s for s in sizes if s <= wanted]
        chosen.add(max(below) if below else min(sizes))
    return sorted(chosen)


# --- datasets ----------------------------------------------------------------------------


def cache_key() -> str:
    """Changes when the generator or the schema (the migration scripts) changes."""
    import lrm_cli.store.migrate as migrate

    sources = [BENCH / "generate.py", BENCH / "wordlists.py"]
    sources += sorted((migrate.migrations_dir() / "versions").glob("*.py"))
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:10]


def dataset(contacts: int) -> Dataset:
    """The cached dataset of this size (USER: the realistic user), generated if missing."""
    label = size_label(contacts)
    path = DATA / f"lrm-{label}-seed{SEED}-{cache_key()}.sqlite3"
    if not path.exists():
        generate(contacts, path)
    elif problem := gen.stats_problem(path):
        # e.g. lrm's default scheduler settings changed since the file was made
        print(f"{path.name}: {problem}; letting lrm recompute them ...", flush=True)
        took, problem = gen.freshen_stats(path, date.fromisoformat(TODAY))
        print(f"  lrm due took {took:.1f} s" + (f"; still stale: {problem}" if problem else ""),
              flush=True)
    return Dataset(label, contacts, path, busiest_contact(path), *facts(path))


def facts(path: Path) -> tuple[int, int, str]:
    """Interactions, participant rows, and the day of the newest interaction."""
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        interactions, newest = conn.execute(
            "SELECT count(*), max(occurred_at) FROM interaction").fetchone()
        (participants,) = conn.execute(
            "SELECT count(*) FROM interaction_participant").fetchone()
    finally:
        conn.close()
    day = datetime.fromtimestamp(newest, UTC).date().isoformat() if newest else "-"
    return interactions, participants, day


def generate(contacts: int, path: Path) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    for stale in DATA.glob(f"lrm-{size_label(contacts)}-seed{SEED}-*.sqlite3*"):
        stale.unlink()
    partial = path.with_suffix(f".{os.getpid()}.partial")  # two runs at once: their own
    print(f"generating {path.name} ...", flush=True)
    shape = ["--contacts", str(contacts), "--interactions",
             str(contacts * INTERACTIONS_PER_CONTACT)]
    if contacts == USER:
        shape = ["--contacts", str(USER), "--interactions", str(USER_INTERACTIONS),
                 "--years", str(USER_YEARS)]
    subprocess.run(
        [PY, str(BENCH / "generate.py"), *shape, "--out", str(partial),
         "--seed", str(SEED), "--today", TODAY, "--force", "--quiet"],
        check=True,
    )  # generate.py also runs lrm once on the file, to compute and store the aggregates
    made = facts(partial)[0], count_contacts(partial)
    wanted = (USER_INTERACTIONS, USER) if contacts == USER else (
        contacts * INTERACTIONS_PER_CONTACT, contacts)
    if made != wanted:  # e.g. the schema changed under the generator (a migration added)
        raise SystemExit(f"{partial.name}: {made[1]:,} contacts and {made[0]:,} interactions, "
                         f"expected {wanted[1]:,} and {wanted[0]:,}; not cached")
    partial.rename(path)


def count_contacts(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM contact").fetchone()[0]
    finally:
        conn.close()


def busiest_contact(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        row = conn.execute(
            "SELECT p.contact_id FROM interaction_participant p "
            "JOIN contact c ON c.id = p.contact_id WHERE c.archived_at IS NULL "
            "GROUP BY p.contact_id ORDER BY count(*) DESC, p.contact_id LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return int(row[0]) if row else 1


def working_copy(data: Dataset, folder: Path) -> Dataset:
    """The cases run on a copy, so that the cached dataset stays as generated whatever lrm
    does on first use; the cases that write (`log`) get a second copy, made when asked
    for (`scratch_copy`), so that the read cases time the same data on every run."""
    copy = folder / data.path.name
    shutil.copy2(data.path, copy)
    return replace(data, path=copy)


def scratch_copy(data: Dataset) -> Path:
    if data.scratch is None:
        data.scratch = data.path.with_name(f"scratch-{data.path.name}")
        shutil.copy2(data.path, data.scratch)
    return data.scratch


def warm_up(datasets: list[Dataset], env: dict[str, str]) -> list[dict]:
    """One untimed `lrm due --json` on every copy: the OS page cache, and any first-use
    work lrm does on a database (the aggregates are fresh in a cached dataset, so it
    should find none). Returns what happened, for the report."""
    done = []
    for data in datasets:
        for path in filter(None, (data.path, data.scratch)):
            elapsed, code, _, err, _ = run_piped(db(path, "due", "--json"), env)
            lines = err.decode(errors="replace").strip().splitlines()
            done.append({"size": data.label, "file": path.name, "seconds": round(elapsed, 3),
                         "exit": code, "error": lines[-1] if code and lines else None,
                         "stale_after": gen.stats_problem(path)})
    return done


# --- checks on the first run's output ----------------------------------------------------


def json_list(out: bytes) -> str | None:
    try:
        value = json.loads(out)
    except ValueError:
        return "stdout is not JSON"
    return None if isinstance(value, list) and value else "expected a non-empty JSON list"


def some_lines(out: bytes) -> str | None:
    return None if out.strip() else "printed nothing"


# --- the cases ---------------------------------------------------------------------------


def context_cases() -> list[Case]:
    return [
        Case("python", "python -c pass", [PY, "-c", "pass"]),
        Case("typer", 'python -c "import typer"', [PY, "-c", "import typer"]),
        Case("dateparser", "python -c <import dateparser; parse>", [PY, "-c", DATEPARSER]),
        Case("B", "B: baseline_app.py hello", [PY, str(BENCH / "baseline_app.py"), "hello"],
             check=some_lines),
    ]


def json_value(out: bytes) -> str | None:
    try:
        value = json.loads(out)
    except ValueError:
        return "stdout is not JSON"
    return None if value or value == [] else "expected JSON"


def reported(out: bytes) -> str | None:
    """A reference script prints its own elapsed milliseconds and a row count."""
    parts = out.split()
    try:
        float(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        return "expected '<ms> <rows>' on stdout"
    return None


def reference_cases(data: Dataset) -> list[Case]:
    """Bare SQLite and bare Python on the largest dataset, to put lrm's figures in context:
    each process prints the time of its query alone (`in-process`)."""
    timed = ("import sqlite3, sys, time\n"
             "conn = sqlite3.connect(sys.argv[1])\n"
             "started = time.perf_counter()\n"
             "rows = conn.execute(sys.argv[2]).fetchall()\n"
             "print(f'{(time.perf_counter() - started) * 1000:.2f} {len(rows)}')\n")
    size = f"{data.participants / 1e6:.2f}M" if data.participants >= 1e6 else \
        f"{data.participants:,}"
    return [
        Case("ref-group-by", f"sqlite3: count per contact ({size} rows)",
             [PY, "-c", timed, str(data.path), "SELECT contact_id, count(*) FROM "
              "interaction_participant GROUP BY contact_id"], data.contacts, check=reported),
        Case("ref-load", f"load all {data.interactions:,} interactions",
             [PY, "-c", timed, str(data.path), "SELECT * FROM interaction"], data.contacts,
             check=reported),
    ]


def lrm_cases(datasets: list[Dataset]) -> list[Case]:
    cases = [
        Case("version", "lrm --version", [LRM, "--version"], check=some_lines),
        Case("help", "lrm --help", [LRM, "--help"], check=some_lines),
    ]
    by_size = {d.contacts: d for d in datasets}
    sizes = sorted(by_size)
    for data in datasets:
        cases.append(Case("list-json", "lrm list --json", db(data.path, "list", "--json"),
                          data.contacts, check=json_list))
    for data in datasets:
        cases.append(Case("due-json", "lrm due --json", db(data.path, "due", "--json"),
                          data.contacts, check=json_value))
    for data in datasets:
        cases.append(Case("digest-json", "lrm digest --json",
                          db(data.path, "digest", "--json"), data.contacts, check=json_value))
    for data in datasets:
        cases.append(Case("balance-json", "lrm balance --json",
                          db(data.path, "balance", "--json"), data.contacts, check=json_value))
    for d in (by_size[s] for s in home_sizes("list-tty", sizes)):
        cases.append(Case("list-tty", "lrm list (terminal)", db(d.path, "list"), d.contacts,
                          tty=True, check=some_lines))
    for d in (by_size[s] for s in home_sizes("complete", sizes)):
        cases.append(Case("complete", 'lrm __complete contacts "An"',
                          [LRM, "__complete", "contacts", "An", "--db", str(d.path)],
                          d.contacts, check=some_lines))
    for d in (by_size[s] for s in home_sizes("show", sizes)):
        cases.append(Case("show", "lrm show ID", db(d.path, "show", str(d.busiest)),
                          d.contacts, check=some_lines))
    for d in (by_size[s] for s in home_sizes("search", sizes)):
        cases.append(Case("search", f"lrm search {SEARCH}", db(d.path, "search", SEARCH),
                          d.contacts, check=some_lines))
    for key, when in (("log-iso", "2026-11-20"), ("log-natural", "last tuesday")):
        for d in (by_size[s] for s in home_sizes(key, sizes)):
            argv = db(scratch_copy(d), "log", str(d.busiest), "--kind", "call", "--when",
                      when, "--summary", "x")
            cases.append(Case(key, f"lrm log --when {when!r}", argv, d.contacts,
                              check=some_lines))
    return cases


def db(path: Path, *args: str) -> list[str]:
    return [LRM, "--db", str(path), *args]


# --- the other groups (issue 14): first run, Typer path, dates, exports, sync, big -------


@dataclass
class Work:
    """What the groups' cases share: the run's folder and environment, and the working
    copies of the cached datasets (made when first asked for)."""

    folder: Path
    env: dict[str, str]
    copies: dict[int, Dataset] = field(default_factory=dict)

    def data(self, contacts: int) -> Dataset:
        if contacts not in self.copies:
            self.copies[contacts] = working_copy(dataset(contacts), self.folder)
        return self.copies[contacts]

    def empty_database(self) -> Path:
        """A new, empty lrm database (its schema at head), copied before each run of a case
        that fills one, so that the case times its own work, not creating the file."""
        template = self.folder / "empty.sqlite3"
        if not template.exists():
            # lrm's own opening of a new file (a read-only command given a missing file
            # refuses it: cli/state.py READ_ONLY_COMMANDS)
            make = "import sys; from pathlib import Path; from lrm_cli.store.db import Database"
            make += "; Database(Path(sys.argv[1])).close()"
            code = run_piped([PY, "-c", make, str(template)], self.env)[1]
            if code != 0:
                raise RuntimeError(f"creating an empty database failed (exit {code})")
            fold_wal(template)
        return template

    def say(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)


def fold_wal(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def remove_database(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        p.unlink(missing_ok=True)


def fresh_copy(source: Path, dest: Path) -> Callable[[], None]:
    """A setup that puts a copy of ``source`` (a database with its WAL folded) at ``dest``."""

    def setup() -> None:
        remove_database(dest)
        shutil.copy2(source, dest)  # its mode too (0600: else lrm warns)
        # on disk, as a user's database is: else the command's first fsync (a commit)
        # pays for writing the whole copy out (0.2 s for the 434 MB of the 100k dataset)
        with open(dest, "rb+") as fh:
            os.fsync(fh.fileno())

    return setup


def wrote(path: Path) -> Check:
    """A check that the command wrote a non-empty file at ``path``."""

    def check(_: bytes) -> str | None:
        return None if path.exists() and path.stat().st_size else f"{path.name} not written"

    return check


def first_run_cases(work: Work) -> list[Case]:
    fresh = work.folder / "first-run" / "lrm.sqlite3"

    def setup() -> None:  # a new file in a folder that exists (lrm creates no --db folder)
        fresh.parent.mkdir(exist_ok=True)
        remove_database(fresh)

    return [Case("first-add", "lrm add (creates the database)",
                 db(fresh, "add", "Ada Lovelace", "--email", "ada@example.org"),
                 group="first-run", setup=setup, check=some_lines, size_label="new")]


def typer_cases(work: Work) -> list[Case]:
    data = work.data(1_000)
    scratch, who = scratch_copy(data), str(data.busiest)
    n = data.contacts
    return [
        Case("add", "lrm add", db(scratch, "add", "Bench Person", "--email",
                                  "bench@example.org", "--quiet"), n, group="typer",
             check=some_lines),
        Case("log", "lrm log (ISO date)", db(scratch, "log", who, "--kind", "call", "--when",
                                             "2026-11-20", "--summary", "x"), n,
             group="typer", check=some_lines),
        Case("note", "lrm note", db(scratch, "note", who, "a note from the benchmark"), n,
             group="typer", check=some_lines),
        Case("upcoming", "lrm upcoming", db(data.path, "upcoming"), n, group="typer",
             check=some_lines),
        Case("drift", "lrm drift", db(data.path, "drift"), n, group="typer",
             check=some_lines),
        Case("timeline", "lrm timeline ID", db(data.path, "timeline", who), n, group="typer",
             check=some_lines),
    ]


def date_cases(work: Work) -> list[Case]:
    data = work.data(1_000)
    scratch, who = scratch_copy(data), str(data.busiest)
    return [
        Case("log-dates", f"lrm log --when {when!r}",
             db(scratch, "log", who, "--kind", "call", "--when", when, "--summary", "x"),
             data.contacts, group="dates", check=some_lines)
        for when in ("last month", "Nov 20")
    ]


def export_cases(work: Work) -> list[Case]:
    """Each export on the working copy, whose render cache (migration 0010) the warm-up
    run fills, as after any earlier export; vCard and iCalendar also on a fresh copy of
    the dataset before every run: an empty cache, every card and item rendered."""
    cases = []
    for contacts in (1_000, USER):
        data = work.data(contacts)
        for fmt, ext in (("vcard", "vcf"), ("ics", "ics"), ("json", "json")):
            out = work.folder / f"export-{data.label}.{ext}"
            label = f"lrm export {fmt} --out F" + (" (cached)" if fmt != "json" else "")
            cases.append(Case(f"export-{fmt}", label,
                              db(data.path, "export", fmt, "--out", str(out)), contacts,
                              group="export", check=wrote(out)))
            if fmt == "json":
                continue
            first = work.folder / f"first-export-{data.label}.sqlite3"
            cases.append(Case(f"export-{fmt}-first", f"lrm export {fmt} --out F (first)",
                              db(first, "export", fmt, "--out", str(out)), contacts,
                              group="export", check=wrote(out),
                              setup=fresh_copy(dataset(contacts).path, first)))
    return cases


def sync_config(work: Work, name: str) -> tuple[Path, Path]:
    """A config whose [sync] folders are under work/NAME (made, empty: lrm syncs only
    with folders that exist); the folder and the config."""
    root = work.folder / name
    config = work.folder / f"{name}.toml"
    make_folders(root)
    config.write_text(
        "[sync]\n"
        + "".join(f'{key} = "{root / name}"\n' for key, name in zip(
            ("contacts_vdir", "calendar_vdir", "events_vdir"), SYNC_FOLDERS, strict=True)),
        encoding="utf-8",
    )
    return root, config


SYNC_FOLDERS = ("contacts", "todos", "events")


def make_folders(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
    for name in SYNC_FOLDERS:
        (root / name).mkdir(parents=True, mode=0o700)


def sync_cases(work: Work) -> list[Case]:
    cases = []
    source = None
    for contacts in (1_000, 10_000):
        data = work.data(contacts)
        scratch = work.folder / f"sync-{data.label}.sqlite3"
        shutil.copy2(data.path, scratch)
        root, config = sync_config(work, f"sync-{data.label}")
        env = {"LRM_CONFIG": str(config)}
        argv = db(scratch, "sync", "--no-command")
        work.say(f"first sync of the {data.label} copy (untimed) ...")
        elapsed, code, _, err, _ = run_piped(argv, {**work.env, **env})
        work.say(f"  {elapsed:.1f} s, exit {code}"
                 + (f": {err.decode(errors='replace').strip()[-200:]}" if code else ""))
        cases.append(Case("sync-same", "lrm sync --no-command (no change)", argv, contacts,
                          group="sync", env=env, check=None))
        if contacts == 10_000:
            source = root
    data = work.data(10_000)
    target = work.folder / "sync-first.sqlite3"
    root, config = sync_config(work, "sync-first")
    copy = fresh_copy(data.path, target)

    def setup() -> None:
        copy()
        make_folders(root)

    bare_dest = work.folder / "bare-sync"
    cases.append(Case("bare-sync", "bare script: the same files", [
        PY, str(BENCH / "bare_sync.py"), str(source), str(bare_dest)], data.contacts,
        group="sync", check=reported, runs=HEAVY_RUNS, warmup=0,
        setup=lambda: shutil.rmtree(bare_dest, ignore_errors=True)))
    cases.append(Case("sync-first", "lrm sync --no-command (first)",
                      db(target, "sync", "--no-command"), data.contacts, group="sync",
                      env={"LRM_CONFIG": str(config)}, base="bare-sync", runs=HEAVY_RUNS,
                      warmup=0, setup=setup))
    return cases


def vcard_file(work: Work, contacts: int) -> Path:
    """Every contact of the cached dataset as one vCard file (lrm export vcard), cached
    beside the dataset."""
    data = work.data(contacts)
    cached = DATA / f"{dataset(contacts).path.stem}.vcf"
    if not cached.exists():
        work.say(f"exporting the {data.label} dataset as vCards (untimed, cached) ...")
        partial = cached.with_suffix(f".{os.getpid()}.partial")
        code = run_piped(db(data.path, "export", "vcard", "--out", str(partial)), work.env)[1]
        if code != 0 or not partial.stat().st_size:
            raise RuntimeError(f"lrm export vcard failed (exit {code}) or wrote nothing")
        partial.rename(cached)
    return cached


def big_cases(work: Work) -> list[Case]:
    heavy = {"group": "big", "runs": HEAVY_RUNS, "warmup": 0}
    data = work.data(10_000)
    backup = work.folder / "backup-10k.json"
    restored = work.folder / "restored-10k.sqlite3"
    empty = work.empty_database()
    cases = [
        Case("export-json", "lrm export json --out F",
             db(data.path, "export", "json", "--out", str(backup)), data.contacts,
             check=wrote(backup), **heavy),
        Case("import-json", "lrm import json F (restore)",
             db(restored, "import", "json", str(backup)), data.contacts,
             setup=fresh_copy(empty, restored), **heavy),
        # the floor of a restore: SQLite writing the same rows, no JSON (reported, no target)
        Case("bare-restore", "bare restore: SQLite writes the rows",
             [PY, str(BENCH / "bare_restore.py"), str(data.path), str(restored)],
             data.contacts, check=reported, setup=fresh_copy(empty, restored), **heavy),
    ]
    if not backup.exists():
        work.say("exporting the 10k dataset as JSON for the restore (untimed) ...")
        run_piped(cases[0].argv, work.env)
    big = work.data(100_000)
    cards = vcard_file(work, 100_000)
    into = work.folder / "cards-100k.sqlite3"
    out = work.folder / "export-100k.vcf"
    cases += [
        Case("bare-vcard", "bare vobject parse", [PY, str(BENCH / "bare_vcard.py"),
                                                   str(cards)], big.contacts,
             check=reported, **heavy),
        Case("import-vcard", "lrm import vcard F",
             db(into, "import", "vcard", "--max-size", "1000MB", str(cards)), big.contacts,
             base="bare-vcard", setup=fresh_copy(empty, into), **heavy),
        Case("export-vcard", "lrm export vcard --out F",
             db(big.path, "export", "vcard", "--out", str(out)), big.contacts,
             check=wrote(out), **heavy),
    ]
    few = work.folder / "few.vcf"
    few.write_text("".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Newcomer {i}\r\nUID:bench-few-{i}\r\n"
        f"EMAIL:newcomer{i}@example.org\r\nTEL:+44 20 7946 01{i:02d}\r\nEND:VCARD\r\n"
        for i in range(3)), encoding="utf-8", newline="")
    into_big = work.folder / "few-into-100k.sqlite3"
    cases.append(Case("import-vcard-few", "lrm import vcard F (3 cards)",
                      db(into_big, "import", "vcard", str(few)), big.contacts,
                      setup=fresh_copy(big.path, into_big), group="big", runs=7, warmup=1))
    return cases


GROUP_CASES: dict[str, Callable[[Work], list[Case]]] = {
    "first-run": first_run_cases, "typer": typer_cases, "dates": date_cases,
    "export": export_cases, "sync": sync_cases, "big": big_cases,
}


# --- running -----------------------------------------------------------------------------


# Dropped from the environment: lrm's own settings, and PYTHONDONTWRITEBYTECODE, which
# would make every run compile lrm's ~30 modules from source (~70 ms on a 2-CPU box, a
# quarter of B) where an installed lrm loads them from __pycache__: with it dropped, the
# warm-up runs write the byte-code caches, as a user's first run does.
DROPPED = ("NO_COLOR", "LINES", "PYTHONDONTWRITEBYTECODE")


def environment(config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LRM_", "PYTHONPROFILE")) and k not in DROPPED}
    env.update(LRM_TODAY=TODAY, LRM_CONFIG=str(config), COLUMNS=str(COLUMNS),
               TERM="xterm-256color")
    return env


def _drain(stream, chunks: list[bytes]) -> None:
    while chunk := stream.read(65536):
        chunks.append(chunk)
    stream.close()


PEAK = BENCH / "peak.py"


def wrapped(argv: list[str]) -> tuple[list[str], Path]:
    """``argv`` run by bench/peak.py, and the file where it reports the command's seconds
    and peak memory (a child of this process would report at least this process's size:
    peak.py says why)."""
    fd, report = tempfile.mkstemp(prefix="lrm-bench-peak-")
    os.close(fd)
    return [PY, "-S", "-E", str(PEAK), report, *argv], Path(report)


def _reap(proc: subprocess.Popen, report: Path) -> tuple[int, float, int]:
    """Exit code, seconds from spawn to exit and peak memory (bytes) of the command."""
    code = proc.wait()
    try:
        seconds, rss = report.read_text().split()
        return code, float(seconds), int(rss)
    except (OSError, ValueError):  # the wrapper could not run the command
        return code or 127, 0.0, 0
    finally:
        report.unlink(missing_ok=True)


def run_piped(argv: list[str], env: dict[str, str], stdout: Path | None = None,
              ) -> tuple[float, int, bytes, bytes, int]:
    """Run ``argv`` with its stdout and stderr piped (or stdout into the file ``stdout``):
    seconds from spawn to exit, exit code, stdout, stderr and peak memory (bytes)."""
    out_file = open(stdout, "wb") if stdout else None  # noqa: SIM115
    argv, report = wrapped(argv)
    try:
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                stdout=out_file or subprocess.PIPE, stderr=subprocess.PIPE)
        out: list[bytes] = []
        err: list[bytes] = []
        readers = [threading.Thread(target=_drain, args=(proc.stderr, err))]
        if out_file is None:
            readers.append(threading.Thread(target=_drain, args=(proc.stdout, out)))
        for reader in readers:
            reader.start()
        code, elapsed, rss = _reap(proc, report)
        for reader in readers:
            reader.join()
    finally:
        if out_file:
            out_file.close()
    if stdout:
        with open(stdout, "rb") as fh:
            out = [fh.read(4096)]  # enough for the checks
    return elapsed, code, b"".join(out), b"".join(err), rss


def run_tty(argv: list[str], env: dict[str, str], stdout: Path | None = None,
            ) -> tuple[float, int, bytes, bytes, int]:
    """Run with a pseudo-terminal as stdout (so lrm takes its terminal path), reading it
    to the end as a terminal would; stderr goes to a file so it can never block."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    chunks: list[bytes] = []
    argv, report = wrapped(argv)
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=slave,
                                stderr=err)
        os.close(slave)
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        code, elapsed, rss = _reap(proc, report)
        os.close(master)
        err.seek(0)
        return elapsed, code, b"".join(chunks), err.read(), rss


def run_once(case: Case, env: dict[str, str], timed: bool) -> None:
    if case.setup:
        try:
            case.setup()
        except Exception as exc:  # report, never fail the benchmark on it
            case.error = f"setup failed: {type(exc).__name__}: {exc}"
            return
    run = run_tty if case.tty else run_piped
    elapsed, code, out, err, rss = run(case.argv, {**env, **case.env}, case.stdout)
    if code != 0:
        message = err.decode(errors="replace").strip().splitlines()
        case.error = f"exit {code}: {message[-1] if message else '(no stderr)'}"
    elif case.check and not case.samples and (problem := case.check(out)):
        case.error = problem
    elif timed:
        case.samples.append(elapsed)
        case.rss.append(rss)
        if case.check is reported:
            inner_ms, rows = out.split()[:2]
            case.inner.append(float(inner_ms) / 1000)
            case.note = f"{int(rows):,} rows"


def measure(cases: list[Case], env: dict[str, str], runs: int, warmup: int) -> None:
    """Round-robin: repetition ``rep`` runs every case once, in an order rotated by one
    each time; a case with fewer runs of its own (heavy ones) does its warm-up runs first
    and then its timed ones, and sits out the repetitions it does not need."""
    total = runs + warmup
    for rep in range(total):
        print(f"\rrun {rep + 1}/{total}{' (warm-up)' if rep < warmup else ''}   ",
              end="", file=sys.stderr, flush=True)
        shift = rep % len(cases)
        for case in cases[shift:] + cases[:shift]:
            own_warmup = warmup if case.warmup is None else min(warmup, case.warmup)
            own_runs = runs if case.runs is None else min(runs, case.runs)
            if case.error is None and rep < own_warmup + own_runs:
                run_once(case, env, timed=rep >= own_warmup)
    print("\r" + " " * 30 + "\r", end="", file=sys.stderr, flush=True)


# --- query plans -------------------------------------------------------------------------

# The commands whose SQL is recorded (bench/sqltrace.py) and explained; ID is the busiest
# contact. `log` runs on the scratch copy.
PLAN_COMMANDS: list[tuple[str, list[str]]] = [
    ("due", ["due", "--json"]),
    ("balance", ["balance", "--json"]),
    ("balance ID", ["balance", "ID", "--json"]),
    ("drift", ["drift", "--json"]),
    ("upcoming", ["upcoming", "--json"]),
    ("digest", ["digest", "--json"]),
    ("show ID", ["show", "ID"]),
    ("log ID", ["log", "ID", "--kind", "call", "--when", "2026-11-20", "--summary", "x"]),
    ("list", ["list", "--json"]),
    ("search", ["search", SEARCH]),
]
RECOMPUTE = "recompute ID"  # stats.recompute on one contact: the per-contact history seek
CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|END|PRAGMA|SAVEPOINT|RELEASE)\b", re.I)
WATCHED = ("interaction", "interaction_participant")  # a SCAN of these reads ~1M rows
NOT_ALIAS = {"where", "on", "left", "join", "inner", "cross", "indexed", "not", "group",
             "order", "limit", "using", "union", "natural", "window", "having", "set",
             "values", "select", "default", "as", "outer", "full", "right", "except"}


@dataclass
class Statement:
    sql: str
    params: list | dict
    origin: str  # file:line function, in lrm's store layer when the SQL is built there
    used_by: dict[str, int] = field(default_factory=dict)  # command -> executions per run
    plan: list[str] = field(default_factory=list)
    full_scans: list[str] = field(default_factory=list)  # of WATCHED tables
    ms: float | None = None  # the statement alone, median of 3, in this process
    rows: int | None = None
    error: str | None = None


@dataclass
class Plans:
    size: str = ""
    commands: dict[str, str] = field(default_factory=dict)  # command -> "N statements" / error
    statements: list[Statement] = field(default_factory=list)
    table_rows: dict[str, int] = field(default_factory=dict)
    error: str | None = None


def normalized(sql: str) -> str:
    """One line; `IN (?,?,?)` lists of any length are one statement."""
    return re.sub(r"\?(?:\s*,\s*\?)+", "?,...", " ".join(sql.split()))


def trace_command(argv: list[str], env: dict[str, str], out: Path) -> tuple[list[dict], str]:
    """Run one lrm command under bench/sqltrace.py; its statements and a status line."""
    proc = subprocess.run([PY, str(BENCH / "sqltrace.py"), str(out), *argv], env=env,
                          stdin=subprocess.DEVNULL, capture_output=True)
    try:
        recorded = json.loads(out.read_text(encoding="utf-8"))["statements"]
    except (OSError, ValueError, KeyError):
        recorded = []
    if proc.returncode != 0:
        lines = proc.stderr.decode(errors="replace").strip().splitlines()
        return recorded, f"exit {proc.returncode}: {lines[-1][:100] if lines else ''}"
    return recorded, f"{sum(r['times'] for r in recorded)} statements"


def trace_recompute(path: Path, contact_id: int) -> tuple[list[dict], str]:
    """What lrm runs for a contact whose aggregates are stale (never in a timed run, since
    the datasets are fresh): `services.stats.recompute`, in a transaction rolled back."""
    try:
        import sqltrace

        from lrm_cli.services import stats
    except ImportError as exc:
        return [], f"cannot import: {exc}"
    sqltrace.RECORDED.clear()
    conn = sqlite3.connect(path, isolation_level=None, factory=sqltrace.TracingConnection)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            from lrm_cli.clock import local_zone

            stats.recompute(conn, [contact_id], stats.SchedulerSettings.from_mapping({}),
                            local_zone())
        finally:
            conn.execute("ROLLBACK")
    except Exception as exc:  # report, never fail the benchmark on it
        return list(sqltrace.RECORDED), f"{type(exc).__name__}: {exc}"
    finally:
        conn.close()
    return list(sqltrace.RECORDED), f"{len(sqltrace.RECORDED)} statements"


def aliases(sql: str) -> dict[str, str]:
    """Table names and aliases (as the query plan names them) to table names."""
    found: dict[str, str] = {}
    for m in re.finditer(r'\b(?:FROM|JOIN|UPDATE|INTO)\s+"?(\w+)"?(?:\s+(?:AS\s+)?(\w+))?',
                         sql, re.I):
        found[m[1]] = m[1]
        if m[2] and m[2].lower() not in NOT_ALIAS:
            found[m[2]] = m[1]
    return found


def explain(conn: sqlite3.Connection, stmt: Statement, index_tables: dict[str, str]) -> None:
    rows = conn.execute(f"EXPLAIN QUERY PLAN {stmt.sql}", stmt.params).fetchall()
    depth: dict[int, int] = {0: -1}
    names = aliases(stmt.sql)
    for node, parent, _, detail in rows:
        depth[node] = depth.get(parent, -1) + 1
        stmt.plan.append("   " * depth[node] + detail)
        scan = re.match(r"(?:SCAN|SCAN TABLE) (\w+)", detail)
        if not scan:
            continue
        index = re.search(r"INDEX (\w+)", detail)
        table = index_tables.get(index[1]) if index else names.get(scan[1], scan[1])
        if table in WATCHED:
            stmt.full_scans.append(f"{detail} (table {table})")


def time_statement(conn: sqlite3.Connection, stmt: Statement) -> None:
    if not re.match(r"\s*(SELECT|WITH)\b", stmt.sql, re.I):
        return
    times = []
    for _ in range(3):
        started = time.perf_counter()
        rows = conn.execute(stmt.sql, stmt.params).fetchall()
        times.append(time.perf_counter() - started)
    stmt.ms, stmt.rows = statistics.median(times) * 1000, len(rows)


def query_plans(data: Dataset, env: dict[str, str], work: Path) -> Plans:
    """Record the SQL of the scheduler's commands (and a recompute) on this dataset's copy,
    then EXPLAIN QUERY PLAN and time each distinct statement with its recorded parameters."""
    plans = Plans(size=data.label)
    by_sql: dict[str, Statement] = {}
    hidden = 0

    def add(command: str, recorded: list[dict]) -> None:
        nonlocal hidden
        for r in recorded:
            if CONTROL.match(r["sql"]) or "/store/db.py" in r["origin"]:
                hidden += 1  # transactions, pragmas, the schema check on open
                continue
            stmt = by_sql.setdefault(normalized(r["sql"]),
                                     Statement(r["sql"], r["params"], r["origin"]))
            stmt.used_by[command] = stmt.used_by.get(command, 0) + r["times"]

    for name, args in PLAN_COMMANDS:
        args = [str(data.busiest) if a == "ID" else a for a in args]
        path = scratch_copy(data) if name.startswith("log") else data.path
        recorded, status = trace_command(db(path, *args)[1:], env, work / "trace.json")
        plans.commands[name] = status
        add(name, recorded)
    recorded, plans.commands[RECOMPUTE] = trace_recompute(data.path, data.busiest)
    add(RECOMPUTE, recorded)
    plans.statements = list(by_sql.values())

    conn = sqlite3.connect(data.path, isolation_level=None)
    try:
        conn.execute("PRAGMA foreign_keys = ON")  # as lrm's connections
        index_tables = dict(conn.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index'"))
        for (table,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall():
            plans.table_rows[table] = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for stmt in plans.statements:
            try:
                explain(conn, stmt, index_tables)
                time_statement(conn, stmt)
            except sqlite3.Error as exc:
                stmt.error = str(exc)
    finally:
        conn.close()
    if hidden:
        plans.commands["(not shown)"] = f"{hidden} transaction, pragma and open statements"
    return plans


def print_plans(plans: Plans) -> None:
    print(f"\nquery plans: the SQL lrm ran for each command below on the {plans.size} copy "
          "(recorded by bench/sqltrace.py),\nEXPLAIN QUERY PLAN with the recorded parameters; "
          "ms = the statement alone, median of 3, in-process")
    for name, status in plans.commands.items():
        sql_ms = sql_time(plans, name)
        shown = f"~{sql_ms:.0f} ms" if sql_ms >= 1 else "<1 ms"
        timed = "statements" in status and name in {c for c, _ in PLAN_COMMANDS} | {RECOMPUTE}
        print(f"  {name:<14}{status}" + (f", SQL alone {shown}" if timed else ""))
    rows = ", ".join(f"{t} {n:,}" for t, n in plans.table_rows.items()
                     if t in ("contact", "contact_stats", *WATCHED))
    print(f"  rows: {rows}")
    for number, stmt in enumerate(plans.statements, start=1):
        used = ", ".join(f"{c}" + (f" x{n}" if n > 1 else "")
                         for c, n in stmt.used_by.items())
        cost = f"{stmt.ms:.1f} ms, {stmt.rows:,} rows" if stmt.ms is not None else ""
        print(f"\n[{number}] {stmt.origin}  ({used}) {cost}")
        for line in textwrap.wrap(normalized(stmt.sql), 112)[:8]:
            print(f"    {line}")
        if stmt.error:
            print(f"    ERROR {stmt.error}")
        for line in stmt.plan:
            flag = "   <-- FULL SCAN" if any(line.strip() in f for f in stmt.full_scans) else ""
            print(f"    | {line}{flag}")
    flagged = [(n, s) for n, s in enumerate(plans.statements, start=1) if s.full_scans]
    if flagged:
        print(f"\nFULL SCANS of {' / '.join(WATCHED)}: "
              + "; ".join(f"[{n}] {s.origin} ({', '.join(s.used_by)})" for n, s in flagged))
    else:
        print(f"\nno full scan of {' / '.join(WATCHED)} in these plans")


def sql_time(plans: Plans, command: str) -> float:
    """What the command's SELECTs cost in SQLite alone: each statement's own time times its
    executions (statements with other parameters in a loop are assumed alike)."""
    return sum(s.ms * s.used_by[command] for s in plans.statements
               if s.ms is not None and command in s.used_by)


def plans_json(plans: Plans) -> dict:
    return {
        "size": plans.size, "commands": plans.commands, "table_rows": plans.table_rows,
        "sql_ms": {c: round(sql_time(plans, c), 1) for c in plans.commands},
        "statements": [
            {"origin": s.origin, "used_by": s.used_by, "sql": normalized(s.sql),
             "params": s.params, "plan": [p.strip() for p in s.plan],
             "full_scans": s.full_scans, "ms": None if s.ms is None else round(s.ms, 2),
             "rows": s.rows, "error": s.error}
            for s in plans.statements
        ],
    }


# --- reporting ---------------------------------------------------------------------------


Bases = dict[str, "Case"]  # the cases a target may be a ratio to, by key (B and the bare scripts)


def bases_of(cases: list[Case]) -> Bases:
    return {c.key: c for c in cases if c.key in ("B", "bare-sync", "bare-vcard")}


def verdict(case: Case, bases: Bases) -> tuple[float | None, str]:
    base = bases.get(case.base)
    if case.error:
        return None, "ERROR"
    if base is None or base.error or not base.samples:
        return None, f"ERROR (no {case.base})"
    ratio = case.median_ms / base.median_ms
    memory = case.memory_target
    over = memory is not None and (case.peak_mb or 0) > memory
    if case.target is None and memory is None:
        return ratio, "info"
    slow = case.target is not None and ratio > case.target
    if slow or over:
        return ratio, "FAIL" + (" (memory)" if over and not slow else "")
    return ratio, "PASS"


def best_ratio(case: Case, bases: Bases) -> float | None:
    """Fastest run over the base's fastest: less sensitive to a busy machine than the
    medians (shown beside the ratio, never judged)."""
    base = bases.get(case.base)
    if case.error or not case.samples or base is None or not base.samples:
        return None
    return min(case.samples) / min(base.samples)


def spread_ms(case: Case) -> float:
    if len(case.samples) < 2:
        return 0.0
    q1, _, q3 = statistics.quantiles(case.samples, n=4)
    return (q3 - q1) * 1000


def ms(case: Case) -> str:
    return f"{case.median_ms:7.0f} ms" if case.samples else "      - ms"


def print_report(context: list[Case], refs: list[Case], cases: list[Case], runs: int,
                 warmup: int, datasets: list[Dataset], warmups: list[dict]) -> None:
    ctx = {c.key: c for c in context}
    base = ctx["B"].median_ms
    bases = bases_of(context + cases)
    print(f"lrm benchmarks: median of {runs} runs (+{warmup} warm-up), interleaved; "
          f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs; LRM_TODAY={TODAY}")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("  PYTHONDONTWRITEBYTECODE was set: dropped for the benchmark, so that the "
              "warm-up runs write lrm's byte-code caches")
    for d in datasets:
        print(f"  dataset {d.label:>4}: {d.contacts:,} contacts, {d.interactions:,} interactions "
              f"({d.participants:,} participant rows), newest {d.last_day}, busiest ID "
              f"{d.busiest}")
    for w in warmups:
        state = f"ERROR {w['error']}" if w["exit"] else (
            f"aggregates STALE: {w['stale_after']}" if w["stale_after"] else "aggregates fresh")
        print(f"  warm-up lrm due --json on {w['file']}: {w['seconds']:.2f} s, {state}")
    print("\ncontext                                   median     IQR   ratio")
    for c in context:
        ratio = f"{c.median_ms / base:7.2f}" if not c.error else "  ERROR"
        print(f"  {c.label:<38}{ms(c)}{spread_ms(c):6.0f}{ratio}")
    extra = ctx["dateparser"].median_ms - ctx["python"].median_ms
    print(f"  {'dateparser import + parse (minus pass)':<38}{extra:7.0f} ms")
    if refs:
        print(f"\nreference ({size_label(refs[0].contacts)}, whole process; "
              "in-process = the query alone)      median     IQR   ratio  in-process")
        for c in refs:
            if c.error:
                print(f"  {c.label:<38}  ERROR ({c.error[:80]})")
                continue
            inner = statistics.median(c.inner) * 1000 if c.inner else float("nan")
            print(f"  {c.label:<38}{ms(c)}{spread_ms(c):6.0f}{c.median_ms / base:7.2f}"
                  f"{inner:9.0f} ms  {c.note}")
    print(f"\n{'case':<34}{'size':>5}{'median':>10}{'IQR':>6}{'ratio':>8}{'best':>8}"
          f"{'target':>18}{'peak MB':>9}{'limit':>6}  result")
    for c in cases:
        ratio, result = verdict(c, bases)
        size = c.size_label or (size_label(c.contacts) if c.contacts else "-")
        target = f"<={c.target:.1f}" if c.target else "-"
        if c.base != "B":
            target += f" x{c.base}"
        shown = f"{ratio:8.2f}" if ratio is not None else "       -"
        best = best_ratio(c, bases)
        best_shown = f"{best:8.2f}" if best is not None else "       -"
        peak = f"{c.peak_mb:9.0f}" if c.peak_mb is not None else "        -"
        limit = f"{c.memory_target:6.0f}" if c.memory_target else "     -"
        error = f"  ({c.error[:100]})" if c.error else ""
        print(f"{c.label:<34}{size:>5}{ms(c)}{spread_ms(c):6.0f}{shown}{best_shown}{target:>18}"
              f"{peak}{limit}  {result}" + error)
    if any(c.base != "B" for c in cases):
        print("  (a target marked xNAME is a ratio to that case's median, not to B)")
    print_log_note(cases, extra)
    print_noise_note(context + refs + cases)


def print_log_note(cases: list[Case], dateparser_ms: float) -> None:
    natural = next((c for c in cases if c.key == "log-natural"), None)
    iso = next((c for c in cases if c.key == "log-iso" and natural
                and c.contacts == natural.contacts), None)
    if iso and natural and iso.samples and natural.samples:
        extra = natural.median_ms - iso.median_ms
        within = "within" if extra <= dateparser_ms else "OVER"
        print(f"\nlog --when 'last tuesday': {extra:+.0f} ms over the ISO date; its budget is "
              f"dateparser's own import + parse, {dateparser_ms:.0f} ms ({within} budget).")


def print_noise_note(cases: list[Case]) -> None:
    noisy = [c for c in cases if len(c.samples) > 1 and spread_ms(c) > NOISY * c.median_ms]
    if len(noisy) * 3 >= len(cases):
        print(f"\nnote: {len(noisy)} of {len(cases)} figures have an IQR above "
              f"{NOISY:.0%} of their median: the machine was busy; trust the ratios less, "
              "or rerun with more --runs on a quieter machine.")


def write_json(context: list[Case], refs: list[Case], cases: list[Case], runs: int,
               warmup: int, datasets: list[Dataset], warmups: list[dict],
               plans: Plans | None) -> Path:
    baseline = next(c for c in context if c.key == "B")
    base = baseline.median_ms
    bases = bases_of(context + cases)
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "system": platform.platform(),
                    "cpus": os.cpu_count()},
        "runs": runs, "warmup": warmup, "today": TODAY, "baseline_ms": round(base, 1),
        "datasets": [{"size": d.label, "contacts": d.contacts, "interactions": d.interactions,
                      "participants": d.participants, "newest": d.last_day,
                      "busiest": d.busiest} for d in datasets],
        "warmups": warmups,
        "cases": [case_json(c, bases) for c in context + refs + cases],
        "plans": plans_json(plans) if plans else None,
        "all_passed": all_passed(cases, bases),
    }
    out = RESULTS / "latest.json"
    out.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def case_json(case: Case, bases: Bases) -> dict:
    ratio, result = verdict(case, bases)
    best = best_ratio(case, bases)
    return {
        "key": case.key, "label": case.label, "contacts": case.contacts or None,
        "group": case.group, "base": case.base, "argv": case.argv[1:], "tty": case.tty,
        "peak_mb": None if case.peak_mb is None else round(case.peak_mb, 1),
        "memory_target_mb": case.memory_target,
        "median_ms": round(case.median_ms, 1) if case.samples else None,
        "iqr_ms": round(spread_ms(case), 1), "ratio": None if ratio is None else round(ratio, 3),
        "best_ratio": None if best is None else round(best, 3),
        "target": case.target, "result": result, "error": case.error,
        "samples_ms": [round(s * 1000, 1) for s in case.samples],
        **({"in_process_ms": round(statistics.median(case.inner) * 1000, 1), "note": case.note}
           if case.inner else {}),
    }


def all_passed(cases: list[Case], bases: Bases) -> bool:
    return all(verdict(c, bases)[1] in ("PASS", "info") for c in cases)


# --- main --------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"5 runs, 1 warm-up, sizes {QUICK_SIZES} unless --sizes")
    parser.add_argument("--runs", type=int, help="timed runs of each case (default 15)")
    parser.add_argument("--warmup", type=int, help="untimed runs first (default 2)")
    parser.add_argument("--sizes", type=lambda s: sorted({parse_size(x) for x in s.split(",")}),
                        help="dataset sizes in contacts, 10 interactions each "
                             f"(default {FULL_SIZES}; with --quick {QUICK_SIZES})")
    parser.add_argument("--only", metavar="TEXT",
                        help="only the lrm cases whose label contains TEXT")
    parser.add_argument(
        "--groups", type=lambda s: [g.strip() for g in s.split(",") if g.strip()],
        help="comma-separated groups of cases (default all; with --quick "
             f"{','.join(QUICK_GROUPS)}): "
             + "; ".join(f"{g}: {h}" for g, h in GROUP_HELP.items()))
    parser.add_argument("--no-reference", dest="reference", action="store_false",
                        help="skip the bare SQLite / bare load reference figures")
    parser.add_argument("--no-plans", dest="plans", action="store_false",
                        help="skip recording and explaining the scheduler's SQL")
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = sorted(parse_size(x) for x in
                            (QUICK_SIZES if args.quick else FULL_SIZES).split(","))
    if args.groups is None:
        args.groups = list(QUICK_GROUPS if args.quick else GROUPS)
    unknown = [g for g in args.groups if g not in GROUPS]
    if unknown:
        parser.error(f"unknown group {', '.join(unknown)}: choose from {', '.join(GROUPS)}")
    args.runs = args.runs or (5 if args.quick else 15)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.quick else 2)
    if args.runs < 1 or not args.sizes or min(args.sizes) < 1:
        parser.error("--runs and sizes must be positive")
    return args


def selected(cases: list[Case], only: str | None) -> list[Case]:
    """The cases whose label contains ``only``, with the cases their targets are ratios
    to (the bare scripts)."""
    if not only:
        return cases
    kept = [c for c in cases if only in c.label]
    needed = {c.base for c in kept}
    return [c for c in cases if c in kept or c.key in needed]


def plan_dataset(datasets: list[Dataset]) -> Dataset:
    exact = [d for d in datasets if d.contacts == PLAN_SIZE]
    return exact[0] if exact else max(datasets, key=lambda d: d.contacts)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not Path(LRM).exists():
        print(f"no lrm console script next to {PY}: pip install -e . first", file=sys.stderr)
        return 2
    core = "core" in args.groups
    cached = [dataset(size) for size in args.sizes] if core else []
    plans = None
    with tempfile.TemporaryDirectory(prefix="lrm-bench-") as tmp:
        folder = Path(tmp)
        config = folder / "config.toml"
        config.write_text("", encoding="utf-8")
        env = environment(config)
        work = Work(folder, env)
        for data in cached:
            work.copies[data.contacts] = working_copy(data, folder)
        datasets = core_sets = list(work.copies.values())
        context = context_cases()
        refs = reference_cases(max(datasets, key=lambda d: d.contacts)) \
            if args.reference and core else []
        cases = lrm_cases(datasets) if core else []
        for group in args.groups:
            if group != "core":
                cases += GROUP_CASES[group](work)
        cases = selected(cases, args.only)
        datasets = list(work.copies.values())
        warmups = warm_up(datasets, env)
        measure(context + refs + cases, env, args.runs, args.warmup)
        if args.plans and core:
            print("recording and explaining the scheduler's SQL ...", file=sys.stderr,
                  flush=True)
            plans = query_plans(plan_dataset(core_sets), env, folder)
    if any(c.error for c in context):
        for c in context:
            print(f"{c.label}: {c.error}", file=sys.stderr)
        return 2
    print_report(context, refs, cases, args.runs, args.warmup, datasets, warmups)
    if plans:
        print_plans(plans)
    out = write_json(context, refs, cases, args.runs, args.warmup, datasets, warmups, plans)
    passed = all_passed(cases, bases_of(context + cases))
    print(f"\n{'all targets pass' if passed else 'some targets FAIL'}; details in "
          f"{out.relative_to(BENCH.parent)}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
