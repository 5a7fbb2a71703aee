"""The vCard corpus: one file per quirk of real exporters (tests/vcards/*.vcf), each with its
expected outcome in tests/vcards/expected.json, imported through the real command.

An entry holds the command's extra "args" and "exit"; for a refused import the "error" and
the "error_line" it names; else the "report" counts, the "failed" cards ([line, reason
prefix]), the "warnings" (a substring of each, in order), the "duplicates" reported
([line, new contact, similar contact, reason]; none when absent), the "contacts" and, when
given, the counts of a "reimport". "env" sets environment variables (LRM_PHONE_REGION)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "vcards"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))


def test_the_corpus_has_a_file_for_every_expectation_and_more_than_thirty():
    files = {p.name for p in CORPUS.glob("*.vcf")}
    assert files == set(EXPECTED)
    assert len(files) >= 30
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    described = {name for name in files if f"`{name}`" in readme}
    assert sorted(files - described) == [], "every .vcf needs a line in tests/vcards/README.md"


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
    for key, value in expected.get("env", {}).items():
        monkeypatch.setenv(key, value)
    result = lrm("import", "vcard", name, "--json", *expected["args"])
    assert result.exit_code == expected["exit"], result.stderr
    if expected["exit"]:
        error = json.loads(result.stderr)["error"]
        line = expected["error_line"]  # null: the file as a whole (an empty one)
        assert error["message"].startswith(f"{name}: " if line is None else f"{name}:{line}: ")
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
    duplicates = [
        [d["line"], d["contact"]["name"], d["similar_to"]["name"], d["reason"]]
        for d in report["probable_duplicates"]
    ]
    assert duplicates == expected.get("duplicates", [])
    assert all(d["file"] == name for d in report["probable_duplicates"])
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


ROUND_TRIP = sorted(
    name for name, want in EXPECTED.items() if want["exit"] == 0 and want["contacts"]
)


@pytest.mark.parametrize("name", ROUND_TRIP)
def test_corpus_file_round_trips_through_export_losslessly(
    lrm, db_path, template_db, name, monkeypatch
):
    """What lrm stored from each file comes back the same from its own vCard export, into
    an empty database: every field, method, tag, date, note, uid and timestamp."""
    for key, value in EXPECTED[name].get("env", {}).items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(CORPUS)
    first = lrm("import", "vcard", name, "--json")
    assert first.exit_code == 0
    before = _contacts(db_path)
    exported = lrm("export", "vcard").stdout
    db_path.unlink()
    shutil.copyfile(template_db, db_path)  # an empty database again
    again = lrm("import", "vcard", "-", "--json", "--strict", input=exported)
    assert again.exit_code == 0, again.stderr
    said = {w.split(": ", 1)[1] for w in first.json()["warnings"]}
    assert [w for w in again.json()["warnings"] if w.split(": ", 1)[1] not in said] == []
    after = _contacts(db_path)
    assert set(after) == set(before)
    for contact_name, shown in before.items():
        assert _comparable(after[contact_name]) == _comparable(shown), contact_name


def _comparable(shown: dict) -> dict:
    """A contact without what is only a row's address (ids). Methods keep their order
    within each kind (the export groups them by property, as vobject writes them), but
    social profiles, written as IMPP or X-SOCIALPROFILE (two properties)."""
    out = {k: v for k, v in shown.items() if k not in ("id", "relationships")}
    out["methods"] = sorted(
        shown["methods"], key=lambda m: (m["kind"], m["value"] if m["kind"] == "social" else "")
    )
    out["important_dates"] = [
        {k: v for k, v in d.items() if k != "id"} for d in shown["important_dates"]
    ]
    out["notes"] = sorted((n["body"], n["created_at"], n["pinned"]) for n in shown["notes"])
    return out
