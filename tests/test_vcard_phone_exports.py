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


# --- Android's custom labels --------------------------------------------------------------------


QP_LABEL = "X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,"


def test_android_custom_labels_are_the_methods_labels_decoded(lrm, tmp_path):
    path = write(
        tmp_path,
        "android.vcf",
        card21(
            "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Sch=C3=A4fer;Lena;;;",
            "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Lena Sch=C3=A4fer",
            "TEL;TYPE=X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,Oma):+49 30 1234567",
            f"TEL;{QP_LABEL}=4F=6D=61=20Gr=C3=A4fe):+49 30 1234568",
            f"TEL;{QP_LABEL}=E5=AE=B6=E5=BA=AD);PREF:+49 30 1234570",
            "TEL;X-Emergency:+49 30 1234569",
            "TEL;TYPE=X-Cell:+49 151 23456789",
            "EMAIL;X-Uni:lena@example.edu",
            "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Leni;1;;;;;;;;;;;;;",
        ),
    )
    result = lrm("import", "vcard", path, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["warnings"] == []
    contact = shown(lrm)
    assert contact["name"] == "Lena Schäfer"
    assert [(m["value"], m["label"], m["preferred"]) for m in contact["methods"]] == [
        ("+49301234567", "Oma", False),
        ("+49301234568", "Oma Gräfe", False),
        ("+49301234570", "家庭", True),
        ("+49301234569", "Emergency", False),
        ("+4915123456789", "cell", False),
        ("lena@example.edu", "Uni", False),
    ]
    exported = lrm("export", "vcard").stdout
    assert "X-ABLABEL:Oma Gräfe" in exported and "X-ABLABEL:Emergency" in exported
    assert "X-CUSTOM" not in exported
    assert "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Leni;1;" in exported
