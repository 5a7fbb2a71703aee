"""Whole-process benchmarks of lrm, as ratios to a minimal Typer app measured alongside.

    python bench/run.py            # 15 timed runs of every case (+2 warm-up)
    python bench/run.py --quick    # 5 runs (+1 warm-up)
    python bench/run.py --sizes 1k,10k --runs 25 --only list

Datasets are generated once per size with bench/generate.py and cached in bench/data/
(the cache key covers the generator and the schema revision). Each repetition runs every
case once, in a rotating round-robin order, so that machine noise hits all cases alike.
Prints a table (median ms, spread, ratio to B, target, PASS/FAIL), writes
bench/results/latest.json, and exits 0 when every target passes, 1 otherwise.
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
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
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

# Maximum ratio to B. A target stated for one size also holds at every smaller size
# (less data cannot excuse a slower command); above the largest stated size, report only.
TARGETS: dict[str, dict[int, float]] = {
    "version": {0: 1.1},
    "help": {0: 1.2},
    "list-json": {1_000: 1.3, 10_000: 1.6},
    "list-tty": {1_000: 2.0},
    "complete": {10_000: 1.2},
    "show": {10_000: 1.3},
    "log-iso": {10_000: 3.5},
}
# The size each data-bound case runs at (list --json runs at every selected size).
HOME_SIZE = {"list-tty": 1_000, "complete": 10_000, "show": 10_000, "log-iso": 10_000,
             "log-natural": 10_000}

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

    @property
    def target(self) -> float | None:
        return target_for(self.key, self.contacts)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples) * 1000 if self.samples else float("nan")


@dataclass
class Dataset:
    label: str
    contacts: int
    path: Path
    busiest: int  # the id of an active contact with many interactions


# --- sizes and targets -------------------------------------------------------------------


def parse_size(text: str) -> int:
    match = re.fullmatch(r"(\d+)([km]?)", text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"bad size {text!r}: use e.g. 1k, 10k, 2500")
    return int(match[1]) * {"": 1, "k": 1_000, "m": 1_000_000}[match[2]]


def size_label(contacts: int) -> str:
    if contacts % 1_000_000 == 0:
        return f"{contacts // 1_000_000}m"
    return f"{contacts // 1000}k" if contacts % 1000 == 0 else str(contacts)


def target_for(key: str, contacts: int) -> float | None:
    stated = TARGETS.get(key, {})
    fitting = [size for size in stated if size >= contacts]
    return stated[min(fitting)] if fitting else None


def home_size(key: str, sizes: list[int]) -> int:
    """The selected size closest to the case's own from below, else the smallest."""
    wanted = HOME_SIZE[key]
    below = [s for s in sizes if s <= wanted]
    return max(below) if below else min(sizes)


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
    label = size_label(contacts)
    path = DATA / f"lrm-{label}-seed{SEED}-{cache_key()}.sqlite3"
    if not path.exists():
        generate(contacts, path)
    return Dataset(label, contacts, path, busiest_contact(path))


def generate(contacts: int, path: Path) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    for stale in DATA.glob(f"lrm-{size_label(contacts)}-seed{SEED}-*.sqlite3*"):
        stale.unlink()
    partial = path.with_suffix(".partial")
    print(f"generating {path.name} ...", flush=True)
    subprocess.run(
        [PY, str(BENCH / "generate.py"), "--contacts", str(contacts),
         "--interactions", str(contacts * INTERACTIONS_PER_CONTACT), "--out", str(partial),
         "--seed", str(SEED), "--today", TODAY, "--force", "--quiet"],
        check=True,
    )
    partial.rename(path)


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
    """The cases run on a copy: `log` writes, and lrm may refresh stale aggregates on first
    use (during the warm-up); the cached dataset stays as generated."""
    copy = folder / data.path.name
    shutil.copy2(data.path, copy)
    return replace(data, path=copy)


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
    home = {key: by_size[home_size(key, sizes)] for key in HOME_SIZE}
    d = home["list-tty"]
    cases.append(Case("list-tty", "lrm list (terminal)", db(d.path, "list"), d.contacts,
                      tty=True, check=some_lines))
    d = home["complete"]
    cases.append(Case("complete", 'lrm __complete contacts "An"',
                      [LRM, "__complete", "contacts", "An", "--db", str(d.path)], d.contacts,
                      check=some_lines))
    d = home["show"]
    cases.append(Case("show", "lrm show ID", db(d.path, "show", str(d.busiest)), d.contacts,
                      check=some_lines))
    for key, when in (("log-iso", "2026-11-20"), ("log-natural", "last tuesday")):
        d = home[key]
        argv = db(d.path, "log", str(d.busiest), "--kind", "call", "--when", when,
                  "--summary", "x")
        cases.append(Case(key, f"lrm log --when {when!r}", argv, d.contacts, check=some_lines))
    return cases


