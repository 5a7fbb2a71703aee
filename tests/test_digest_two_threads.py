"""The digest reads its sections on two connections at once (``store.db.Alongside``):
the due page here, the other sections in a second thread. A failure on either side is
the command's one-line error, never a traceback or a page with a section missing; when
both fail, the error shown is this side's (the first a reader would have met)."""

from __future__ import annotations

import pytest

from lrm_cli.errors import StorageError
from lrm_cli.services import schedule


@pytest.fixture
def maya(lrm):
    assert lrm("add", "Maya Chen", "--cadence", "30d").exit_code == 0
    assert lrm("log", "Maya", "--when", "2026-09-01", "-s", "coffee").exit_code == 0
    return lrm


def _fails(where: str):
    def failing(*args, **kwargs):
        raise StorageError(f"database error: disk I/O error ({where})")

    return failing


def test_a_failure_in_the_second_thread_is_the_commands_error(maya, monkeypatch):
    monkeypatch.setattr(schedule, "drifting", _fails("drifting"))
    result = maya("digest", "--format", "text")
    assert result.exit_code != 0
    assert "disk I/O error (drifting)" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_when_both_sides_fail_this_sides_error_is_shown(maya, monkeypatch):
    monkeypatch.setattr(schedule, "due_page", _fails("due"))
    monkeypatch.setattr(schedule, "losing_touch", _fails("losing touch"))
    result = maya("digest", "--json")
    assert result.exit_code != 0
    assert "disk I/O error (due)" in result.stderr
    assert "losing touch" not in result.stderr


def test_the_second_thread_sees_what_was_just_written(lrm):
    """The twin connection reads the committed state, as the first one does: Tom, last
    seen in March, is losing touch (a section read in the second thread) until a talk
    is logged."""
    assert lrm("add", "Tom Okafor").exit_code == 0
    assert lrm("log", "Tom", "--when", "2026-03-02", "-s", "lunch").exit_code == 0
    page = lrm("digest", "--json").json()
    assert [p["name"] for p in page["losing_touch"]] == ["Tom Okafor"]
    assert lrm("log", "Tom", "-s", "called back").exit_code == 0
    after = lrm("digest", "--json").json()
    assert after["losing_touch"] == [] and after["totals"]["losing_touch"] == 0
