"""lrm against its peer khard, on the same contacts (not a test: run it by hand).

    python bench/peer_khard.py [DB] [RUNS]

DB is an lrm database (default: the cached 1k benchmark dataset, built by bench/run.py).
Its contacts are exported with ``lrm export vcard --vdir`` into a temporary folder, khard
gets a config pointing at that folder, and then, interleaved, RUNS times each (default
15, after 2 warm-up runs): ``khard list`` (khard parses every card of the vdir; its
output piped) and ``lrm --db DB list --json`` (piped). The issue's target: lrm at least
4x faster (the ratio printed is khard's median over lrm's).

khard comes from the test extras (pip install -e '.[test]'); its executable and lrm's are
looked up next to this Python.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent


def run(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {done.stderr.decode()[-500:]}")
    return elapsed


def main() -> int:
    data = HERE / "data"
    db = Path(sys.argv[1]) if len(sys.argv) > 1 else next(iter(sorted(data.glob("lrm-1k-*"))), None)
    if db is None or not db.exists():
        raise SystemExit("no database: run python bench/run.py --quick once, or pass DB")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    khard, lrm = BIN / "khard", BIN / "lrm"
    if not khard.exists():
        raise SystemExit("khard is not installed: pip install -e '.[test]'")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        copy = work / "lrm.sqlite3"
        shutil.copyfile(db, copy)
        config = work / "config.toml"
        config.write_text("")
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("LRM_")},
            "LRM_CONFIG": str(config),
            "LRM_TODAY": "2026-11-29",
            "HOME": str(work),
        }
        vdir = work / "vdir"
        subprocess.run(
            [str(lrm), "--db", str(copy), "export", "vcard", "--vdir", str(vdir)],
            env=env,
            check=True,
            capture_output=True,
        )
        cards = len(list(vdir.glob("*.vcf")))
        khard_conf = work / "khard.conf"
        khard_conf.write_text(
            "[addressbooks]\n[[lrm]]\n"
            f"path = {vdir}\n"
            "[general]\ndebug = no\ndefault_action = list\neditor = vim\nmerge_editor = vimdiff\n"
            "[contact table]\ndisplay = first_name\ngroup_by_addressbook = no\n"
            "reverse = no\nshow_nicknames = no\nshow_uids = yes\nsort = last_name\n"
            "localize_dates = yes\npreferred_phone_number_type = pref, cell, home\n"
            "preferred_email_address_type = pref, work, home\n"
            "[vcard]\nprivate_objects = Jabber, Skype, Twitter\npreferred_version = 3.0\n"
            "search_in_source_files = no\nskip_unparsable = no\n",
            encoding="utf-8",
        )
        khard_argv = [str(khard), "-c", str(khard_conf), "list"]
        lrm_argv = [str(lrm), "--db", str(copy), "list", "--json"]
        for _ in range(2):
            run(khard_argv, env)
            run(lrm_argv, env)
        times: dict[str, list[float]] = {"khard": [], "lrm": []}
        for i in range(runs):
            order = [("khard", khard_argv), ("lrm", lrm_argv)]
            for name, argv in order if i % 2 == 0 else reversed(order):
                times[name].append(run(argv, env))
    k, m = statistics.median(times["khard"]), statistics.median(times["lrm"])
    print(f"{cards} contacts exported as vCards from {db.name}; medians of {runs} runs")
    print(f"  khard list              {k * 1000:7.0f} ms")
    print(f"  lrm list --json         {m * 1000:7.0f} ms")
    verdict = "PASS" if k / m >= 4 else "FAIL"
    print(f"  lrm is {k / m:.2f}x faster (target >= 4x): {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
