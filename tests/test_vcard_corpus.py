"""The vCard corpus: one file per quirk of real exporters (tests/vcards/*.vcf), each with its
expected outcome in tests/vcards/expected.json, imported through the real command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "vcards"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def test_the_corpus_has_a_file_for_every_expectation_and_more_than_thirty():
    files = {p.name for p in CORPUS.glob("*.vcf")}
    assert files == set(EXPECTED)
    assert len(files) >= 30


def _contacts(db_path: Path) -> dict[str, dict]:
    """Every contact in the shape `lrm show --json` prints (read in-process: fast)."""
    from zoneinfo import ZoneInfo

    from lrm_cli import shapes
    from lrm_cli.services.contacts import contact_detail, list_contacts
    from lrm_cli.store.db import Database

    db = Database(db_path)
    try:
        rows = list_contacts(db, archived="all")
        zone = ZoneInfo("Europe/London")
        return {r.name: shapes.detail(contact_detail(db, str(r.id)), zone) for r in rows}
    finally:
        db.close()


def _project(shown: dict, expected: dict) -> dict:
    got = {}
    for key in expected:
        if key == "methods":
            got[key] = [[m["kind"], m["value"], m["label"], m["preferred"]] for m in shown[key]]
        elif key == "important_dates":
            got[key] = [[d["kind"], d["date"], d["label"]] for d in shown[key]]
        elif key == "notes":
            got[key] = [n["body"] for n in shown[key]]
        else:
            got[key] = shown[key]
    return got


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(lrm, db_path, name, monkeypatch):
    expected = EXPECTED[name]
    monkeypatch.chdir(CORPUS)
    result = lrm("import", "vcard", name, "--json", *expected["args"])
    assert result.exit_code == expected["exit"], result.stderr
    if expected["exit"]:
        error = json.loads(result.stderr)["error"]
        assert error["message"].startswith(f"{name}:{expected['error_line']}: ")
        assert expected["error"] in error["message"]
        assert lrm("list", "--all", "--json").json() == []  # nothing was imported
        return
    report = result.json()
    assert {k: report[k] for k in expected["report"]} == expected["report"]
    assert [[f["line"], f["reason"][:40]] for f in report["failed"]] == expected["failed"]
    assert all(f["file"] == name for f in report["failed"])
    assert len(report["warnings"]) == len(expected["warnings"])
    for want, got in zip(expected["warnings"], report["warnings"], strict=True):
        assert want in got
    contacts = _contacts(db_path)
    assert set(contacts) == set(expected["contacts"])
    for contact_name, fields in expected["contacts"].items():
        shown = contacts[contact_name]
        assert _project(shown, fields) == fields, contact_name
        for key in ("given_name", "family_name", "nickname", "organization", "title", "birthday"):
            if key not in fields:
                assert shown[key] is None, (contact_name, key)
    if "reimport" in expected:
        again = lrm("import", "vcard", name, "--json").json()
        assert {k: again[k] for k in expected["reimport"]} == expected["reimport"]
        assert set(_contacts(db_path)) == set(expected["contacts"])
