"""Start-up cost: the commands people run most must not import the heavy libraries."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("sqlalchemy", "sqlmodel", "dateparser", "icalendar", "vobject", "alembic")

PROBE = """
import sys
sys.argv = ["lrm", *{args!r}]
from lrm_cli.cli.app import main
try:
    main()
except SystemExit:
    pass
heavy = sorted(m for m in {heavy!r} if m in sys.modules)
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
"""


def _heavy_imports(*args: str, env=None) -> list[str]:
    code = PROBE.format(args=list(args), heavy=HEAVY)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    line = [ln for ln in result.stderr.splitlines() if ln.startswith("HEAVY=")][-1]
    return [m for m in line.removeprefix("HEAVY=").split(",") if m]


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["add", "--help"], ["log", "--help"]])
def test_version_and_help_import_nothing_heavy(args):
    assert _heavy_imports(*args) == []


def test_reads_and_iso_writes_on_a_current_database_import_nothing_heavy(lrm, db_path):
    lrm("add", "Ada Lovelace", "--email", "ada@example.org")
    import os

    env = {**os.environ, "LRM_DB": str(db_path)}
    for args in (
        ["list", "--json"],
        ["show", "ada"],
        ["timeline", "ada"],
        ["log", "ada", "--when", "2026-11-20", "--kind", "call"],
        ["log", "ada", "--when", "3 days ago"],
        ["note", "ada", "hello"],
        ["__complete", "contacts", "A"],
    ):
        assert _heavy_imports(*args, env=env) == [], args


def test_natural_language_date_imports_dateparser_only(lrm, db_path):
    lrm("add", "Ada")
    import os

    env = {**os.environ, "LRM_DB": str(db_path)}
    assert _heavy_imports("log", "ada", "--when", "two weeks ago", env=env) == ["dateparser"]
