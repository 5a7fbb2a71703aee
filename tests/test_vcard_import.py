"""`lrm import vcard` / `lrm export vcard` as a user sees them: matching, dry run, all or
nothing, limits, stdin, vdirs, identical bytes; and each vobject 0.9.9 trap defended."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrm_cli.domain import InvalidInput
from lrm_cli.formats import vcard, vdir

CORPUS = Path(__file__).parent / "vcards"


def card(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD"]) + "\r\n"


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return str(path)


# --- vobject 0.9.9 traps ----------------------------------------------------------------


def test_trap_comma_truncation_of_single_valued_text():
    """vobject reads FN:Smith, John as "Smith" (and NOTE, TITLE, URL likewise)."""
    text = card("FN:Smith, John", "TITLE:VP, Sales", "NOTE:a, b", "URL:http://x.org/a,b")
    (got,) = vcard.read(text.encode(), "t.vcf").cards
    assert (got.name, got.title, got.notes[0].body) == ("Smith, John", "VP, Sales", "a, b")
    assert got.methods[0].value == "http://x.org/a,b"


def test_trap_vcard40_data_uri_photo_does_not_leak_into_other_fields():
    text = card(
        "FN:Pic",
        "PHOTO:data:image/png;base64,iVBORw0KGgo=,AAAA;x",
        "EMAIL:pic@example.org",
        version="4.0",
    )
    (got,) = vcard.read(text.encode(), "t.vcf").cards
    assert [(m.kind, m.value) for m in got.methods] == [("email", "pic@example.org")]


def test_trap_bare_21_types_survive_to_the_export(lrm, tmp_path):
    path = write(
        tmp_path, "a.vcf", card("FN:Bare Types", "TEL;CELL;VOICE:+44 7700 900123", version="2.1")
    )
    assert lrm("import", "vcard", path).exit_code == 0
    assert "\nTEL;TYPE=cell:+447700900123\n" in lrm("export", "vcard").stdout


def test_trap_cards_vobject_cannot_serialise_import_and_export(lrm, tmp_path):
    """vobject's serialize() raises on these parsed cards (no FN; a 2.1 BASE64 photo)."""
    photo = "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQ==\r\n"
    text = card("N:Lovelace;Ada;;;", photo.rstrip("\r\n"), "", version="2.1")
    path = write(tmp_path, "a.vcf", text)
    result = lrm("import", "vcard", path, "--json")
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "out.vcf"
    assert lrm("export", "vcard", "--out", str(out)).exit_code == 0
    import vobject

    (parsed,) = vobject.readComponents(out.read_text(encoding="utf-8"), validate=True)
    assert parsed.fn.value == "Ada Lovelace"


HOSTILE = [
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nno colon here\r\nEND:VCARD\r\n",  # ParseError
    b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE:=FF=FE=C3\r\nEND:VCARD\r\n",
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:x\r\nPHOTO;ENCODING=b:@@@=\r\nEND:VCARD\r\n",  # binascii
    b"BEGIN:VCARD\r\n",  # readOne would raise StopIteration / never closed
    b"END:VCARD\r\n",
    b"BEGIN:VCARD\r\nVERSION:4.0\r\nEND:VCARD\r\n",  # ValidateError in vobject (no FN)
    b'BEGIN:VCARD\r\nVERSION:3.0\r\nFN;TYPE="unclosed:x\r\nEND:VCARD\r\n',
    b"BEGIN:VCARD\r\nVERSION:3.0\r\nN:;;;;;;;;;;;;\r\nBDAY:--13-45\r\nEND:VCARD\r\n",
    b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=nope;QUOTED-PRINTABLE:=E9\r\nEND:VCARD\r\n",
    b"\x00\x01\x02BEGIN:VCARD\xff\xfe",
    b"BEGIN:VCARD\r\nBEGIN:VCARD\r\nFN:inner\r\nEND:VCARD\r\nEND:VCARD\r\n",
]


@pytest.mark.parametrize("data", HOSTILE)
def test_trap_exception_zoo_becomes_a_reported_card_never_a_crash(data):
    result = vcard.read(data, "h.vcf")
    for error in result.errors:
        assert error.source == "h.vcf" and error.line >= 1 and error.reason


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200), st.integers(0, 400))
def test_any_bytes_spliced_into_a_card_never_crash_the_reader(noise, at):
    base = (CORPUS / "apple_grouped_labels.vcf").read_bytes()
    at = min(at, len(base))
    try:
        result = vcard.read(base[:at] + noise + base[at:], "f.vcf")
    except InvalidInput:
        return
    assert len(result.cards) + len(result.errors) >= 1


# --- matching ---------------------------------------------------------------------------------


