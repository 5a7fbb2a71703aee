"""Hardening (issue 16): `lrm sync` with hostile vdirs and commands, `forget` that cannot
delete a card, and `lrm dupes` on pathological names."""

from __future__ import annotations

import errno
import json
import os
import random
import sqlite3
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lrm_cli.formats import vdir
from lrm_cli.normalize import name_key
from lrm_cli.services import sync as sync_service
from lrm_cli.services.merge import WINDOW, candidate_pairs
from lrm_cli.services.sync import OUTPUT_LIMIT

# --- dupes: near-linear on lookalike names ---------------------------------------------------


def _lookalikes(n: int, seed: int = 16) -> list[str]:
    """Very similar names: one family name, small variations, some very long."""
    rng = random.Random(seed)
    word = lambda k: "".join(rng.choices(string.ascii_lowercase, k=k))  # noqa: E731
    shapes = (
        lambda: f"John Smith{word(2)}",
        lambda: f"John {word(3)} Smith",
        lambda: f"Smith, Jon{word(1)}",
        lambda: "John " + "a" * 150 + word(3) + " Smith",
    )
    return [rng.choice(shapes)() for _ in range(n)]


def test_dupes_compares_a_linear_number_of_name_pairs():
    small, large = (list(dict.fromkeys(name_key(n) for n in _lookalikes(n))) for n in (500, 2000))
    pairs_small, pairs_large = candidate_pairs(small), candidate_pairs(large)
    assert len(pairs_large) <= 6 * WINDOW * len(large)
    # four times the names, about four times the comparisons (all pairs would be sixteen)
    assert len(pairs_large) < 5 * len(pairs_small)
    assert len(pairs_large) < len(large) * (len(large) - 1) / 2 / 20


def test_dupes_on_two_thousand_lookalikes_is_quick_and_finds_the_real_duplicates(lrm, db_path):
    assert lrm("add", "Ada Lovelace").exit_code == 0  # 1
    assert lrm("add", "LOVELACE, Ádá").exit_code == 0  # 2: case, accents and order
    assert lrm("add", "Grace Hopper", "--email", "grace@navy.example").exit_code == 0  # 3
    assert lrm("add", "Amazing Grace", "--email", "GRACE@navy.example").exit_code == 0  # 4
    names = _lookalikes(2000)
    names[10] = names[11] = "John Smithqq"  # a real duplicate inside the lookalikes
    names[12] = "JOHN SMITHQQ"
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO contact (id, uid, display_name, created_at, updated_at) "
            "VALUES (?, ?, ?, 0, 0)",
            [(100 + i, f"look-{i}", name) for i, name in enumerate(names)],
        )
    conn.close()
    started = time.perf_counter()
    result = lrm("dupes", "--json")
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.stderr
    pairs = {(p["a"]["id"], p["b"]["id"]): p for p in result.json()}
    assert pairs[(1, 2)]["reasons"] == ["similar_name"]
    assert pairs[(1, 2)]["name_similarity"] == 1.0
    assert pairs[(3, 4)]["reasons"] == ["same_email"]
    for pair in ((110, 111), (110, 112), (111, 112)):
        assert pairs[pair]["name_similarity"] == 1.0
    assert elapsed < 15, f"dupes took {elapsed:.1f} s on 2,000 lookalike names"


# --- sync: a vdir and a command that misbehave ----------------------------------------------

LONG_UID = "long-" + "x" * 300 + ".example.org"  # safe characters, too long to name a file


@pytest.fixture
def folders(isolated: Path) -> dict[str, Path]:
    out = {name: isolated / name for name in ("cards", "todos", "events")}
    for path in out.values():
        path.mkdir()
    configure(isolated, out)
    return out


def configure(isolated: Path, folders: dict[str, Path], extra: str = "") -> None:
    (isolated / "config.toml").write_text(
        "[sync]\n"
        f'contacts_vdir = "{folders["cards"]}"\n'
        f'calendar_vdir = "{folders["todos"]}"\n'
        f'events_vdir = "{folders["events"]}"\n' + extra,
        encoding="utf-8",
    )


def card(uid: str, name: str, extra: str = "") -> str:
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\n{extra}END:VCARD\r\n"


