"""The installed console script, end to end in a subprocess."""

from conftest import run_exe


def test_console_script_adds_and_lists(lrm_exe):
    added = run_exe(lrm_exe, "add", "Ada Lovelace", "--email", "ada@example.org", "--json")
    assert added.returncode == 0, added.stderr
    listed = run_exe(lrm_exe, "list", "--json")
    assert listed.returncode == 0
    assert [c["name"] for c in __import__("json").loads(listed.stdout)] == ["Ada Lovelace"]
    assert run_exe(lrm_exe, "--version").stdout.startswith("lrm ")
