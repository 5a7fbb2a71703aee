"""The Output object in each mode, and colour/terminal behaviour of the real command."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess

from lrm_cli.domain import Ambiguous, NotFound
from lrm_cli.render.output import Output, cell_width, truncate


def _out(
    mode: str, *, color: bool = False, width: int = 80
) -> tuple[Output, io.StringIO, io.StringIO]:
    stdout, stderr = io.StringIO(), io.StringIO()
    return Output(mode, color=color, stdout=stdout, stderr=stderr, width=width), stdout, stderr


def test_json_mode_prints_only_the_payload():
    out, stdout, stderr = _out("json")
    out.emit({"a": [1, "é"]}, lambda o: o.line("human"))
    out.info("a message")
    assert json.loads(stdout.getvalue()) == {"a": [1, "é"]}
    assert "é" in stdout.getvalue()  # UTF-8, not \\u escapes
    assert stderr.getvalue() == ""


def test_plain_mode_is_tab_separated_without_header():
    out, stdout, _ = _out("plain")
    out.table(["ID", "NAME"], [["1", "Ada\tLovelace"], ["2", None]])
    assert stdout.getvalue() == "1\tAda Lovelace\n2\t\n"


def test_rich_mode_aligns_and_colours_the_header():
    out, stdout, _ = _out("rich", color=True)
    out.table(["ID", "NAME"], [["1", "Ada"], ["22", "李小龍"]])
    lines = stdout.getvalue().splitlines()
    assert lines[0] == "\033[1mID  NAME\033[0m"
    assert lines[1] == "1   Ada"
    assert lines[2] == "22  李小龍"


def test_rich_mode_without_colour_has_no_escapes():
    out, stdout, _ = _out("rich", color=False)
    out.table(["ID", "NAME"], [["1", "Ada"]])
    assert "\033" not in stdout.getvalue()


def test_rich_mode_fits_the_terminal_width():
    out, stdout, _ = _out("rich", width=30)
    out.table(["NAME", "NOTE"], [["Ada Lovelace", "x" * 80]])
    assert all(cell_width(line) <= 30 for line in stdout.getvalue().splitlines())
    assert "…" in stdout.getvalue()


def test_empty_table_says_so_on_stderr_only():
    out, stdout, stderr = _out("rich")
    out.table(["A"], [], empty="no contacts match")
    assert stdout.getvalue() == ""
    assert stderr.getvalue() == "no contacts match\n"


def test_truncate_counts_wide_characters():
    assert cell_width("李小龍") == 6
    assert cell_width(truncate("李小龍李小龍", 5)) <= 5


def test_errors_one_line_text_and_json():
    out, _, stderr = _out("plain")
    out.error(NotFound("no contact matches 'x'", hint="lrm list"))
    assert stderr.getvalue() == "lrm: error: no contact matches 'x' (hint: lrm list)\n"
    out, _, stderr = _out("json")
    out.error(Ambiguous("two", candidates=["A", "B"]))
    assert json.loads(stderr.getvalue()) == {
        "error": {"code": "ambiguous", "message": "two", "candidates": ["A", "B"]}
    }


def _run_in_terminal(exe: str, args: list[str], env: dict) -> str:
    """Run with a pseudo-terminal as stdout, as a person at a terminal would."""
    main, secondary = pty.openpty()
    proc = subprocess.Popen([exe, *args], stdout=secondary, stderr=subprocess.PIPE, env=env)
    os.close(secondary)
    chunks = []
    while True:
        try:
            data = os.read(main, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=30)
    os.close(main)
    return b"".join(chunks).decode()


def test_terminal_gets_a_coloured_table_and_no_color_is_honoured(lrm, db_path, lrm_exe):
    lrm("add", "Ada Lovelace", "--org", "Analytical Engines")
    env = {**os.environ, "LRM_DB": str(db_path), "COLUMNS": "100"}
    coloured = _run_in_terminal(lrm_exe, ["list"], env)
    assert "\033[1m" in coloured and "Ada Lovelace" in coloured and "NAME" in coloured
    plain = _run_in_terminal(lrm_exe, ["list"], {**env, "NO_COLOR": "1"})
    assert "\033[" not in plain and "Ada Lovelace" in plain
    flag = _run_in_terminal(lrm_exe, ["--no-color", "list"], env)
    assert "\033[" not in flag


def test_control_characters_are_shown_escaped_in_every_mode():
    hostile = "Ada\x1b[31m\x07\x9b2J"
    shown = "Ada\\x1b[31m\\x07\\x9b2J"
    out, stdout, stderr = _out("plain")
    out.table(["ID", "NAME"], [["1", hostile + "\tx\ny"]])
    out.record(hostile, [("note", hostile)])
    out.line(hostile + "\nsecond line")
    out.warn(hostile)
    assert stdout.getvalue() == (f"1\t{shown} x y\n{shown}\nnote\t{shown}\n{shown}\nsecond line\n")
    assert stderr.getvalue() == f"lrm: warning: {shown}\n"
    out, stdout, _ = _out("rich", color=True)
    out.table(["NAME", "ORG"], [[hostile, "Engines"]])
    header, row = stdout.getvalue().splitlines()
    assert row == f"{shown}  Engines"
    assert header.index("ORG") - len("\033[1m") == row.index("Engines")  # aligned as shown


def test_styled_parts_keep_lrms_colours_and_escape_the_rest():
    out, stdout, _ = _out("rich", color=True)
    out.line("  ", out.styled("last: \x1b[5m", "dim"), "Ada\x07")
    assert stdout.getvalue() == "  \033[2mlast: \\x1b[5m\033[0mAda\\x07\n"
    out, stdout, _ = _out("rich", color=False)
    out.line(out.styled("[bold]Ada[/bold]", "bold"))
    assert stdout.getvalue() == "[bold]Ada[/bold]\n"  # rich markup is not interpreted
