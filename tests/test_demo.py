"""`lrm demo`: the README's first command. It must never touch the user's database."""

from __future__ import annotations

from conftest import run_exe


def test_demo_uses_a_throwaway_database(lrm_exe, db_path):
    result = run_exe(lrm_exe, "demo")
    assert result.returncode == 0, result.stderr
    assert "Ada Lovelace" in result.stdout and "Grace Hopper" in result.stdout
    assert "Prefers long letters" in result.stdout  # the featured contact's pinned note
    assert "demo database:" in result.stderr
    assert not db_path.exists()  # LRM_DB (the "real" database) was not created


def test_demo_json(lrm_exe):
    result = run_exe(lrm_exe, "demo", "--json")
    assert result.returncode == 0, result.stderr
    import json

    data = json.loads(result.stdout)
    assert len(data["contacts"]) == 6
    assert data["featured"]["name"] == "Ada Lovelace"
    assert data["featured"]["relationships"][0]["contact"]["name"] == "William King"
    assert [i["type"] for i in data["timeline"]].count("interaction") >= 4
