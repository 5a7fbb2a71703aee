"""A read-only command given a database file that does not exist is refused (exit 6) and
creates nothing: `lrm digest --db /mnt/typo.db` run by cron used to create an empty
database and report "nobody is due" for ever. A command that writes creates the file, and
lrm's default file is created by any command (first use)."""

from __future__ import annotations

import typer.main

from lrm_cli.cli.app import build_app
from lrm_cli.cli.state import READ_ONLY_COMMANDS

# Commands that may create the database (they write), or that never open it.
WRITES_OR_NO_DATABASE = {
    "add", "archive", "cadence", "completion", "date add", "date edit", "date rm",
    "db path", "db restore", "demo", "done", "edit", "forget", "import json",
    "import vcard", "interaction edit", "interaction rm", "log", "merge", "note", "relate",
    "remind", "reminder edit", "reminder rm", "snooze", "sync", "tag add", "tag cadence",
    "tag rename", "tag rm", "unarchive", "undo",
}  # fmt: skip
# What a read-only command needs besides the database to get as far as opening it.
# ("OUT" stands for a file in the test's folder, which must not be written either.)
ARGUMENTS = {
    "show": ["ann"], "date list": ["ann"], "search": ["ann"], "db backup": ["OUT"],
    **{f"export {kind}": ["--out", "OUT"] for kind in ("ics", "json", "vcard")},
}  # fmt: skip


def _commands(command, path=()):
    subs = getattr(command, "commands", None)
    if not subs:
        yield " ".join(path)
        return
    for name, sub in subs.items():
        yield from _commands(sub, (*path, name))


def test_every_command_is_either_read_only_or_may_create_the_database():
    tree = set(_commands(typer.main.get_command(build_app())))
    assert READ_ONLY_COMMANDS.isdisjoint(WRITES_OR_NO_DATABASE)
    assert tree == READ_ONLY_COMMANDS | WRITES_OR_NO_DATABASE


def test_each_read_only_command_refuses_a_missing_file_and_creates_nothing(lrm, tmp_path):
    missing, out = tmp_path / "typo.sqlite3", tmp_path / "out"
    for command in sorted(READ_ONLY_COMMANDS):
        extra = [str(out) if a == "OUT" else a for a in ARGUMENTS.get(command, [])]
        argv = [*command.split(), *extra]
        for json_flag in ([], ["--json"]):
            result = lrm("--db", str(missing), *json_flag, *argv)
            assert result.exit_code == 6, (command, result.stdout, result.stderr)
            assert f"no database at {missing}" in result.stderr, command
            assert result.stdout == ""
            assert not missing.exists(), command
    assert not out.exists()


def test_the_first_write_creates_the_file_then_reads_work(lrm, tmp_path):
    new = tmp_path / "new.sqlite3"
    assert lrm("--db", str(new), "add", "Ann Lee").exit_code == 0
    assert new.stat().st_mode & 0o777 == 0o600
    result = lrm("--db", str(new), "list", "--json")
    assert [c["name"] for c in result.json()] == ["Ann Lee"]


def test_the_default_file_is_created_by_a_read_on_first_use(lrm, monkeypatch, isolated):
    monkeypatch.delenv("LRM_DB")
    default = isolated / "home" / "data" / "lrm" / "lrm.sqlite3"
    assert not default.exists()
    result = lrm("digest", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["due"] == []
    assert default.exists()


def test_the_fast_path_refuses_a_missing_file_too(tmp_path, capsys):
    from lrm_cli.cli.fast import run_fast

    missing = tmp_path / "typo.sqlite3"
    for argv in (["digest"], ["due", "--json"], ["list"], ["export", "json"]):
        assert run_fast(["--db", str(missing), *argv]) == 6, argv
        assert f"no database at {missing}" in capsys.readouterr().err
    assert not missing.exists()