def db(path: Path, *args: str) -> list[str]:
    return [LRM, "--db", str(path), *args]


# --- running -----------------------------------------------------------------------------


def environment(config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LRM_", "PYTHONPROFILE")) and k not in ("NO_COLOR", "LINES")}
    env.update(LRM_TODAY=TODAY, LRM_CONFIG=str(config), COLUMNS=str(COLUMNS),
               TERM="xterm-256color")
    return env


def run_piped(argv: list[str], env: dict[str, str]) -> tuple[float, int, bytes, bytes]:
    started = time.perf_counter()
    proc = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, capture_output=True)
    return time.perf_counter() - started, proc.returncode, proc.stdout, proc.stderr


def run_tty(argv: list[str], env: dict[str, str]) -> tuple[float, int, bytes, bytes]:
    """Run with a pseudo-terminal as stdout (so lrm takes its terminal path), reading it
    to the end as a terminal would; stderr goes to a file so it can never block."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    chunks: list[bytes] = []
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
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
        code = proc.wait()
        elapsed = time.perf_counter() - started
        os.close(master)
        err.seek(0)
        return elapsed, code, b"".join(chunks), err.read()


def run_once(case: Case, env: dict[str, str], timed: bool) -> None:
    elapsed, code, out, err = (run_tty if case.tty else run_piped)(case.argv, env)
    if code != 0:
        message = err.decode(errors="replace").strip().splitlines()
        case.error = f"exit {code}: {message[-1] if message else '(no stderr)'}"
    elif case.check and not case.samples and (problem := case.check(out)):
        case.error = problem
    elif timed:
        case.samples.append(elapsed)


def measure(cases: list[Case], env: dict[str, str], runs: int, warmup: int) -> None:
    total = runs + warmup
    for rep in range(total):
        print(f"\rrun {rep + 1}/{total}{' (warm-up)' if rep < warmup else ''}   ",
              end="", file=sys.stderr, flush=True)
        shift = rep % len(cases)
        for case in cases[shift:] + cases[:shift]:
            if case.error is None:
                run_once(case, env, timed=rep >= warmup)
    print("\r" + " " * 30 + "\r", end="", file=sys.stderr, flush=True)


# --- reporting ---------------------------------------------------------------------------


def verdict(case: Case, base_ms: float) -> tuple[float | None, str]:
    if case.error:
        return None, "ERROR"
    ratio = case.median_ms / base_ms
    if case.target is None:
        return ratio, "info"
    return ratio, "PASS" if ratio <= case.target else "FAIL"


def spread_ms(case: Case) -> float:
    if len(case.samples) < 2:
        return 0.0
    q1, _, q3 = statistics.quantiles(case.samples, n=4)
    return (q3 - q1) * 1000


def ms(case: Case) -> str:
    return f"{case.median_ms:7.0f} ms" if case.samples else "      - ms"


def print_report(context: list[Case], cases: list[Case], runs: int, warmup: int) -> None:
    ctx = {c.key: c for c in context}
    base = ctx["B"].median_ms
    print(f"lrm benchmarks: median of {runs} runs (+{warmup} warm-up), interleaved; "
          f"Python {platform.python_version()}, {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs")
    print("\ncontext                                   median     IQR   ratio")
    for c in context:
        ratio = f"{c.median_ms / base:7.2f}" if not c.error else "  ERROR"
        print(f"  {c.label:<38}{ms(c)}{spread_ms(c):6.0f}{ratio}")
    extra = ctx["dateparser"].median_ms - ctx["python"].median_ms
    print(f"  {'dateparser import + parse (minus pass)':<38}{extra:7.0f} ms")
    print(f"\n{'case':<30}{'size':>5}{'median':>10}{'IQR':>6}{'ratio':>7}{'target':>8}  result")
    for c in cases:
        ratio, result = verdict(c, base)
        size = size_label(c.contacts) if c.contacts else "-"
        target = f"<={c.target:.1f}" if c.target else "-"
        shown = f"{ratio:7.2f}" if ratio is not None else "      -"
        error = f"  ({c.error[:100]})" if c.error else ""
        print(f"{c.label:<30}{size:>5}{ms(c)}{spread_ms(c):6.0f}{shown}{target:>8}  {result}"
              + error)
    print_log_note(cases, extra)
    print_noise_note(context + cases)


def print_log_note(cases: list[Case], dateparser_ms: float) -> None:
    by_key = {c.key: c for c in cases}
    iso, natural = by_key.get("log-iso"), by_key.get("log-natural")
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


def write_json(context: list[Case], cases: list[Case], runs: int, warmup: int) -> Path:
    base = next(c for c in context if c.key == "B").median_ms
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "system": platform.platform(),
                    "cpus": os.cpu_count()},
        "runs": runs, "warmup": warmup, "baseline_ms": round(base, 1),
        "cases": [case_json(c, base) for c in context + cases],
        "all_passed": all_passed(cases, base),
    }
    out = RESULTS / "latest.json"
    out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return out


def case_json(case: Case, base_ms: float) -> dict:
    ratio, result = verdict(case, base_ms)
    return {
        "key": case.key, "label": case.label, "contacts": case.contacts or None,
        "argv": case.argv[1:], "tty": case.tty,
        "median_ms": round(case.median_ms, 1) if case.samples else None,
        "iqr_ms": round(spread_ms(case), 1), "ratio": None if ratio is None else round(ratio, 3),
        "target": case.target, "result": result, "error": case.error,
        "samples_ms": [round(s * 1000, 1) for s in case.samples],
    }


def all_passed(cases: list[Case], base_ms: float) -> bool:
    return all(verdict(c, base_ms)[1] in ("PASS", "info") for c in cases)


# --- main --------------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 runs, 1 warm-up")
    parser.add_argument("--runs", type=int, help="timed runs of each case (default 15)")
    parser.add_argument("--warmup", type=int, help="untimed runs first (default 2)")
    parser.add_argument("--sizes", default="1k,10k",
                        type=lambda s: sorted({parse_size(x) for x in s.split(",")}),
                        help="dataset sizes in contacts, 10 interactions each (default 1k,10k)")
    parser.add_argument("--only", metavar="TEXT",
                        help="only the lrm cases whose label contains TEXT")
    args = parser.parse_args(argv)
    args.runs = args.runs or (5 if args.quick else 15)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.quick else 2)
    if args.runs < 1 or not args.sizes or min(args.sizes) < 1:
        parser.error("--runs and sizes must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not Path(LRM).exists():
        print(f"no lrm console script next to {PY}: pip install -e . first", file=sys.stderr)
        return 2
    cached = [dataset(size) for size in args.sizes]
    with tempfile.TemporaryDirectory(prefix="lrm-bench-") as tmp:
        work = Path(tmp)
        config = work / "config.toml"
        config.write_text("", encoding="utf-8")
        datasets = [working_copy(d, work) for d in cached]
        context = context_cases()
        cases = [c for c in lrm_cases(datasets) if not args.only or args.only in c.label]
        measure(context + cases, environment(config), args.runs, args.warmup)
    if any(c.error for c in context):
        for c in context:
            print(f"{c.label}: {c.error}", file=sys.stderr)
        return 2
    print_report(context, cases, args.runs, args.warmup)
    out = write_json(context, cases, args.runs, args.warmup)
    passed = all_passed(cases, next(c for c in context if c.key == "B").median_ms)
    print(f"\n{'all targets pass' if passed else 'some targets FAIL'}; details in "
          f"{out.relative_to(BENCH.parent)}")
    return 0 if passed else 1


if __name__ == "__main__":
    raise SystemExit(main())
