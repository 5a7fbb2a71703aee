"""docs/config.md documents every setting lrm reads, with its real default: a setting
added, renamed or given another default in the code fails here until the page says so."""

from __future__ import annotations

import re
import tomllib
from dataclasses import MISSING, fields
from pathlib import Path

import pytest

from lrm_cli.config import SECTIONS, SETTINGS
from lrm_cli.services.ics_export import CalendarSettings
from lrm_cli.services.schedule import DigestSettings
from lrm_cli.services.sync import SyncSettings
from lrm_cli.settings import DEFAULT_KIND_WEIGHTS, SchedulerSettings

DOC = Path(__file__).parent.parent / "docs" / "config.md"
CLASSES = {
    "scheduler": SchedulerSettings,
    "digest": DigestSettings,
    "calendar": CalendarSettings,
    "sync": SyncSettings,
}


def tables() -> dict[str, list[list[str]]]:
    """Each `##` section's first table, as rows of cells (header and rule left out)."""
    found: dict[str, list[list[str]]] = {}
    for part in re.split(r"^## ", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE)[1:]:
        title, _, body = part.partition("\n")
        first = body[body.index("\n|") + 1 :].split("\n\n")[0]
        lines = first.splitlines()
        found[title.strip("` []")] = [
            [cell.strip() for cell in ln.strip("|").split("|")] for ln in lines[2:]
        ]
    return found


def toml_value(cell: str) -> object:
    return tomllib.loads(f"v = {cell.strip('`')}")["v"]


def default_of(f) -> object:
    return f.default_factory() if f.default is MISSING else f.default


def test_every_top_level_setting_with_its_default_and_variable():
    rows = {r[0].strip("`"): r for r in tables()["Top level"]}
    assert set(rows) == {s.name for s in SETTINGS}
    for setting in SETTINGS:
        _, _, default, variable, meaning = rows[setting.name]
        assert toml_value(default) == setting.default, setting.name
        assert variable == f"`LRM_{setting.name.upper()}`"
        assert meaning


@pytest.mark.parametrize("section", sorted(SECTIONS))
def test_every_section_setting_with_its_default(section):
    rows = {r[0].strip("`"): r for r in tables()[section]}
    settings = {f.name: default_of(f) for f in fields(CLASSES[section])}
    assert set(rows) == set(settings)
    for name, default in settings.items():
        if name == "kind_weights":
            continue  # a table of its own, below
        assert toml_value(rows[name][2]) == default, f"[{section}] {name}"
        assert rows[name][3], f"[{section}] {name} has no meaning"


def test_the_kind_weights_table():
    text = DOC.read_text(encoding="utf-8")
    block = text[text.index("`[scheduler.kind_weights]` defaults") :].split("\n\n")[1]
    rows = [ln.strip("|").split("|") for ln in block.splitlines()[2:]]
    shown = {kind.strip().strip("`"): toml_value(weight.strip()) for kind, weight in rows}
    assert shown == dict(DEFAULT_KIND_WEIGHTS)
