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
        tmp_path, "a.vcf", card("FN:Bare Types", "TEL;CELL;VOICE:+44 7911 123456", version="2.1")
    )
    assert lrm("import", "vcard", path).exit_code == 0
    assert "\nTEL;TYPE=cell:+447911123456\n" in lrm("export", "vcard").stdout


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
        "FN:Lovelace\\, Ada",
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
    lrm("add", "Bob Jones", "--phone", "+44 20 7946 0000")
    text = card("FN:Bób Jones", "TEL;TYPE=work:+44 (0)20-7946-0000")
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


def test_a_bad_card_is_skipped_and_named_and_strict_imports_nothing(lrm, tmp_path):
    text = card("FN:Good") + card("NOTE:no name at all") + card("FN:Also Good")
    path = write(tmp_path, "mixed.vcf", text)
    strict = lrm("import", "vcard", path, "--strict")
    assert strict.exit_code == 5
    assert f"{path}:5: no name" in strict.stderr  # the file and the line the card starts on
    assert "nothing was imported" in strict.stderr
    assert lrm("list", "--json").json() == []
    result = lrm("import", "vcard", path)
    assert result.exit_code == 0
    assert f"skipped {path}:5: no name" in result.stderr
    assert "2 imported (2 created, 0 updated), 0 unchanged, 1 bad card skipped" in result.stdout
    assert sorted(c["name"] for c in lrm("list", "--json").json()) == ["Also Good", "Good"]


def test_lines_that_are_not_properties_are_skipped_with_their_line_never_the_card(lrm, tmp_path):
    text = card(
        "FN:Kept Anyway",
        "# exported by a phone",
        "garbage without colon",
        "X-messaging/xmpp-All:kept@jabber.example.org",
        "EMAIL:kept@example.org",
    )
    path = write(tmp_path, "odd.vcf", text)
    strict = lrm("import", "vcard", path, "--strict")  # --strict refuses what is skipped
    assert strict.exit_code == 5
    assert f"{path}:4: would skip comment '# exported by a phone'" in strict.stderr
    assert "(and 2 more skipped lines); nothing was imported" in strict.stderr
    assert lrm("list", "--json").json() == []
    result = lrm("import", "vcard", path, "--json")
    assert result.exit_code == 0
    warnings = result.json()["warnings"]
    assert [w.split(": ", 1)[0] for w in warnings] == [f"{path}:{n}" for n in (4, 5, 6)]
    assert "comment" in warnings[0] and "not a property" in warnings[2]
    (shown,) = lrm("list", "--json").json()
    assert (shown["name"], shown["emails"]) == ("Kept Anyway", ["kept@example.org"])


def test_shared_email_or_phone_with_another_name_creates_and_reports(lrm, tmp_path):
    lrm("add", "Maya Rodriguez", "--email", "family@example.org", "--phone", "+44 20 7946 0000")
    text = card("FN:Lucía Gómez", "EMAIL:family@example.org") + card(
        "FN:Ken Office", "TEL:+44 20 7946 0000"
    )
    report = lrm("import", "vcard", write(tmp_path, "a.vcf", text), "--json").json()
    assert report["created"] == 2 and report["updated"] == 0
    pairs = {p["contact"]["name"]: p for p in report["probable_duplicates"]}
    assert pairs["Lucía Gómez"]["similar_to"]["name"] == "Maya Rodriguez"
    assert pairs["Lucía Gómez"]["reason"].startswith("same email family@example.org")
    assert pairs["Ken Office"]["reason"].startswith("same phone +442079460000")
    names = sorted(c["name"] for c in lrm("list", "--json").json())
    assert names == ["Ken Office", "Lucía Gómez", "Maya Rodriguez"]
    maya = lrm("show", "Maya", "--json").json()
    assert (maya["emails"], maya["phones"]) == (["family@example.org"], ["+442079460000"])


def test_colleagues_sharing_an_office_number_in_one_file_stay_two_people(lrm, tmp_path):
    text = card("FN:Ann Office", "TEL;TYPE=work:+44 20 7946 0000") + card(
        "FN:Ben Office", "TEL;TYPE=work:+44 20 7946 0000"
    )
    report = lrm("import", "vcard", write(tmp_path, "a.vcf", text), "--json").json()
    assert report["created"] == 2
    assert len(lrm("list", "--json").json()) == 2


def test_a_card_named_only_by_its_email_matches_by_email(lrm, tmp_path):
    lrm("add", "Ada Lovelace", "--email", "ada@example.org")
    text = card("EMAIL:ada@example.org", "TITLE:Countess")
    report = lrm("import", "vcard", write(tmp_path, "a.vcf", text), "--json").json()
    assert (report["created"], report["updated"]) == (0, 1)
    assert lrm("show", "Ada", "--json").json()["title"] == "Countess"


