"""A big vCard file is read a piece at a time (issue 14: import 100k cards in bounded
memory): the pieces give the very cards, lines and errors that reading it whole gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from lrm_cli.domain import InvalidInput
from lrm_cli.formats import vcard

CORPUS = sorted((Path(__file__).parent / "vcards").glob("*.vcf"))


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_pieces_read_like_the_whole_file(path, monkeypatch):
    monkeypatch.setattr(vcard, "PIECE_BYTES", 0)  # cut even a small file
    data = path.read_bytes() * 12  # several cards: cuts between them
    try:
        whole = vcard.split(data, "x.vcf")
    except InvalidInput:
        with pytest.raises(InvalidInput):
            list(vcard.pieces(data, "x.vcf", cards=5))
        return
    parts = list(vcard.pieces(data, "x.vcf", cards=5))
    assert len(parts) > 1 or len(whole.chunks) <= 5
    assert [c for p in parts for c in p.chunks] == whole.chunks
    errors = [(e.line, e.reason) for p in parts for e in p.result.errors]
    assert errors == [(e.line, e.reason) for e in whole.result.errors]


def test_a_big_file_is_cut_and_a_small_one_is_not():
    card = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEND:VCARD\r\n"
    assert len(list(vcard.pieces(card * 10, "x.vcf", cards=2))) == 1
    big = card * 40_000  # 1.6 MB
    parts = list(vcard.pieces(big, "x.vcf", cards=1000))
    assert len(parts) == 40
    assert parts[1].chunks[0][0] == 4001  # the file's line numbers


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name)
def test_a_file_read_a_block_at_a_time_reads_like_the_whole_file(path, tmp_path):
    data = path.read_bytes() * 12
    big = tmp_path / "big.vcf"
    big.write_bytes(data)
    try:
        whole = vcard.split(data, "x.vcf")
    except InvalidInput:
        with pytest.raises(InvalidInput):
            list(vcard.file_pieces(big, "x.vcf", block=256))
        return
    parts = list(vcard.file_pieces(big, "x.vcf", block=256))
    assert [c for p in parts for c in p.chunks] == whole.chunks
    errors = [(e.line, e.reason) for p in parts for e in p.result.errors]
    assert errors == [(e.line, e.reason) for e in whole.result.errors]


def test_import_reads_a_big_file_in_pieces_with_the_file_s_line_numbers(lrm, tmp_path):
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i}\r\nUID:p-{i}\r\nEND:VCARD\r\n"
    cards = "".join(card.format(i=i) for i in range(30_000))  # 1.8 MB
    bad = "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:no name\r\nEND:VCARD\r\n"
    (tmp_path / "big.vcf").write_text(cards + bad + card.format(i="last"), newline="")
    result = lrm("import", "vcard", str(tmp_path / "big.vcf"), "--json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert report["created"] == 30_001
    assert [(f["line"], f["reason"][:7]) for f in report["failed"]] == [(150_001, "no name")]
