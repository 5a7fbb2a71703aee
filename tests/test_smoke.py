"""The installed console script, end to end in a subprocess."""

from conftest import read_to_the_end, run_exe


def test_console_script_adds_and_lists(lrm_exe):
    added = run_exe(lrm_exe, "add", "Ada Lovelace", "--email", "ada@example.org", "--json")
    assert added.returncode == 0, added.stderr
    listed = run_exe(lrm_exe, "list", "--json")
    assert listed.returncode == 0
    assert [c["name"] for c in __import__("json").loads(listed.stdout)] == ["Ada Lovelace"]
    assert run_exe(lrm_exe, "--version").stdout.startswith("lrm ")


def test_a_locale_that_is_not_utf8_never_fails_on_a_name(lrm_exe):
    """LANG=en_US.ISO-8859-1 or PYTHONIOENCODING=ascii: piped output is UTF-8 (for
    programs: jq reads it), on a terminal what cannot be shown is escaped; never an
    UnicodeEncodeError."""
    import json
    import os
    import pty
    import subprocess

    narrow = {"PYTHONIOENCODING": "ascii"}
    assert run_exe(lrm_exe, "add", "Zoë 😀 Tanaka").returncode == 0
    for args in (["list"], ["show", "zoë"], ["search", "zoë"]):
        piped = run_exe(lrm_exe, *args, env=narrow)
        assert piped.returncode == 0, piped.stderr
        assert "Zoë 😀 Tanaka" in piped.stdout
    found = run_exe(lrm_exe, "search", "zoë", "--json", env=narrow)
    assert json.loads(found.stdout)[0]["contact"]["name"] == "Zoë 😀 Tanaka"

    main, child = pty.openpty()
    shown = subprocess.run(
        [lrm_exe, "list"], stdout=child, stderr=subprocess.PIPE, env={**os.environ, **narrow}
    )
    os.close(child)
    screen = read_to_the_end(main)
    assert shown.returncode == 0, shown.stderr
    assert b"Zo\\xeb \\U0001f600 Tanaka" in screen