def test_dry_run_names_the_contact_an_update_would_change(lrm, tmp_path):
    lrm("add", "Maya Rodriguez", "--email", "maya@example.org")
    text = card("FN:Rodríguez\\, Maya", "EMAIL:maya@example.org", "TEL:+44 20 7946 0000")
    path = write(tmp_path, "a.vcf", text)
    result = lrm("import", "vcard", path, "--dry-run")
    assert result.exit_code == 0
    assert (
        f'update #1 Maya Rodriguez <- card "Rodríguez, Maya" ({path}:1): phone (matched by email)'
        in result.stdout
    )
    item = lrm("import", "vcard", path, "--dry-run", "--json").json()["items"][0]
    assert (item["contact_name"], item["changes"]) == ("Maya Rodriguez", ["phone"])
    assert lrm("show", "Maya", "--json").json()["phones"] == []


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


def test_vdir_writes_are_private_whatever_the_umask(tmp_path):
    old = os.umask(0o022)  # issue 15: cards carry notes, so 0600, not the umask's 0644
    try:
        path = tmp_path / "x.vcf"
        assert vdir.write_atomic(path, b"data") is True
        assert path.stat().st_mode & 0o777 == 0o600
        assert vdir.write_atomic(path, b"data") is False
    finally:
        os.umask(old)


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


def test_a_uid_ending_in_vcf_gives_one_extension(lrm, tmp_path):
    lrm("import", "vcard", write(tmp_path, "a.vcf", card("UID:abc-123.vcf", "FN:Server Item")))
    folder = tmp_path / "out"
    assert lrm("export", "vcard", "--vdir", str(folder)).exit_code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["abc-123.vcf"]
    assert vdir.item_path(folder, "x.VCF", "vcf").name == "x.VCF"
    assert vdir.item_path(folder, "x.ics", "vcf").name == "x.ics.vcf"


def test_yearless_dates_are_written_in_30_grammar_and_read_back_yearless(lrm, tmp_path):
    lrm("add", "Charles Babbage", "--birthday", "--12-26")
    lrm("date", "add", "Charles", "--kind", "anniversary", "--on", "--07-08")
    exported = lrm("export", "vcard").stdout
    assert "\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-12-26\n" in exported
    assert "X-APPLE-OMIT-YEAR=1604:1604-07-08\n" in exported
    assert "--12-26" not in exported and "--07-08" not in exported
    (back,) = vcard.read(exported.encode(), "x.vcf").cards
    assert back.birthday == "--12-26"
    assert [(d.kind, d.date) for d in back.dates] == [("anniversary", "--07-08")]


def test_a_skipped_card_keeps_the_warnings_about_its_lines(lrm, tmp_path):
    path = write(tmp_path, "a.vcf", card("stray words", "NOTE:who am I") + card("FN:Fine"))
    report = lrm("import", "vcard", path, "--json").json()
    assert [(f["line"], f["reason"][:7]) for f in report["failed"]] == [(1, "no name")]
    assert report["warnings"] == [f"{path}:3: skipped line that is not a property 'stray words'"]
    assert report["created"] == 1


@pytest.mark.parametrize(
    ("days", "kept"),
    [("30", 30), ("36500", 36500), ("36501", None), ("0", None), ("-7", None),
     ("99999999999999999999999", None), ("soon", None)],
)  # fmt: skip
def test_a_cadence_lrm_would_not_take_is_left_out_of_a_card(lrm, tmp_path, days, kept):
    """The rule of `lrm cadence` (1 day to 100 years): before, a huge one was kept and
    `lrm show` failed on it (a date out of range)."""
    card = tmp_path / "c.vcf"
    card.write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nX-LRM-CADENCE-DAYS:{days}\r\n"
        "END:VCARD\r\n",
        encoding="utf-8",
    )
    assert lrm("import", "vcard", str(card)).exit_code == 0
    shown = lrm("show", "Ada", "--json")
    assert shown.exit_code == 0, shown.stderr
    assert shown.json()["cadence_days"] == kept


@pytest.mark.parametrize("charset", ["unicode_escape", "raw-unicode-escape", "punycode", "idna"])
def test_a_python_codec_named_as_a_charset_is_not_a_character_set(charset):
    """CHARSET=unicode_escape would turn a value's ``\\x00`` into a NUL: a codec's name
    that is no character set is read as an unknown one, the value's bytes as they are."""
    qp = f"FN;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:Ann=5Cx00=5Cx41"
    raw = f"FN;CHARSET={charset}:Ann\\x41".encode() + b"\xe9"  # not UTF-8: read by charset
    for line, name in ((qp.encode(), "Ann\\x00\\x41"), (raw, "Ann\\x41é")):
        data = b"BEGIN:VCARD\r\nVERSION:2.1\r\n" + line + b"\r\nEND:VCARD\r\n"
        result = vcard.read(data, "c.vcf")
        assert [card.name for card in result.cards] == [name]
        assert result.errors == [] and len(result.warnings) == 1
        assert "read as Windows-1252" in result.warnings[0]
