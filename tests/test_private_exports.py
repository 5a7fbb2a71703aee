"""Issue 15 §3: every file an export writes is private (0600) under an ordinary umask
(022, which would give 0644), and folders lrm creates for them are 0700, as `export json`
and `db backup` already were. One writer for all of them: lrm_cli/private_files.py."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from conftest import run_exe


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def book(lrm, umask_022):
    """Ada with a note, a birthday and a cadence, and a reminder: every export has items."""
    added = lrm("add", "Ada Lovelace", "--email", "ada@example.org", "--birthday", "1815-12-10")
    assert added.exit_code == 0, added.stderr
    assert lrm("cadence", "ada", "30d").exit_code == 0
    assert lrm("note", "ada", "Private: owes me a letter").exit_code == 0
    assert lrm("date", "add", "ada", "--on", "--06-21", "--label", "Wedding").exit_code == 0
    assert lrm("remind", "ada", "send the article", "--on", "2026-12-05").exit_code == 0
    return lrm


FILE_EXPORTS = [
    ("json", "export.json"),
    ("vcard", "contacts.vcf"),
    ("ics", "calendar.ics"),
]


@pytest.mark.parametrize(("kind", "name"), FILE_EXPORTS)
def test_an_exported_file_is_private(book, tmp_path, kind, name):
    out = tmp_path / name
    result = book("export", kind, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.stat().st_size > 0
    assert _mode(out) == 0o600


@pytest.mark.parametrize(("kind", "name"), FILE_EXPORTS)
def test_an_export_over_a_readable_file_makes_it_private(book, tmp_path, kind, name):
    """The old file is replaced (a new file, renamed over it), not written through."""
    out = tmp_path / name
    out.write_text("old contents\n")
    out.chmod(0o644)
    assert book("export", kind, "--out", str(out)).exit_code == 0
    assert _mode(out) == 0o600
    assert "old contents" not in out.read_text()


@pytest.mark.parametrize(("kind", "extension"), [("vcard", ".vcf"), ("ics", ".ics")])
def test_a_vdir_export_creates_private_folders_and_files(book, tmp_path, kind, extension):
    folder = tmp_path / "new" / "vdir"  # both folders made by lrm
    result = book("export", kind, "--vdir", str(folder))
    assert result.exit_code == 0, result.stderr
    assert _mode(tmp_path / "new") == 0o700
    assert _mode(folder) == 0o700
    files = sorted(folder.iterdir())
    assert files and all(f.suffix == extension for f in files)
    assert {_mode(f) for f in files} == {0o600}


def test_a_vdir_that_exists_keeps_its_mode(book, tmp_path):
    """The user's folder is theirs: lrm makes its own files private, not the folder."""
    folder = tmp_path / "calendars"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    assert book("export", "ics", "--vdir", str(folder)).exit_code == 0
    assert _mode(folder) == 0o755
    assert {_mode(f) for f in folder.iterdir()} == {0o600}


def test_a_changed_vdir_item_is_rewritten_private(book, tmp_path):
    folder = tmp_path / "cards"
    assert book("export", "vcard", "--vdir", str(folder)).exit_code == 0
    (card,) = folder.iterdir()
    card.chmod(0o644)
    assert book("edit", "ada", "--title", "Countess").exit_code == 0
    assert book("export", "vcard", "--vdir", str(folder)).exit_code == 0
    assert "Countess" in card.read_text()
    assert _mode(card) == 0o600


def test_exports_are_private_from_the_installed_command(lrm_exe, tmp_path, db_path):
    """The console script in a process of its own, started with umask 022."""
    old = os.umask(0o022)
    try:
        added = run_exe(lrm_exe, "add", "Ada Lovelace", "--birthday", "1815-12-10")
        assert added.returncode == 0, added.stderr
        for kind, name in FILE_EXPORTS:
            done = run_exe(lrm_exe, "export", kind, "--out", str(tmp_path / name))
            assert done.returncode == 0, done.stderr
            assert _mode(tmp_path / name) == 0o600, kind
        done = run_exe(lrm_exe, "export", "ics", "--vdir", str(tmp_path / "cal"))
        assert done.returncode == 0, done.stderr
        assert _mode(tmp_path / "cal") == 0o700
        assert {_mode(f) for f in (tmp_path / "cal").iterdir()} == {0o600}
    finally:
        os.umask(old)


@pytest.mark.parametrize("kind", ["vcard", "ics"])
def test_a_vdir_that_cannot_be_made_is_a_one_line_error(book, tmp_path, kind):
    """A parent that is a file (a slip in the path): exit 5 naming the folder, not an
    unexpected error."""
    (tmp_path / "notes.txt").write_text("mine\n")
    folder = tmp_path / "notes.txt" / "cards"
    result = book("export", kind, "--vdir", str(folder))
    assert result.exit_code == 5
    assert result.stderr == (f"lrm: error: cannot create the folder {folder}: Not a directory\n")
    assert (tmp_path / "notes.txt").read_text() == "mine\n"