def test_match_by_email_adds_methods_and_tags_and_keeps_everything(lrm, tmp_path):
    lrm("add", "Ada Lovelace", "--email", "ada@example.org", "--title", "Countess")
    text = card(
        "FN:Augusta Ada King",
        "EMAIL:ADA@example.org",
        "EMAIL:ada@analytical.org",
        "TITLE:Mathematician",
        "ORG:Analytical Society",
        "CATEGORIES:math",
    )
    report = lrm("import", "vcard", write(tmp_path, "a.vcf", text), "--json").json()
    assert (report["created"], report["updated"]) == (0, 1)
    assert report["items"][0]["matched_by"] == "email"
    (shown,) = lrm("list", "--json").json()
    assert shown["name"] == "Ada Lovelace"  # existing values win
    assert shown["title"] == "Countess"
    assert shown["organization"] == "Analytical Society"  # empty ones are filled
    assert shown["emails"] == ["ada@example.org", "ada@analytical.org"]
    assert shown["tags"] == ["math"]


def test_match_by_phone_after_normalising(lrm, tmp_path):
    lrm("add", "Bob", "--phone", "+44 20 7946 0000")
    text = card("FN:Robert", "TEL;TYPE=work:+44 (0)20-7946-0000")
    report = lrm("import", "vcard", write(tmp_path, "a.vcf", text), "--json").json()
    assert report["items"][0]["matched_by"] in ("phone",)
    assert report["unchanged"] + report["updated"] == 1
    assert len(lrm("list", "--json").json()) == 1


def test_match_by_uid_beats_email(lrm, tmp_path):
    lrm("add", "Carol", "--email", "carol@example.org")
    lrm("add", "Dan")
    uid = lrm("show", "Dan", "--json").json()["uid"]
    text = card(f"UID:{uid}", "FN:Daniel", "EMAIL:carol@example.org")
    report = lrm("import", "vcard", write(tmp_path, "a.vcf", text), "--json").json()
    assert report["items"][0]["matched_by"] == "uid"
    assert lrm("show", "Dan", "--json").json()["emails"] == ["carol@example.org"]


def test_a_similar_name_alone_is_reported_never_merged(lrm, tmp_path):
    lrm("add", "Jonathan Smith", "--email", "jon@example.org")
    text = card("FN:Jonathon Smith", "EMAIL:other@example.org")
    report = lrm("import", "vcard", write(tmp_path, "a.vcf", text), "--json").json()
    assert report["created"] == 1
    (pair,) = report["probable_duplicates"]
    assert pair["similar_to"]["name"] == "Jonathan Smith"
    assert pair["reason"] == "similar name" and 0.85 <= pair["score"] < 1
    assert len(lrm("list", "--json").json()) == 2


def test_dry_run_reports_and_writes_nothing(lrm, tmp_path):
    lrm("add", "Ada", "--email", "ada@example.org")
    text = card("FN:Ada", "EMAIL:ada@example.org", "TITLE:New") + card("FN:Newcomer")
    path = write(tmp_path, "a.vcf", text)
    before = lrm("list", "--json").json()
    report = lrm("import", "vcard", path, "--dry-run", "--json").json()
    assert report["dry_run"] is True
    assert (report["created"], report["updated"]) == (1, 1)
    assert [i["action"] for i in report["items"]] == ["update", "create"]
    assert lrm("list", "--json").json() == before
    human = lrm("import", "vcard", path, "--dry-run")
    assert "Newcomer" in human.stdout and "dry run" in human.stdout


# --- all or nothing, limits, sources ----------------------------------------------------------


def test_one_bad_card_imports_nothing_and_names_file_and_line(lrm, tmp_path):
    text = card("FN:Good") + card("FN:Bad", "garbage without colon") + card("FN:Also Good")
    path = write(tmp_path, "mixed.vcf", text)
    result = lrm("import", "vcard", path)
    assert result.exit_code == 5
    assert f"{path}:5: line 8: unreadable line" in result.stderr  # the card, the line
    assert "nothing was imported" in result.stderr
    assert lrm("list", "--json").json() == []
    skipped = lrm("import", "vcard", path, "--skip-invalid")
    assert skipped.exit_code == 0
    assert "1 invalid card skipped" in skipped.stdout
    assert sorted(c["name"] for c in lrm("list", "--json").json()) == ["Also Good", "Good"]


def test_files_over_the_size_limit_are_refused_before_reading(lrm, tmp_path):
    path = write(tmp_path, "big.vcf", card("FN:Big", "NOTE:" + "x" * 3000))
    result = lrm("import", "vcard", path, "--max-size", "1k")
    assert result.exit_code == 5
    assert "limit" in result.stderr and "--max-size" in result.stderr
    assert lrm("import", "vcard", path, "--max-size", "1MB").exit_code == 0


def test_too_many_properties_refused(tmp_path):
    text = card("FN:Many", *[f"NOTE:{i}" for i in range(vcard.MAX_PROPERTIES + 1)])
    with pytest.raises(InvalidInput, match="more than 10000 properties"):
        vcard.read(text.encode(), "many.vcf")


def test_stdin_and_json_report_shape(lrm):
    result = lrm("import", "vcard", "-", "--json", input=card("FN:From Stdin"))
    assert result.exit_code == 0
    report = result.json()
    assert set(report) >= {
        "created",
        "updated",
        "skipped",
        "failed",
        "probable_duplicates",
        "warnings",
    }
    assert report["created"] == 1 and report["items"][0]["file"] == "<stdin>"