def sync(lrm, *args: str) -> dict:
    result = lrm("sync", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return result.json()


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def unfolded(path: Path) -> str:
    return path.read_bytes().decode("utf-8").replace("\r\n ", "")


def uid_of(path: Path) -> str:
    return next(line[4:] for line in unfolded(path).splitlines() if line.startswith("UID:"))


def test_long_and_odd_uids_sync_under_stable_short_file_names(lrm, folders, isolated):
    odd = "odd/uid: with spaces"
    source = isolated / "long.vcf"
    source.write_text(
        card(LONG_UID, "Long Uid", "BDAY:1980-01-02\r\n") + card(odd, "Odd Uid"),
        encoding="utf-8",
        newline="",
    )
    assert lrm("import", "vcard", str(source)).exit_code == 0
    assert lrm("cadence", "Long Uid", "30d").exit_code == 0
    first = sync(lrm)
    assert first["contacts"]["vdir"]["created"] == 2
    assert first["contacts"]["skipped"] == []
    assert first["calendar"]["vdir"]["created"] == 2  # the birthday and the reconnect
    files = {key: names(folder) for key, folder in folders.items()}
    every = [name for listed in files.values() for name in listed]
    assert len(every) == 4
    assert all(len(name.encode()) <= 200 and "/" not in name for name in every)
    by_uid = {uid_of(folders["cards"] / n): n for n in files["cards"]}
    assert set(by_uid) == {LONG_UID, odd}  # the card keeps its UID whatever its file name
    second = sync(lrm)  # the same names again: nothing created, nothing duplicated
    assert {key: names(folder) for key, folder in folders.items()} == files
    assert second["contacts"]["vdir"]["unchanged"] == 2
    assert second["calendar"]["vdir"] == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 2}
    assert lrm("edit", "Long Uid", "--title", "Engineer").exit_code == 0
    third = sync(lrm)
    assert third["contacts"]["vdir"]["updated"] == 1
    assert "TITLE:Engineer" in unfolded(folders["cards"] / by_uid[LONG_UID])
    assert names(folders["cards"]) == files["cards"]


