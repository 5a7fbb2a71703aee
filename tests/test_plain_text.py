"""Text options reach lrm as Typer would give them, without importing pydantic
(cli/plain_text.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main
from typer._coercion import build_runtime_param

from lrm_cli.cli.app import build_app
from lrm_cli.cli.plain_text import _plain


def _params():
    root = typer.main.get_command(build_app())
    found = []

    def walk(command, path):
        found.extend((path, p) for p in command.params)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{path} {name}")

    walk(root, "lrm")
    return found


PARAMS = _params()
SAMPLES = [None, "", "Ada", " two words ", "--x", "é\u200b", ("a",), ("a", "b"), (), True, False]


def _outcome(runtime, value, param):
    try:
        return ("value", runtime.coerce(value, param=param, ctx=None))
    except Exception as exc:  # the kind of failure is what is compared
        return ("error", type(exc).__name__)


def test_most_parameters_are_plain_and_every_kind_of_them_is_seen():
    plain = [p for _, p in PARAMS if _plain(p) is not None]
    assert len(plain) > 150, len(plain)
    kinds = {(p.type_descriptor.annotation, p.multiple or p.nargs == -1) for p in plain}
    assert kinds == {(str, False), (bool, False), (list[str], True)}
    assert any(p.nargs == -1 for p in plain)  # an argument taking the rest of the words


@pytest.mark.parametrize("path,param", [(path, p) for path, p in PARAMS if _plain(p)])
def test_a_plain_parameter_gets_what_typer_would_give(path, param):
    ours = _plain(param)
    typers = build_runtime_param(param.type_descriptor)
    for value in SAMPLES:
        expected = _outcome(typers, value, param)
        got = _outcome(ours, value, param)
        param._runtime_param = None  # a fallback caches Typer's own: start afresh
        assert got == expected, (path, param.name, value)


def test_numbers_paths_and_choices_keep_typer_s_coercion():
    names = {(path, p.name) for path, p in PARAMS if _plain(p) is None}
    assert ("lrm list", "limit") in names
    assert ("lrm db backup", "dest") in names
    assert ("lrm log", "weight") in names


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "json", "--out", "{tmp}/out.json"],
        ["edit", "Ada", "--title", "Countess", "-e", "a@example.org", "-e", "b@example.org"],
        ["export", "vcard", "--help"],
        ["reminders", "--json"],
    ],
)
def test_a_command_with_only_text_options_does_not_import_pydantic(lrm, db_path, tmp_path, argv):
    lrm("add", "Ada Lovelace")
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code = (
        "import sys\n"
        "sys.argv = ['lrm', *sys.argv[1:]]\n"
        "from lrm_cli.cli.app import run\n"
        "try:\n    run(sys.argv[1:])\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "--db", str(db_path), *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (done.stdout + done.stderr).strip()


def test_a_bad_number_is_still_worded_by_lrm(lrm):
    lrm("add", "Ada Lovelace")
    result = lrm("list", "--limit", "x", "--tag", "a")
    assert result.exit_code == 2
    assert "--limit must be a whole number, got 'x'" in result.stderr