def test_missing_file_is_not_found(lrm, tmp_path):
    result = lrm("import", "vcard", str(tmp_path / "nope.vcf"))
    assert result.exit_code == 3 and "nope.vcf" in result.stderr


def test_vdir_folder_imports_every_vcf(lrm, tmp_path):
    folder = tmp_path / "book"
    folder.mkdir()
    (folder / "a.vcf").write_text(card("UID:a", "FN:Alpha"))
    (folder / "B.VCF").write_text(card("UID:b", "FN:Beta"))
    (folder / ".hidden.vcf").write_text(card("FN:Hidden"))
    (folder / "notes.txt").write_text("not a card")
    report = lrm("import", "vcard", str(folder), "--json").json()
    assert report["created"] == 2
    assert sorted(c["name"] for c in lrm("list", "--json").json()) == ["Alpha", "Beta"]


def test_no_progress_bar_when_piped_or_json(lrm, tmp_path):
    path = write(tmp_path, "a.vcf", card("FN:Quiet"))
    result = lrm("import", "vcard", path)
    assert "importing" not in result.stderr and "\x1b" not in result.stderr


# --- export -----------------------------------------------------------------------------------


def test_export_vdir_uid_files_atomic_and_unchanged_on_second_run(lrm, tmp_path):
    text = card("UID:weird/uid with spaces:ü", "FN:Weird Uid") + card("UID:plain-1", "FN:Plain")
    lrm("import", "vcard", write(tmp_path, "a.vcf", text))
    lrm("archive", "Plain")
    folder = tmp_path / "out"
    first = lrm("export", "vcard", "--vdir", str(folder), "--json").json()
    assert (first["contacts"], first["written"], first["unchanged"]) == (2, 2, 0)
    names = sorted(p.name for p in folder.iterdir())
    assert "plain-1.vcf" in names
    assert all(vdir.SAFE_UID.match(n.removesuffix(".vcf")) for n in names)
    assert not [n for n in names if n.startswith(".")]  # no temporary files left
    plain = (folder / "plain-1.vcf").read_text(encoding="utf-8")
    assert "X-LRM-ARCHIVED:" in plain  # archived contacts are exported too
    mtimes = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    second = lrm("export", "vcard", "--vdir", str(folder), "--json").json()
    assert (second["written"], second["unchanged"]) == (0, 2)
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == mtimes
    # and the vdir imports back into the same contacts
    again = lrm("import", "vcard", str(folder), "--json").json()
    assert (again["created"], again["unchanged"]) == (0, 2)


def test_export_file_is_byte_identical_when_nothing_changed(lrm, tmp_path):
    lrm("import", "vcard", str(CORPUS / "apple_grouped_labels.vcf"))
    lrm("import", "vcard", str(CORPUS / "lrm_roundtrip.vcf"))
    a, b = tmp_path / "a.vcf", tmp_path / "b.vcf"
    lrm("export", "vcard", "--out", str(a))
    lrm("export", "vcard", "-o", str(b))
    assert a.read_bytes() == b.read_bytes()
    stdout = lrm("export", "vcard").stdout  # (the test runner turns CRLF into LF)
    assert a.read_bytes().replace(b"\r\n", b"\n") == stdout.encode("utf-8")
    data = a.read_bytes()
    assert b"\r\nCATEGORIES:family\r\n" in data
    assert b"X-LRM-CADENCE-DAYS:14\r\n" in data and b"X-LRM-HOW-MET:at school\\, 1990" in data


def test_export_json_needs_a_file(lrm):
    result = lrm("export", "vcard", "--json")
    assert result.exit_code == 5 and "--out" in result.stderr


def test_export_refuses_out_and_vdir_together(lrm, tmp_path):
    result = lrm("export", "vcard", "--out", str(tmp_path / "a"), "--vdir", str(tmp_path / "b"))
    assert result.exit_code == 5


def test_vdir_writes_keep_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        vdir._UMASK.clear()
        path = tmp_path / "x.vcf"
        assert vdir.write_atomic(path, b"data") is True
        assert path.stat().st_mode & 0o777 == 0o640
        assert vdir.write_atomic(path, b"data") is False
    finally:
        os.umask(old)
        vdir._UMASK.clear()


def test_safe_uid_maps_deterministically():
    assert vdir.safe_uid("abc-1.2_3+4") == "abc-1.2_3+4"
    mapped = vdir.safe_uid("a/b c:ü")
    assert mapped == vdir.safe_uid("a/b c:ü") and vdir.SAFE_UID.match(mapped)
    assert vdir.safe_uid("a/b") != vdir.safe_uid("a b")


def test_help_has_an_example(lrm):
    for args in (("import", "vcard", "--help"), ("export", "vcard", "--help")):
        assert "Example: lrm" in lrm(*args).stdout


def test_report_json_is_documented():
    doc = (Path(__file__).parent.parent / "docs" / "json.md").read_text(encoding="utf-8")
    assert "## `import vcard`" in doc and "probable_duplicates" in doc