def test_an_item_that_cannot_be_written_is_skipped_reported_and_not_counted(
    lrm, folders, monkeypatch
):
    ada = lrm("add", "Ada Lovelace", "--birthday", "1815-12-10", "--cadence", "30d", "--json")
    ada_uid = ada.json()["uid"]
    lrm("add", "Charles Babbage", "--birthday", "1791-12-26")
    real = vdir.write_atomic

    def full_disk(path: Path, data: bytes) -> bool:
        if ada_uid in path.name:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return real(path, data)

    monkeypatch.setattr(vdir, "write_atomic", full_disk)
    result = lrm("sync", "--json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert report["contacts"]["vdir"]["created"] == 1  # Charles; Ada's card was not written
    assert [i["name"] for i in report["contacts"]["items"]] == ["Charles Babbage"]
    assert report["calendar"]["vdir"]["created"] == 1  # Charles's birthday
    skipped = report["contacts"]["skipped"] + report["calendar"]["skipped"]
    assert len(skipped) == 3  # Ada's card, birthday and reconnect
    assert all(s["reason"] == "cannot write: No space left on device" for s in skipped)
    assert all(ada_uid in s["file"] for s in skipped)
    plain = lrm("sync")
    assert plain.exit_code == 0 and "No space left on device" in plain.stderr
    monkeypatch.setattr(vdir, "write_atomic", real)  # space again: the next sync catches up
    again = sync(lrm)
    assert again["contacts"]["vdir"]["created"] == 1
    assert again["calendar"]["vdir"]["created"] == 2
    assert len(names(folders["cards"])) == 2


def _gone(pid: int) -> bool:
    """Whether process ``pid`` has ended (a zombie waiting to be reaped has)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return Path("/proc/self").exists()  # Linux: it just ended; elsewhere: cannot tell
    return state in ("Z", "X")


def test_a_timed_out_command_is_killed_with_everything_it_started(lrm, folders, isolated):
    pid_file = isolated / "child.pid"
    script = isolated / "hang.py"
    script.write_text(
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "print('started', flush=True)\n"
        "time.sleep(120)\n"
    )
    configure(
        isolated, folders, f"command = [{sys.executable!r}, {str(script)!r}]\ncommand_timeout = 1\n"
    )
    started = time.monotonic()
    result = lrm("sync", "--json")
    elapsed = time.monotonic() - started
    assert result.exit_code == 11
    assert result.json()["command"]["timed_out"] is True
    assert "started" in result.json()["command"]["output"]
    assert elapsed < 30  # not held until the grandchild's two minutes are up
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 10
    while not _gone(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(grandchild)


def test_the_output_kept_from_the_command_is_capped(lrm, folders, isolated):
    script = isolated / "chatty.py"
    script.write_text(
        "import sys\n"
        "for i in range(100_000):\n"
        "    print(f'line {i} of a chatty command', flush=False)\n"
        "print('the last words', file=sys.stderr)\n"
        "sys.exit(3)\n"
    )
    configure(isolated, folders, f"command = [{sys.executable!r}, {str(script)!r}]\n")
    result = lrm("sync", "--json")
    assert result.exit_code == 11
    output = result.json()["command"]["output"]
    assert len(output.encode()) <= OUTPUT_LIMIT + 100
    assert output.startswith("[") and "bytes of earlier output not kept]\n" in output
    assert output.split("\n", 2)[1].startswith("line ")  # then whole lines
    assert output.rstrip().endswith("the last words")
    plain = lrm("sync")
    shown = [line for line in plain.stdout.splitlines() if line.startswith("  | ")]
    assert 0 < len(shown) <= 20 and shown[-1] == "  | the last words"


def test_symlinks_and_special_files_in_a_vdir_are_never_read_and_never_quoted(
    lrm, folders, isolated
):
    ada = lrm("add", "Ada Lovelace", "--birthday", "1815-12-10", "--json").json()
    sync(lrm)
    private = isolated / "private"
    private.mkdir()
    (private / "secret.vcf").write_text(card("SECRET-1", "Secret Agent", "NOTE:hunter2\r\n"))
    (private / "key.txt").write_text("-----BEGIN PRIVATE KEY----- hunter2\n")
    (folders["cards"] / "linked.vcf").symlink_to(private / "secret.vcf")
    (folders["cards"] / "key.vcf").symlink_to(private / "key.txt")
    os.mkfifo(folders["cards"] / "pipe.vcf")  # reading it would hang the sync
    ada_card = folders["cards"] / f"{ada['uid']}.vcf"
    ada_card.unlink()  # Ada's synced card turns into a link: not "deleted on the phone"
    ada_card.symlink_to(private / "secret.vcf")
    [birthday] = list(folders["events"].iterdir())
    birthday.unlink()
    (private / "target.ics").write_text("precious\n")
    birthday.symlink_to(private / "target.ics")  # where lrm writes Ada's birthday
    result = lrm("sync", "--json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert "hunter2" not in result.stdout + result.stderr
    reasons = {Path(s["file"]).name: s["reason"] for s in report["contacts"]["skipped"]}
    assert reasons == {
        "linked.vcf": "a symbolic link; not followed",
        "key.vcf": "a symbolic link; not followed",
        ada_card.name: "a symbolic link; not followed",
        "pipe.vcf": "not a regular file",
    }
    assert report["calendar"]["skipped"] == [
        {"file": str(birthday), "reason": "a symbolic link; not followed"}
    ]
    assert report["contacts"]["lrm"]["created"] == report["contacts"]["lrm"]["archived"] == 0
    assert report["contacts"]["vdir"]["created"] == 0  # no second card for Ada
    listed = lrm("list", "--all", "--json").json()
    assert [(c["name"], c["archived"]) for c in listed] == [("Ada Lovelace", False)]
    assert (private / "target.ics").read_text() == "precious\n"
    assert (private / "secret.vcf").read_text().startswith("BEGIN:VCARD")
    assert birthday.is_symlink() and ada_card.is_symlink()
    plain = lrm("sync")
    assert "hunter2" not in plain.stdout + plain.stderr
    assert "linked.vcf: a symbolic link; not followed" in plain.stderr


def test_temporary_files_left_by_a_killed_sync_are_removed_next_time(lrm, folders, isolated):
    for i in range(3):
        lrm("add", f"Person {i}", "--birthday", f"1990-01-0{i + 1}")
    killer = (
        "import os, signal, sys\n"
        "real = os.replace\n"
        "def replace(src, dst):\n"
        "    if str(src).endswith('.tmp') and 'Person' not in str(dst):\n"
        "        os.kill(os.getpid(), signal.SIGKILL)\n"
        "    return real(src, dst)\n"
        "os.replace = replace\n"
        "sys.argv = ['lrm', 'sync']\n"
        "from lrm_cli.cli.entry import main\n"
        "main()\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", killer], capture_output=True, text=True, env=os.environ, timeout=60
    )
    assert killed.returncode == -9, killed.stderr
    left = [p.name for p in folders["cards"].iterdir() if p.name.endswith(".tmp")]
    assert len(left) == 1  # killed between writing a card and renaming it
    (folders["cards"] / ".keep").write_text("someone else's\n")
    (folders["cards"] / "notes.tmp").write_text("someone else's\n")
    (folders["events"] / ".lrm-birthday-gone.ics.abcd1234.tmp").write_text("BEGIN:VCALENDAR\n")
    report = sync(lrm)
    assert report["contacts"]["temp_files_removed"] == 1
    assert report["calendar"]["temp_files_removed"] == 1
    assert names(folders["cards"]) == sorted(
        [".keep", "notes.tmp", *(n for n in names(folders["cards"]) if n.endswith(".vcf"))]
    )
    assert len([n for n in names(folders["cards"]) if n.endswith(".vcf")]) == 3
    assert not any(n.endswith(".tmp") and n.startswith(".") for n in names(folders["events"]))
    assert report["contacts"]["vdir"]["created"] == 3
    assert sync(lrm)["contacts"]["temp_files_removed"] == 0


def test_a_folder_another_sync_is_writing_is_not_touched(lrm, folders, monkeypatch):
    lrm("add", "Ada Lovelace")
    monkeypatch.setattr(sync_service, "LOCK_WAIT", 0.3)
    with vdir.locked(folders["todos"]):
        result = lrm("sync")
    assert result.exit_code == 6
    assert "in use by another lrm sync" in result.stderr
    assert names(folders["cards"]) == []
    assert sync(lrm)["contacts"]["vdir"]["created"] == 1


# --- forget: a card that cannot be deleted ---------------------------------------------------


def test_forget_says_which_card_it_could_not_delete_and_exits_6(lrm, folders, monkeypatch):
    ada = lrm("add", "Ada Lovelace", "--json").json()
    lrm("add", "Charles Babbage")
    sync(lrm)
    ada_card = folders["cards"] / f"{ada['uid']}.vcf"
    real = Path.unlink

    def read_only(self: Path, missing_ok: bool = False) -> None:
        if self == ada_card:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        real(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", read_only)
    result = lrm("forget", "Ada", "--yes", "--json")
    assert result.exit_code == 6
    payload = result.json()  # the forgetting happened and is reported
    assert payload["forgotten"]["name"] == "Ada Lovelace"
    assert payload["removed"]["cards"] == 0
    assert payload["cards_left"] == [{"file": str(ada_card), "reason": "Permission denied"}]
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "storage"
    assert str(ada_card) in error["message"] and "Permission denied" in error["message"]
    assert ada_card.exists()
    assert lrm("show", "Ada").exit_code == 3
    monkeypatch.setattr(Path, "unlink", real)
    report = sync(lrm)  # the folder is writable again: the card goes
    assert report["contacts"]["vdir"]["deleted"] == 1
    assert not ada_card.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root deletes from a read-only folder")
def test_forget_with_a_read_only_card_folder(lrm, folders):
    lrm("add", "Ada Lovelace")
    sync(lrm)
    folders["cards"].chmod(0o500)
    try:
        result = lrm("forget", "Ada", "--yes")
    finally:
        folders["cards"].chmod(0o700)
    assert result.exit_code == 6
    assert "could not be deleted" in result.stderr and "Permission denied" in result.stderr
    assert result.stdout.startswith("forgot Ada Lovelace")
