"""The import contract of DESIGN.md §1, read from the source: every import statement of
every module, also those inside functions and under TYPE_CHECKING (a lazy import is
where a dependency slips past ruff's per-file rules)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "lrm_cli"
UI = ("typer", "rich", "lrm_cli.cli", "lrm_cli.render", "lrm_cli.services")
UPPER = ("lrm_cli.store", "lrm_cli.cli", "lrm_cli.render")

# (the modules under a name, the imports they may not make, modules exempt)
RULES = [
    ("lrm_cli.cli", ("lrm_cli.store", "sqlalchemy", "sqlmodel"), ()),
    ("lrm_cli.store", UI, ()),
    ("lrm_cli.formats", UI, ()),
    ("lrm_cli.scheduler", UPPER, ()),
    ("lrm_cli.domain", UPPER, ()),
    ("lrm_cli.dates", UPPER, ()),
    ("lrm_cli", ("rich",), ("lrm_cli.render",)),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(source: str, module: str, is_package: bool = False) -> Iterator[tuple[int, str]]:
    """(line, dotted name) for each import in ``source``: ``from a import b`` gives
    ``a.b`` (b may be a submodule); relative imports are resolved against ``module``."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = [node.module] if node.module else []
            if node.level:
                base = package[: len(package) - node.level + 1] + base
            for alias in node.names:
                yield node.lineno, ".".join([*base, alias.name])


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(modules: str, banned: tuple[str, ...], exempt: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = module_name(path)
        if not within(module, modules) or any(within(module, e) for e in exempt):
            continue
        source = path.read_text(encoding="utf-8")
        for line, name in imported_names(source, module, path.name == "__init__.py"):
            if any(within(name, ban) for ban in banned):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


@pytest.mark.parametrize(("modules", "banned", "exempt"), RULES, ids=[r[0] for r in RULES])
def test_imports_follow_the_layers(modules, banned, exempt):
    assert violations(modules, banned, exempt) == []


def test_every_rule_names_a_module_that_exists():
    """A rule about a package renamed away would pass by checking nothing."""
    for modules, _, exempt in RULES:
        for name in (modules, *exempt):
            path = ROOT.joinpath(*name.split("."))
            assert path.is_dir() or path.with_suffix(".py").is_file(), name


SAMPLE = """
import os
from typing import TYPE_CHECKING
if TYPE_CHECKING:
    import sqlmodel
def lazy():
    from lrm_cli.store.db import Database
    import rich.progress
from lrm_cli import store
from . import sibling
from ..render import views
"""


def test_the_reader_sees_every_kind_of_import():
    names = sorted(name for _, name in imported_names(SAMPLE, "lrm_cli.cli.reads"))
    assert names == [
        "lrm_cli.cli.sibling",
        "lrm_cli.render.views",
        "lrm_cli.store",
        "lrm_cli.store.db.Database",
        "os",
        "rich.progress",
        "sqlmodel",
        "typing.TYPE_CHECKING",
    ]
