"""Settings precedence (flag > environment > file > default) and config errors (exit 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lrm_cli.config import load_config, resolve_db_path
from lrm_cli.domain import ConfigError


def test_defaults_put_the_database_in_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("LRM_DB")
    config = load_config(tmp_path / "missing.toml")
    path = resolve_db_path(None, config)
    assert path.name == "lrm.sqlite3" and path.parent.name == "lrm"
    assert str(path).startswith(str(tmp_path / "home" / "data"))


def test_file_then_environment_then_flag(tmp_path, monkeypatch):
    config_file = tmp_path / "config.toml"
    config_file.write_text('db = "/from/file.sqlite3"\nphone_region = "GB"\n')
    monkeypatch.delenv("LRM_DB")
    config = load_config(config_file)
    assert resolve_db_path(None, config) == Path("/from/file.sqlite3")
    assert config.phone_region == "GB"
    monkeypatch.setenv("LRM_DB", "/from/env.sqlite3")
    config = load_config(config_file)
    assert resolve_db_path(None, config) == Path("/from/env.sqlite3")
    assert resolve_db_path("/from/flag.sqlite3", config) == Path("/from/flag.sqlite3")


def test_all_problems_reported_together(tmp_path):
    config_file = tmp_path / "config.toml"
    config_file.write_text('colour = "yes"\nphone_region = 44\n')
    with pytest.raises(ConfigError) as err:
        load_config(config_file)
    assert "unknown setting 'colour'" in err.value.message
    assert "phone_region must be a str" in err.value.message


def test_broken_config_file_is_exit_7(lrm, isolated):
    (isolated / "config.toml").write_text("db = \n")
    result = lrm("list")
    assert result.exit_code == 7
    assert "config" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_phone_region_from_config_normalises_local_numbers(lrm, isolated):
    (isolated / "config.toml").write_text('phone_region = "GB"\n')
    added = lrm("add", "Ada", "--phone", "020 7946 0000", "--json").json()
    assert added["phones"] == ["+442079460000"]


def test_phone_without_region_is_kept_as_typed(lrm):
    assert lrm("add", "Ada", "--phone", "555 0100", "--json").json()["phones"] == ["555 0100"]
    assert lrm("add", "Bob", "--phone", "not a number").exit_code == 5


def test_today_override_must_be_iso(lrm, monkeypatch):
    monkeypatch.setenv("LRM_TODAY", "tomorrowish")
    result = lrm("add", "Ada")
    assert result.exit_code == 5 and "(or LRM_TODAY) 'tomorrowish'" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_local_zone_keeps_summer_time_rules(monkeypatch):
    from datetime import datetime

    from lrm_cli.clock import local_zone

    monkeypatch.setenv("TZ", "Europe/London")
    zone = local_zone()
    assert datetime(2026, 7, 1, 12, tzinfo=zone).utcoffset().total_seconds() == 3600
    assert datetime(2026, 12, 1, 12, tzinfo=zone).utcoffset().total_seconds() == 0
    assert str(local_zone("America/Los_Angeles")) == "America/Los_Angeles"


def test_unknown_timezone_setting_is_exit_7(lrm, isolated):
    (isolated / "config.toml").write_text('timezone = "Mars/Olympus"\n')
    result = lrm("list")
    assert result.exit_code == 7 and "Mars/Olympus" in result.stderr


@pytest.mark.parametrize(
    ("section", "command"),
    [
        ("scheduler", ["due"]),
        ("digest", ["digest"]),
        ("calendar", ["export", "ics"]),
        ("sync", ["sync", "--no-command"]),
    ],
)
def test_a_bad_section_names_the_config_file(lrm, isolated, section, command):
    """Whichever command reads a section, its problem says which file to fix."""
    config_file = isolated / "config.toml"
    config_file.write_text(f"[{section}]\nbogus = 1\n")
    result = lrm(*command)
    assert result.exit_code == 7
    assert result.stderr.startswith(f"lrm: error: {config_file}: ")
    assert "bogus" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_sync_without_folders_names_where_to_set_them(lrm, isolated):
    """A new user's first `lrm sync`: the file to create is named, and that it is absent."""
    result = lrm("sync")
    assert result.exit_code == 7
    assert f"{isolated / 'config.toml'} (no such file yet): nothing to sync" in result.stderr
