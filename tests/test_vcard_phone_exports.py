"""A phone's export must import, and come back out as a valid vCard 3.0: Android's custom
labels, vCard 2.1 quoted-printable and base64 as older phones write them, Google's system
groups, files that are not vCards at all, and ``--strict``. Everything goes through the
real command (the ``lrm`` fixture)."""

from __future__ import annotations

from pathlib import Path


def card21(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:2.1", *lines, "END:VCARD"]) + "\r\n"


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return str(path)


def shown(lrm, ref: str = "1") -> dict:
    result = lrm("show", ref, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


# --- vCard 2.1 base64, continued without indentation ------------------------------------------

PHOTO_21 = [
    "PHOTO;ENCODING=BASE64;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJ",
    "CQgKDBQNDAsLDBkSEx8RGh0aHx4dGhwcICQuJyAiLCMcHCg3KSwwMTQ0NB8nOT04MjwuMzQy",
    "/9k=",
    "",
]
PHOTO_DATA = "".join(PHOTO_21[:3]).split(":", 1)[1]


def test_a_21_photo_continued_without_indentation_and_a_blank_line_imports_whole(lrm, tmp_path):
    path = write(
        tmp_path,
        "nokia.vcf",
        card21("N:Halvorsen;Ingrid", "FN:Ingrid Halvorsen", *PHOTO_21, "TEL;CELL:+47 912 34 567"),
    )
    result = lrm("import", "vcard", path, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["warnings"] == []  # no "line that is not a property"
    contact = shown(lrm)
    assert contact["name"] == "Ingrid Halvorsen"
    assert contact["phones"] == ["+4791234567"]  # the line after the blank one is a property
    exported = lrm("export", "vcard").stdout.replace("\n ", "")
    assert PHOTO_DATA in exported
