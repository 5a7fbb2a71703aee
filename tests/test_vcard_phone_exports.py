"""A phone's export must import, and come back out as a valid vCard 3.0: Android's custom
labels, vCard 2.1 quoted-printable and base64 as older phones write them, Google's system
groups, files that are not vCards at all, and ``--strict``. Everything goes through the
real command (the ``lrm`` fixture)."""

from __future__ import annotations

import json
import quopri
import unicodedata
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st


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
    assert contact["nickname"] == "Leni"  # X-ANDROID-CUSTOM .../nickname, read
    assert "NICKNAME:Leni" in exported and "X-ANDROID-CUSTOM" not in exported


def test_a_custom_label_of_two_words_keeps_its_phone_and_its_label(lrm, tmp_path):
    """Android writes a custom label of two words as a bare parameter with a space in it,
    which no vCard version allows: the phone (or email) was skipped as an unreadable line."""
    path = write(
        tmp_path,
        "android.vcf",
        card21(
            "N:Doe;Jane;;;",
            "FN:Jane Doe",
            "TEL;X-Work Mobile:+49 30 1234567",
            "TEL;CELL;X-Second Line:+49 30 1234568",
            "EMAIL;X-Home Mail:jane@example.com",
        )
        + card30("FN:Joe Bloggs", "TEL;TYPE=X-Car Phone:+49 30 1234569"),
    )
    result = lrm("import", "vcard", path, "--strict", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["warnings"] == []
    assert [(m["value"], m["label"]) for m in shown(lrm, "jane")["methods"]] == [
        ("+49301234567", "Work Mobile"),
        ("+49301234568", "Second Line"),
        ("jane@example.com", "Home Mail"),
    ]
    assert [(m["value"], m["label"]) for m in shown(lrm, "joe")["methods"]] == [
        ("+49301234569", "Car Phone"),
    ]
    exported = lrm("export", "vcard").stdout
    assert "X-ABLABEL:Work Mobile" in exported and "X-ABLABEL:Car Phone" in exported


LABEL_WORDS = st.lists(
    st.text(st.characters(whitelist_categories=("L", "Nd")), min_size=1, max_size=8),
    min_size=2,
    max_size=4,
).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(label=LABEL_WORDS, prefix=st.sampled_from(["X-", "TYPE=X-", "HOME;X-"]))
def test_any_custom_label_of_several_words_is_read_as_the_method_s_label(label, prefix):
    from lrm_cli.formats import vcard

    text = card21("FN:Jane Doe", f"TEL;{prefix}{label}:+1 555 123 4567")
    result = vcard.read(text.encode("utf-8"), "phone.vcf")
    assert result.warnings == [] and result.errors == []
    ((method,),) = [c.methods for c in result.cards]
    # composed, as all text a card brings (a compatibility ideograph becomes its unified one)
    assert (method.value, method.label) == ("+1 555 123 4567", unicodedata.normalize("NFC", label))


def card30(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"]) + "\r\n"


def android(item: str, *data: str) -> str:
    """An X-ANDROID-CUSTOM line as Android's contacts app writes it: the item's mime type,
    its data columns, then empty ones up to fifteen."""
    return f"X-ANDROID-CUSTOM:vnd.android.cursor.item/{item};" + ";".join(
        [*data, *[""] * (15 - len(data))]
    )


ANDROID_30 = card30(
    "N:Kowalski;Jan;;;",
    "FN:Jan Kowalski",
    "NICKNAME:Jasiu",
    android("nickname", "Janek", "1"),
    android("nickname", "jasiu", "4"),  # a short name NICKNAME already has
    "TEL;TYPE=CELL:+48 600 100 200",
    android("contact_event", "2012-06-09", "1"),  # anniversary
    android("contact_event", "--11-02", "0", "Imieniny"),  # custom, yearless
    android("contact_event", "2019-03-01", "2"),  # other
    android("contact_event", "--07-14", "3"),  # birthday, the BDAY below has its year
    android("relation", "Anna Kowalska", "14"),  # spouse, a contact of this file
    android("relation", "Piotr", "2"),  # brother, no contact of that name
    android("relation", "Ewa Nowak", "0", "Chrzestna"),  # custom
    "BDAY:1985-07-14",
) + card30(
    "N:Kowalska;Anna;;;",
    "FN:Anna Kowalska",
    "ANNIVERSARY:2012-06-09",
    android("contact_event", "--06-09", "1"),  # the ANNIVERSARY above, without its year
    android("contact_event", "1987-02-20", "3"),  # her birthday: only here
)


def test_android_nicknames_events_and_relations_are_read(lrm, tmp_path):
    path = write(tmp_path, "android.vcf", ANDROID_30)
    result = lrm("import", "vcard", path, "--json", "--strict")
    assert result.exit_code == 0, result.stderr
    assert result.json()["warnings"] == []
    jan, anna = shown(lrm, "1"), shown(lrm, "2")
    assert jan["nickname"] == "Jasiu, Janek"
    assert jan["birthday"] == "1985-07-14"  # one birthday, not a second as a date
    assert sorted((d["kind"], d["date"], d["label"] or "") for d in jan["important_dates"]) == [
        ("anniversary", "2012-06-09", ""),
        ("custom", "--11-02", "Imieniny"),
        ("custom", "2019-03-01", ""),
    ]
    assert [(r["kind"], r["contact"]["name"]) for r in jan["relationships"]] == [
        ("spouse", "Anna Kowalska")
    ]
    assert anna["birthday"] == "1987-02-20"
    assert [(d["kind"], d["date"]) for d in anna["important_dates"]] == [
        ("anniversary", "2012-06-09")
    ]
    exported = lrm("export", "vcard").stdout
    (c, _) = strictly_parsed(exported)
    assert c.nickname.value == "Jasiu, Janek"
    # relations lrm could not link stay on the card as the phone wrote them (Piotr and Ewa
    # Nowak are no contacts); the linked one is lrm's relationship, written as Apple's
    # related name; the nickname and event lines are lrm's now
    kept = sorted(line.value for line in c.contents["x-android-custom"])
    assert kept == [
        "vnd.android.cursor.item/relation;Ewa Nowak;0;Chrzestna;;;;;;;;;;;;",
        "vnd.android.cursor.item/relation;Piotr;2;;;;;;;;;;;;;",
    ]
    assert [line.value for line in c.contents["x-abrelatednames"]] == ["Anna Kowalska"]
    again = lrm("import", "vcard", "-", "--json", input=exported)
    assert again.json()["unchanged"] == 2 and again.json()["warnings"] == []


def test_an_android_birthday_other_than_bday_is_kept_as_a_date_with_a_warning(lrm, tmp_path):
    card = card30(
        "FN:Zofia Wrona",
        "BDAY:1990-01-05",
        android("contact_event", "1990-05-01", "3"),
        android("contact_event", "someday", "0", "Imieniny"),
    )
    result = lrm("import", "vcard", write(tmp_path, "z.vcf", card), "--json")
    assert result.exit_code == 0, result.stderr
    warnings = result.json()["warnings"]
    assert len(warnings) == 2
    assert any(
        w.endswith("z.vcf:5: a second birthday 1990-05-01 (BDAY: 1990-01-05); kept as a date")
        for w in warnings
    )
    assert any(
        w.endswith("z.vcf:6: Android date 'someday' is not a date; kept as a note")
        for w in warnings
    )
    contact = shown(lrm)
    assert contact["birthday"] == "1990-01-05"
    assert [(d["kind"], d["date"], d["label"]) for d in contact["important_dates"]] == [
        ("custom", "1990-05-01", "Birthday")
    ]
    assert [n["body"] for n in contact["notes"]] == ["Imieniny: someday"]


def test_a_second_bday_line_is_kept_as_a_date_not_dropped(lrm, tmp_path):
    """A card merged on a phone may carry two BDAY lines: the first is the birthday, the
    same day again is said once, and another day is kept as a date, with the line named."""
    card = card30("FN:Two Days", "BDAY:1990-01-05", "BDAY:--0105", "BDAY:1991-02-02")
    result = lrm("import", "vcard", write(tmp_path, "t.vcf", card), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["warnings"] == [
        f"{tmp_path / 't.vcf'}:6: a second birthday 1991-02-02 (BDAY: 1990-01-05); kept as a date"
    ]
    contact = shown(lrm)
    assert contact["birthday"] == "1990-01-05"
    assert [(d["kind"], d["date"], d["label"]) for d in contact["important_dates"]] == [
        ("custom", "1991-02-02", "Birthday")
    ]


# --- two cards of one person in one import ------------------------------------------------------

IPHONE = card30(
    "PRODID:-//Apple Inc.//iPhone OS 17.4//EN",
    "N:Okafor;Chidi;;;",
    "FN:Chidi Okafor",
    "ORG:Lagos Grid Ltd;Planning",
    "TITLE:Engineer",
    "EMAIL;type=INTERNET;type=HOME;type=pref:chidi@example.ng",
    "BDAY;value=date:1988-03-14",
)
GOOGLE = card30(
    "FN:Chidi Okafor",
    "N:Okafor;Chidi;;;",
    "EMAIL;TYPE=INTERNET;TYPE=HOME:Chidi@example.ng",
    "ORG:lagos grid  LTD",  # the same organisation, written otherwise: no conflict
    "TITLE:Senior Engineer",
    "BDAY:1988-04-14",
    "NICKNAME:CJ",  # new: filled, no conflict
    "CATEGORIES:myContacts",
)


def test_two_cards_of_one_contact_with_other_values_are_reported_not_silently_dropped(
    lrm, tmp_path
):
    path = write(tmp_path, "both.vcf", IPHONE + GOOGLE)
    result = lrm("import", "vcard", path, "--json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert (report["created"], report["updated"]) == (1, 1)
    assert report["conflicts"] == [
        {
            "file": path,
            "line": 11,
            "contact": {"id": 1, "name": "Chidi Okafor"},
            "field": field,
            "kept": kept,
            "dropped": dropped,
        }
        for field, kept, dropped in (
            ("title", "Engineer", "Senior Engineer"),
            ("birthday", "1988-03-14", "1988-04-14"),
        )
    ]
    assert report["warnings"] == [
        f"{path}:11: Chidi Okafor #1 (an earlier card of this import): title 'Senior Engineer' "
        "left out, 'Engineer' kept",
        f"{path}:11: Chidi Okafor #1 (an earlier card of this import): birthday '1988-04-14' "
        "left out, '1988-03-14' kept",
    ]
    contact = shown(lrm)
    assert (contact["title"], contact["birthday"], contact["nickname"]) == (
        "Engineer",
        "1988-03-14",
        "CJ",
    )
    # the same cards again: a contact that was there before the import is no conflict
    again = lrm("import", "vcard", path, "--json").json()
    assert again["conflicts"] == [] and again["warnings"] == []
    # a dry run names no contact it would have made
    fresh = tmp_path / "fresh.sqlite3"
    dry = lrm("--db", str(fresh), "import", "vcard", path, "--dry-run", "--json").json()
    assert [c["contact"]["id"] for c in dry["conflicts"]] == [None, None]
    text = lrm("--db", str(fresh), "import", "vcard", path)
    assert "title 'Senior Engineer' left out, 'Engineer' kept" in text.stderr


def test_a_uid_on_two_cards_reports_their_other_organisations(lrm, tmp_path):
    first = card30("UID:6c1f0e2b-1d2e", "FN:Mara Lind", "ORG:Nordlicht AB")
    second = card30("UID:6c1f0e2b-1d2e", "FN:Mara Lind", "ORG:Sörmland Energi")
    path = write(tmp_path, "outlook.vcf", first + second)
    report = lrm("import", "vcard", path, "--json").json()
    assert [(c["field"], c["kept"], c["dropped"]) for c in report["conflicts"]] == [
        ("organization", "Nordlicht AB", "Sörmland Energi")
    ]
    assert "merged into one contact" in report["warnings"][0]
    assert "organization 'Sörmland Energi' left out, 'Nordlicht AB' kept" in report["warnings"][1]


# --- names: CJK order, organisations ----------------------------------------------


def test_a_cjk_name_without_fn_is_family_name_first(lrm, tmp_path):
    cards = (
        # a Chinese Android phone's 2.1 export without FN: N in quoted-printable UTF-8
        card21(
            "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E7=8E=8B;=E5=B0=8F=E6=98=8E;;;",
            "TEL;CELL:13800138000",
        )
        + card30("N:김;민준;;;", "TEL;TYPE=CELL:+82 10-1234-5678")  # Korean, no FN
        + card30("N:山田;太郎;;;", "FN:", "X-PHONETIC-LAST-NAME:やまだ")  # an empty FN
        + card30("N:Wang;Xiaoming;;;", "EMAIL:xiaoming@example.cn")  # romanised: given first
        + card30("N:Chen;美玲;;;", "EMAIL:meiling@example.tw")  # mixed scripts: as before
    )
    result = lrm("import", "vcard", write(tmp_path, "cjk.vcf", cards), "--json", "--strict")
    assert result.exit_code == 0, result.stderr
    people = {c["name"]: (c["given_name"], c["family_name"]) for c in lrm("list", "--json").json()}
    assert people == {
        "王小明": ("小明", "王"),
        "김민준": ("민준", "김"),
        "山田太郎": ("太郎", "山田"),
        "Xiaoming Wang": ("Xiaoming", "Wang"),
        "美玲 Chen": ("美玲", "Chen"),
    }


def test_an_organisation_s_card_is_named_by_its_org_and_not_split_into_a_name(
    lrm, tmp_path, template_db
):
    cards = (
        card30(  # macOS Contacts, "show as company"
            "PRODID:-//Apple Inc.//Mac OS X 10.15.7//EN",
            "N:;;;;",
            "FN:Lisboa Ceramics Lda.",
            "ORG:Lisboa Ceramics Lda.;Export",
            "TEL;type=WORK;type=VOICE:+351 21 000 0000",
            "X-ABShowAs:COMPANY",
        )
        + card30(  # the same, with a contact person's name in N and FN
            "PRODID:-//Apple Inc.//iPhone OS 17.4//EN",
            "N:Marsh;Tobias;;;",
            "FN:Tobias Marsh",
            "ORG:Marsh & Finch Solicitors",
            "EMAIL;type=INTERNET;type=WORK:tobias@example.co.uk",
            "X-ABShowAs:COMPANY",
        )
        + "\r\n".join(  # vCard 4.0 KIND:org without N
            [
                "BEGIN:VCARD",
                "VERSION:4.0",
                "KIND:org",
                "FN:Nordwind Energie GmbH",
                "ORG:Nordwind Energie GmbH",
                "URL:https://example.de",
                "END:VCARD",
                "",
            ]
        )
    )
    path = write(tmp_path, "companies.vcf", cards)
    result = lrm("import", "vcard", path, "--json", "--strict")
    assert result.exit_code == 0, result.stderr
    people = {
        c["name"]: (c["given_name"], c["family_name"], c["organization"])
        for c in lrm("list", "--json").json()
    }
    assert people == {
        "Lisboa Ceramics Lda.": (None, None, "Lisboa Ceramics Lda."),
        "Marsh & Finch Solicitors": ("Tobias", "Marsh", "Marsh & Finch Solicitors"),
        "Nordwind Energie GmbH": (None, None, "Nordwind Energie GmbH"),  # not Nordwind|Energie GmbH
    }
    exported = lrm("export", "vcard").stdout
    strictly_parsed(exported)
    back = reimported(lrm, tmp_path, template_db, exported, "again.sqlite3")
    before = [shown(lrm, str(c["id"])) for c in lrm("list", "--json").json()]
    assert sorted(map(repr, map(same_person, back))) == sorted(map(repr, map(same_person, before)))


# --- what comes back out is valid vCard 3.0 -----------------------------------------------------


def strictly_parsed(text: str) -> list:
    """Every card of ``text`` read by vobject with validation, each property's value decoded
    (a broken base64 photo raises), after checking that nothing of vCard 2.1 is left: no
    CHARSET, no ENCODING but ``b``, no bare parameter (``PHOTO;JPEG``)."""
    import vobject

    cards = list(vobject.readComponents(text, validate=True))
    for c in cards:
        assert c.version.value == "3.0"
        for line in c.getChildren():
            assert not line.singletonparams, (line.name, line.singletonparams)
            assert "CHARSET" not in line.params, line.name
            assert line.params.get("ENCODING", ["b"]) == ["b"], line.name
            assert line.value is not None
    return cards


def imported_alone(lrm, tmp_path: Path, template_db: Path, text: str, name: str):
    """``text`` imported with --strict into a new empty database (``name``, in
    ``tmp_path``): the import's JSON report and its contacts shown."""
    import shutil

    db = tmp_path / name
    shutil.copyfile(template_db, db)
    result = lrm("--db", str(db), "import", "vcard", "-", "--strict", "--json", input=text)
    assert result.exit_code == 0, result.stderr
    listed = lrm("--db", str(db), "list", "--all", "--json").json()
    shown = [lrm("--db", str(db), "show", str(c["id"]), "--json").json() for c in listed]
    return result.json(), shown


def reimported(lrm, tmp_path: Path, template_db: Path, text: str, name: str) -> list[dict]:
    """``text`` imported with --strict into a new empty database: its contacts shown."""
    report, shown = imported_alone(lrm, tmp_path, template_db, text, name)
    assert report["warnings"] == []
    return shown


def same_person(contact: dict) -> dict:
    keep = ("name", "given_name", "family_name", "nickname", "organization", "tags", "birthday")
    out = {k: contact[k] for k in keep}
    out["methods"] = sorted((m["kind"], m["value"], m["label"]) for m in contact["methods"])
    out["notes"] = sorted(n["body"] for n in contact["notes"])
    return out


OLD_PHONE = card21(
    "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=85str=C3=B6m;Bj=C3=B6rn;Erik=\r\n;Dr.;",
    "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Dr. Bj=C3=B6rn Erik =C3=85str=\r\n=C3=B6m",
    "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Tr=C3=A4ffade p=C3=A5 m=C3=A4ssan, =\r\n"
    "Stockholm=0D=0AGillar kaffe",
    "ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;Sveav=C3=A4gen 1;G=C3=B6teb=\r\n"
    "org;;411 01;Sverige",
    "LABEL;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Sveav=C3=A4gen 1=0D=0A411 01 G=\r\n"
    "=C3=B6teborg, Sverige",
    "X-ANDROID-CUSTOM;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:vnd.android.cursor.item/nickname;=\r\n"
    "Bj=C3=B6rnis;1;;;;;;;;;;;;;",
    "X-PHONETIC-LAST-NAME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=85str=C3=B6m",
    "TEL;CELL;PREF:+46 70 174 06 10",
    "EMAIL;HOME:bjorn@example.se",
    *PHOTO_21,
    "SOUND;BASE64:",
    "  UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=",
    "",
)


def test_a_21_card_imports_with_its_quoted_printable_text_decoded(lrm, tmp_path):
    path = write(tmp_path, "old.vcf", OLD_PHONE)
    result = lrm("import", "vcard", path, "--json", "--strict")
    assert result.exit_code == 0, result.stderr
    assert result.json()["warnings"] == []
    contact = shown(lrm)
    assert contact["name"] == "Dr. Björn Erik Åström"
    assert (contact["given_name"], contact["family_name"]) == ("Björn", "Åström")
    assert [n["body"] for n in contact["notes"]] == ["Träffade på mässan, Stockholm\nGillar kaffe"]
    (address,) = [m for m in contact["methods"] if m["kind"] == "address"]
    assert address["components"]["street"] == "Sveavägen 1"
    assert address["components"]["locality"] == "Göteborg"


def test_the_export_of_a_21_card_is_valid_30_and_imports_back_the_same(lrm, tmp_path, template_db):
    path = write(tmp_path, "old.vcf", OLD_PHONE)
    assert lrm("import", "vcard", path).exit_code == 0
    before = shown(lrm)
    exported = lrm("export", "vcard").stdout
    (c,) = strictly_parsed(exported)
    assert c.fn.value == "Dr. Björn Erik Åström"
    assert c.photo.params["TYPE"] == ["JPEG"]
    import base64

    assert c.photo.value == base64.b64decode(PHOTO_DATA)  # vobject decodes ENCODING=b
    assert c.sound.value.startswith(b"RIFF")
    assert c.label.value == "Sveavägen 1\n411 01 Göteborg, Sverige"
    assert c.label.params["TYPE"] == ["HOME"]
    assert c.x_phonetic_last_name.value == "Åström"
    assert c.nickname.value == "Björnis"  # X-ANDROID-CUSTOM .../nickname, read (QP)
    assert "QUOTED-PRINTABLE" not in exported.upper() and "BASE64" not in exported.upper()
    unfolded = exported.replace("\r\n", "\n").replace("\n ", "").splitlines()
    assert "SOUND;ENCODING=b:UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=" in (
        unfolded
    )  # the 2.1 indentation is not left in the value
    (after,) = reimported(lrm, tmp_path, template_db, exported, "again.sqlite3")
    assert same_person(after) == same_person(before)
    assert lrm("--db", str(tmp_path / "again.sqlite3"), "export", "vcard").stdout == exported


JPEG = bytes(range(256)) * 3  # a photo's bytes (any bytes: vobject decodes ENCODING=b)


def test_a_40_data_uri_photo_is_exported_in_its_30_form(lrm, tmp_path):
    import base64

    data = base64.b64encode(JPEG).decode("ascii")
    folded = "\r\n ".join(data[i : i + 74] for i in range(0, len(data), 74))
    card = "\r\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:4.0",
            "PRODID:-//Sabre//Sabre VObject 4.5.4//EN",
            "UID:urn:uuid:0d2b1f6e-5a8c-4c1e-9d7b-3f6a2e8c1b40",
            "FN:Ines Carvalho",
            "N:Carvalho;Ines;;;",
            f"PHOTO:data:image/jpeg;base64,{folded}",
            "LOGO;PREF=1:data:image/png;base64,iVBORw0KGgo=",
            "SOUND:data:audio/basic,%00%01%FF",  # percent-encoded, not base64
            "KEY:data:application/pgp-keys;base64,not base64 at all!",  # cannot be 3.0
            "item1.PHOTO:https://example.com/ines.jpg",
            "EMAIL;TYPE=work:ines@example.pt",
            "END:VCARD",
        ]
    )
    path = write(tmp_path, "nextcloud.vcf", card + "\r\n")
    result = lrm("import", "vcard", path, "--strict")
    assert result.exit_code == 0, result.stderr
    # the KEY that cannot be written is named when it is read, not dropped silently later
    line = card.split("\r\n").index(next(k for k in card.split("\r\n") if k.startswith("KEY")))
    (warning,) = result.stderr.splitlines()
    assert warning == (
        f"lrm: warning: {path}:{line + 1}: KEY's data: URI does not decode; kept, but left "
        "out of vCard exports"
    )
    exported = lrm("export", "vcard").stdout
    assert "data:" not in exported.replace("\r\n ", "")
    (c,) = strictly_parsed(exported)
    photos = {line.group: line for line in c.contents["photo"]}
    assert photos[None].value == JPEG and photos[None].params["TYPE"] == ["JPEG"]
    assert photos["item1"].value == "https://example.com/ines.jpg"
    assert photos["item1"].params["VALUE"] == ["uri"]
    assert c.logo.value == bytes.fromhex("89504e470d0a1a0a") and c.logo.params["TYPE"] == ["PNG"]
    assert c.sound.value == b"\x00\x01\xff" and c.sound.params["TYPE"] == ["BASIC"]
    assert "key" not in c.contents  # a data: URI that is none is dropped, not written broken


def test_a_21_photo_by_url_is_exported_with_30_s_value_uri(lrm, tmp_path, template_db):
    card = card21(  # vCard 2.1's VALUE=URL (3.0 calls it uri), as Nokia and Outlook wrote it
        "N:Public;John;Q.;;",
        "FN:John Q. Public",
        "PHOTO;VALUE=URL;TYPE=GIF:http://www.example.com/dir_photos/my_photo.gif",
        "LOGO;VALUE=url:https://www.example.com/logo.png",
        "SOUND;VALUE=URL;WAVE:http://www.example.com/jqpublic.wav",  # a bare 2.1 type too
        "TEL;WORK;VOICE:+1-213-555-1234",
    )
    result = lrm("import", "vcard", write(tmp_path, "nokia.vcf", card), "--json", "--strict")
    assert result.exit_code == 0, result.stderr
    assert result.json()["warnings"] == []
    exported = lrm("export", "vcard").stdout
    assert "VALUE=URL" not in exported.replace("\n ", "")
    (c,) = strictly_parsed(exported)
    assert (c.photo.value, c.photo.params) == (
        "http://www.example.com/dir_photos/my_photo.gif",
        {"VALUE": ["uri"], "TYPE": ["GIF"]},
    )
    assert (c.logo.value, c.logo.params) == ("https://www.example.com/logo.png", {"VALUE": ["uri"]})
    assert (c.sound.value, c.sound.params) == (
        "http://www.example.com/jqpublic.wav",
        {"VALUE": ["uri"], "TYPE": ["WAVE"]},
    )
    reimported(lrm, tmp_path, template_db, exported, "again.sqlite3")
    again = lrm("--db", str(tmp_path / "again.sqlite3"), "export", "vcard").stdout
    assert again == exported


NAMES = st.text(
    st.characters(
        blacklist_categories=("Cs", "Cc", "Cf", "Co", "Cn", "Zl", "Zp"),
        blacklist_characters=";\\",
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s)


def qp(text: str) -> str:
    """``text`` as a 2.1 phone writes it: quoted-printable UTF-8, soft line breaks."""
    return quopri.encodestring(text.encode("utf-8"), quotetabs=True).decode().replace("\n", "\r\n")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(given_name=NAMES, family_name=NAMES)
@example(given_name="Ju\u0308rgen", family_name="\U0002f800")  # a Mac's decomposed ü; 丽
def test_quoted_printable_names_round_trip(lrm, tmp_path, template_db, given_name, family_name):

    full = f"{given_name} {family_name}"
    text = card21(
        f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp(f'{family_name};{given_name};;;')}",
        f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp(full)}",
        f"X-PHONETIC-FIRST-NAME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp(given_name)}",
    )
    name = f"qp-{uuid.uuid4().hex}.sqlite3"
    _, (contact,) = imported_alone(lrm, tmp_path, template_db, text, name)
    db = tmp_path / name
    # stored composed (normalize.composed), as a name typed on a keyboard
    full, given_name, family_name = (
        unicodedata.normalize("NFC", n) for n in (full, given_name, family_name)
    )
    assert (contact["name"], contact["given_name"], contact["family_name"]) == (
        full,
        given_name,
        family_name,
    )
    exported = lrm("--db", str(db), "export", "vcard").stdout
    (c,) = strictly_parsed(exported)
    assert (c.fn.value, c.n.value.given, c.n.value.family) == (full, given_name, family_name)
    assert c.x_phonetic_first_name.value == given_name


def b64(text: str, charset: str = "utf-8") -> str:
    import base64

    return base64.b64encode(text.encode(charset)).decode()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(given_name=NAMES, family_name=NAMES, note=NAMES)
@example(given_name="Jan", family_name="Łukasiewicz", note="Logik; 1878, Lwów")
def test_base64_text_is_decoded_as_a_21_phone_writes_it(
    lrm, tmp_path, template_db, given_name, family_name, note
):
    """Some phones (Japanese ones, older Sony Ericssons) write a 2.1 card's names and
    notes in base64: they come in as text, not as the base64 itself."""

    full = f"{given_name} {family_name}"
    text = card21(
        f"N;CHARSET=UTF-8;ENCODING=BASE64:{b64(f'{family_name};{given_name};;;')}",
        f"FN;CHARSET=UTF-8;ENCODING=BASE64:{b64(full)}",
        f"NOTE;CHARSET=UTF-8;BASE64:{b64(note)}",
        "TEL;CELL:+48 600 100 200",
    )
    name = f"b64-{uuid.uuid4().hex}.sqlite3"
    _, (contact,) = imported_alone(lrm, tmp_path, template_db, text, name)
    full, given_name, family_name, note = (
        unicodedata.normalize("NFC", n) for n in (full, given_name, family_name, note)
    )
    assert (contact["name"], contact["given_name"], contact["family_name"]) == (
        full,
        given_name,
        family_name,
    )
    assert [n["body"] for n in contact["notes"]] == [note]


def test_base64_text_in_another_charset_and_a_false_base64(lrm, tmp_path):
    text = card21(
        f"FN;CHARSET=SHIFT_JIS;ENCODING=BASE64:{b64('山田太郎', 'shift_jis')}",
        "NOTE;ENCODING=BASE64:not base64 at all!",
    )
    result = lrm("import", "vcard", write(tmp_path, "sj.vcf", text), "--json")
    assert result.exit_code == 0, result.stderr
    (warning,) = result.json()["warnings"]
    assert "sj.vcf:4: NOTE says BASE64 but is not" in warning
    contact = shown(lrm)
    assert contact["name"] == "山田太郎"
    assert [n["body"] for n in contact["notes"]] == ["not base64 at all!"]


# --- Google Contacts ------------------------------------------------------------------------------


def test_google_s_my_contacts_is_no_tag_and_starred_is_one(lrm, tmp_path):
    google = "\r\n".join(
        [
            "BEGIN:VCARD",
            "VERSION:3.0",
            "FN:Priya Natarajan",
            "N:Natarajan;Priya;;;",
            "EMAIL;TYPE=INTERNET:priya@example.com",
            "CATEGORIES:Book club,myContacts,starred",
            "END:VCARD",
            "BEGIN:VCARD",
            "VERSION:3.0",
            "FN:Tomás Ortega",
            "N:Ortega;Tomás;;;",
            "CATEGORIES:myContacts",
            "TEL;TYPE=CELL:+1 202 555 0147",
            "END:VCARD",
            "",
        ]
    )
    result = lrm("import", "vcard", write(tmp_path, "contacts.vcf", google), "--json")
    assert result.exit_code == 0, result.stderr
    tags = {c["name"]: c["tags"] for c in lrm("list", "--json").json()}
    assert tags == {"Priya Natarajan": ["Book-club", "starred"], "Tomás Ortega": []}
    assert "myContacts" not in lrm("export", "vcard").stdout


# --- a file that is not a vCard at all ------------------------------------------------------------

NOT_VCARDS = {
    "export.json": ('{"version": 1, "contacts": []}\n', ":1: JSON, not a vCard", "lrm import json"),
    "google.csv": (
        "\nName,Given Name,E-mail 1 - Value\nAda,Ada,ada@example.org\n",
        ":2: not a vCard",
        "",
    ),
    "empty.vcf": ("", ": empty file, not a vCard", ""),
    "blank.vcf": ("\r\n \r\n\t\r\n", ": empty file, not a vCard", ""),
    "photo.vcf": (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + bytes(range(256)),
        ":1: binary data",
        "",
    ),
    "utf16.vcf": ("\ufeffnot a card\r\n".encode("utf-16"), ":1: not a vCard", ""),
}


@pytest.mark.parametrize("name", sorted(NOT_VCARDS))
def test_a_file_that_is_no_vcard_is_refused_in_one_line_and_nothing_is_written(lrm, tmp_path, name):
    content, said, hint = NOT_VCARDS[name]
    lrm("add", "Already Here")
    path = write(tmp_path, name, content)
    result = lrm("import", "vcard", path)
    assert result.exit_code == 5
    (line,) = result.stderr.splitlines()  # one line, no traceback
    assert line.startswith(f"lrm: error: {path}{said}")
    assert hint in line and "nothing was imported" in line
    assert [c["name"] for c in lrm("list", "--json").json()] == ["Already Here"]
    as_json = lrm("import", "vcard", path, "--json")
    assert as_json.exit_code == 5
    assert json.loads(as_json.stderr)["error"]["message"].startswith(f"{path}{said}")


def test_json_on_standard_input_is_refused_with_the_hint_for_standard_input(lrm):
    result = lrm("import", "vcard", "-", input='[{"name": "Ada"}]')
    assert result.exit_code == 5
    assert "<stdin>:1: JSON, not a vCard" in result.stderr
    assert "lrm import json -" in result.stderr


def test_a_vdir_s_stray_file_that_is_no_card_is_skipped_not_fatal(lrm, tmp_path):
    folder = tmp_path / "contacts"
    folder.mkdir()
    write(folder, "a.vcf", card21("FN:Mei Lin", "TEL;CELL:+1 202 555 0123"))
    write(folder, "b.vcf", "")
    result = lrm("import", "vcard", str(folder))
    assert result.exit_code == 0, result.stderr
    assert [c["name"] for c in lrm("list", "--json").json()] == ["Mei Lin"]


# --- --strict -------------------------------------------------------------------------------------


def test_strict_refuses_a_line_the_import_would_skip_naming_file_and_line(lrm, tmp_path):
    good = card21("FN:Nadia Haddad", "TEL;CELL:+1 202 555 0188")
    odd = card21("FN:Oren Katz", "X-messaging/xmpp-All:oren@jabber.example.org")
    path = write(tmp_path, "phone.vcf", "Exported by PhoneTool 2.0\r\n" + good + odd)
    strict = lrm("import", "vcard", path, "--strict", "--json")
    assert strict.exit_code == 5
    message = json.loads(strict.stderr)["error"]["message"]
    assert message.startswith(f"{path}:1: would skip text outside a vCard 'Exported by PhoneTool")
    assert "nothing was imported" in message
    assert lrm("list", "--json").json() == []
    alone = write(tmp_path, "odd.vcf", odd)
    strict = lrm("import", "vcard", alone, "--strict")
    assert strict.exit_code == 5
    (line,) = strict.stderr.splitlines()
    assert f"{alone}:4: would skip line that is not a property 'X-messaging/xmpp-All:" in line
    relaxed = lrm("import", "vcard", path)  # without --strict: skipped with a warning
    assert relaxed.exit_code == 0
    assert f"{path}:1: skipped text outside a vCard" in relaxed.stderr
    assert sorted(c["name"] for c in lrm("list", "--json").json()) == ["Nadia Haddad", "Oren Katz"]


def test_strict_s_refusal_counts_bad_cards_and_skipped_lines_apart(lrm, tmp_path):
    text = (
        card21("N:;;;;", "FN:", "NOTE:call back about the flat")  # no name: a bad card
        + card21("FN:Oren Katz", "# exported by PhoneTool", "TEL;CELL:+1 202 555 0143")
        + card21("N:;;;;", "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;;1;;;;;;;;;;;;;")
        + card21("FN:Nadia Haddad", "X-messaging/xmpp-All:nadia@jabber.example.org")
    )
    path = write(tmp_path, "phone.vcf", text)
    strict = lrm("import", "vcard", path, "--strict", "--json")
    assert strict.exit_code == 5
    message = json.loads(strict.stderr)["error"]["message"]
    assert message == (
        f"{path}:1: no name: the card has no FN, N, ORG, NICKNAME, EMAIL, TEL or messaging handle "
        "(and 1 more bad card and 2 more skipped lines); nothing was imported"
    )
    only_lines = write(tmp_path, "lines.vcf", card21("FN:Oren Katz", "# one", "# two"))
    strict = lrm("import", "vcard", only_lines, "--strict")
    assert strict.exit_code == 5
    assert "would skip comment '# one' (and 1 more skipped line); nothing was imported" in (
        strict.stderr
    )
    assert lrm("list", "--json").json() == []


def test_empty_standard_input_imports_nothing_so_an_empty_export_pipes_through(lrm):
    exported = lrm("export", "vcard")
    assert exported.exit_code == 0 and exported.stdout == ""
    result = lrm("import", "vcard", "-", input=exported.stdout)
    assert result.exit_code == 0, result.stderr


# --- Apple's grouped labels: related names, dates, methods -------------------------------------


def apple(*lines: str) -> str:
    """A card as iOS 17's Contacts app shares it: 3.0, its labels in itemN.X-ABLabel."""
    return card30("PRODID:-//Apple Inc.//iPhone OS 17.4//EN", *lines)


def card40(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:4.0", *lines, "END:VCARD"]) + "\r\n"


APPLE_FAMILY = (
    apple(
        "N:Doe;John;;;",
        "FN:John Doe",
        "item1.TEL:+1 (415) 555-0134",
        "item1.X-ABLabel:_$!<Mobile>!$_",
        "item2.EMAIL;type=INTERNET;type=pref:john@example.com",
        "item2.X-ABLabel:Book club",
        "item3.URL;type=pref:https\\://johndoe.example.com",
        "item3.X-ABLabel:_$!<HomePage>!$_",
        "item4.ADR:;;12 Lake Rd;Tahoe City;CA;96145;United States",
        "item4.X-ABLabel:Cabin",
        "item4.X-ABADR:us",
        "item5.X-ABRELATEDNAMES:Jane Doe",
        "item5.X-ABLabel:_$!<Spouse>!$_",
        "item6.X-ABRELATEDNAMES;type=pref:Mary Doe",
        "item6.X-ABLabel:_$!<Mother>!$_",
        "item7.X-ABRELATEDNAMES:Sam Lee",
        "item7.X-ABLabel:Godfather",  # a custom label
        "item8.X-ABRELATEDNAMES:Tim Cook",  # no contact of that name
        "item8.X-ABLabel:_$!<Manager>!$_",
    )
    + apple("N:Doe;Mary;;;", "FN:Mary Doe", "TEL;type=CELL;type=VOICE:+1 415 555 0177")
    + apple("N:Lee;Sam;;;", "FN:Sam Lee", "EMAIL;type=INTERNET:sam@example.com")
    + card40(  # Nextcloud's 4.0 card of John's wife
        "UID:urn:uuid:7d0a0f3c-5b7e-4f39-9c1e-2b8a5e61d3a4",
        "FN:Jane Doe",
        "N:Doe;Jane;;;",
        "RELATED;TYPE=spouse;VALUE=text:John Doe",
        "RELATED;TYPE=co-worker;VALUE=text:sam lee",  # ASCII case aside, as Android's
        "RELATED;TYPE=friend:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af",  # a URI: no one
    )
)


def test_apple_and_40_related_names_link_the_one_contact_of_that_name(lrm, tmp_path):
    path = write(tmp_path, "family.vcf", APPLE_FAMILY)
    result = lrm("import", "vcard", path, "--json", "--strict")
    assert result.exit_code == 0, result.stderr
    assert result.json()["warnings"] == []
    ids = {c["name"]: str(c["id"]) for c in lrm("list", "--json").json()}
    john, jane = shown(lrm, ids["John Doe"]), shown(lrm, ids["Jane Doe"])
    related = [(r["kind"], r["label"], r["contact"]["name"]) for r in john["relationships"]]
    assert sorted(related) == [  # the phone's own word kept where the kind says less
        ("other", "Godfather", "Sam Lee"),
        ("parent", "mother", "Mary Doe"),
        ("spouse", None, "Jane Doe"),
    ]
    related = [(r["kind"], r["label"], r["contact"]["name"]) for r in jane["relationships"]]
    assert sorted(related) == [("colleague", "co-worker", "Sam Lee"), ("spouse", None, "John Doe")]
    # the name no contact bears is shown as a name; a URI names no one
    assert john["related_names"] == [{"kind": "manager", "label": None, "name": "Tim Cook"}]
    assert jane["related_names"] == []
    # Apple's labels, built-in or custom, are the methods' labels
    assert [(m["kind"], m["value"], m["label"]) for m in john["methods"]] == [
        ("phone", "+14155550134", "mobile"),
        ("email", "john@example.com", "Book club"),
        ("url", "https://johndoe.example.com", "homepage"),
        ("address", "12 Lake Rd, Tahoe City, CA, 96145, United States", "Cabin"),
    ]
    exported = lrm("export", "vcard").stdout
    cards = {c.fn.value: c for c in strictly_parsed(exported)}
    kept = {  # the linked related names are lrm's relationships, written in the phone's
        # words; the one that names no contact stays as the phone wrote it, with its label
        (line.group, line.value)
        for line in cards["John Doe"].contents["x-abrelatednames"]
    }
    labels = {line.group: line.value for line in cards["John Doe"].contents["x-ablabel"]}
    assert {(name, labels[group]) for group, name in kept} == {
        ("Jane Doe", "_$!<Spouse>!$_"),
        ("Mary Doe", "_$!<Mother>!$_"),
        ("Sam Lee", "Godfather"),
        ("Tim Cook", "_$!<Manager>!$_"),
    }
    assert sorted(line.value for line in cards["Jane Doe"].contents["related"]) == [
        "urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af",
    ]
    assert sorted(line.value for line in cards["Jane Doe"].contents["x-abrelatednames"]) == [
        "John Doe",
        "Sam Lee",
    ]
    again = lrm("import", "vcard", "-", "--json", input=exported).json()
    assert again["unchanged"] == 4 and again["warnings"] == []
    assert len(shown(lrm, ids["John Doe"])["relationships"]) == 3


def test_a_related_name_no_contact_bears_is_shown_until_a_relate_links_one(lrm, tmp_path):
    lrm("import", "vcard", write(tmp_path, "family.vcf", APPLE_FAMILY))
    assert "  manager: Tim Cook (name only)" in lrm("show", "John Doe").stdout.splitlines()
    assert lrm("add", "Tim Cook").exit_code == 0
    assert shown(lrm, "John Doe")["related_names"] != []  # a namesake is not linked by adding
    assert lrm("relate", "John Doe", "Tim Cook", "--as", "manager").exit_code == 0
    john = shown(lrm, "John Doe")
    assert john["related_names"] == []  # listed once: as the relationship
    assert "Tim Cook" in [r["contact"]["name"] for r in john["relationships"]]
    assert "(name only)" not in lrm("show", "John Doe").stdout


def test_apple_s_labelled_dates_are_important_dates_as_android_s_events_are(lrm, tmp_path):
    cards = (
        apple(
            "N:Curie;Marie;;;",
            "FN:Marie Curie",
            "BDAY;value=date:1867-11-07",
            "item1.X-ABDATE;type=pref:1895-07-26",
            "item1.X-ABLabel:_$!<Anniversary>!$_",
            "item2.X-ABDATE:1891-11-03",
            "item2.X-ABLabel:Arrived in Paris",  # a custom label
            "item3.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-12-10",
            "item3.X-ABLabel:_$!<Other>!$_",  # Apple's "other": a date without a label
        )
        # the same dates as Android writes them: the same important dates
        + card30(
            "N:Curie;Pierre;;;",
            "FN:Pierre Curie",
            android("contact_event", "1895-07-26", "1"),
            android("contact_event", "1891-11-03", "0", "Arrived in Paris"),
            android("contact_event", "--12-10", "2"),
        )
        # a card another program wrote (X-ANNIVERSARY) that an iPhone gave its X-ABDATE:
        # one anniversary, with the year only one of them knew
        + apple(
            "N:Curie;Irène;;;",
            "FN:Irène Curie",
            "X-ANNIVERSARY:--10-09",
            "item1.X-ABDATE:1926-10-09",
            "item1.X-ABLabel:_$!<Anniversary>!$_",
        )
    )
    result = lrm("import", "vcard", write(tmp_path, "curie.vcf", cards), "--json", "--strict")
    assert result.exit_code == 0, result.stderr
    assert result.json()["warnings"] == []

    def dates(ref: str) -> list[tuple[str, str, str | None]]:
        return [(d["kind"], d["date"], d["label"]) for d in shown(lrm, ref)["important_dates"]]

    marie = [
        ("anniversary", "1895-07-26", None),
        ("custom", "1891-11-03", "Arrived in Paris"),
        ("custom", "--12-10", None),
    ]
    assert sorted(dates("1"), key=str) == sorted(marie, key=str)
    assert sorted(dates("2"), key=str) == sorted(marie, key=str)  # Android's: the same
    assert dates("3") == [("anniversary", "1926-10-09", None)]
    exported = lrm("export", "vcard").stdout
    strictly_parsed(exported)
    again = lrm("import", "vcard", "-", "--json", input=exported).json()
    assert again["unchanged"] == 3 and again["warnings"] == []


def test_a_company_card_keeps_its_name_when_lrm_edits_its_organisation(lrm, tmp_path, template_db):
    """Apple writes a company's card with FN = ORG. Once lrm changes the organisation, the
    card goes back with FN (the name) and ORG (the new organisation) apart: read again
    (by a phone that dropped lrm's X-LRM lines, or through sync), the name is still FN,
    not the new ORG (found by tests/test_sync_corpus.py's property test)."""
    card = card30(
        "PRODID:-//Apple Inc.//Mac OS X 10.15.7//EN",
        "N:;;;;",
        "FN:Harbour Bakery",
        "ORG:Harbour Bakery;",
        "X-ABShowAs:COMPANY",
    )
    assert lrm("import", "vcard", write(tmp_path, "bakery.vcf", card), "--strict").exit_code == 0
    assert lrm("edit", "1", "--org", "Example Works").exit_code == 0
    exported = lrm("export", "vcard").stdout
    as_a_phone_keeps_it = "".join(
        line for line in exported.splitlines(keepends=True) if not line.startswith("X-LRM-")
    )
    [back] = reimported(lrm, tmp_path, template_db, as_a_phone_keeps_it, "phone.sqlite3")
    assert (back["name"], back["organization"]) == ("Harbour Bakery", "Example Works")
    assert (back["given_name"], back["family_name"]) == (None, None)  # FN not split


def test_a_quoted_value_with_a_space_is_no_custom_label():
    """A quoted parameter value may hold ``;``, ``:`` and spaces (lrm writes a relation's
    label so): it is looked through, not read as a bare label of two words."""
    from lrm_cli.formats import vcard

    text = card21(
        "FN:Ann Lee",
        'X-LRM-RELATED;X-LRM-KIND=spouse;X-LRM-LABEL=";0 0:":e3e70682-c209-4cac-629f',
        'TEL;X-LABEL="a;b c";X-Work Mobile:+1 555 123 4567',
    )
    (read,) = vcard.read(text.encode("utf-8"), "quoted.vcf").cards
    assert [(r.kind, r.label) for r in read.relations] == [("spouse", ";0 0:")]
    assert [m.label for m in read.methods] == ["Work Mobile"]


def test_apple_s_fax_labels_are_fax_types_written_as_every_program_reads_them(lrm, tmp_path):
    """An iPhone labels a fax number with a built-in label (``_$!<HomeFAX>!$_``): it is a
    home fax, exported as ``TEL;TYPE=home,fax`` (which Apple, Android and khard read as
    one), not as a custom label "homefax"."""
    card = apple(
        "N:Doe;Jo;;;",
        "FN:Jo Doe",
        "item1.TEL:+1 617 555 0100",
        "item1.X-ABLabel:_$!<HomeFAX>!$_",
        "item2.TEL:+1 617 555 0101",
        "item2.X-ABLabel:_$!<WorkFAX>!$_",
        "item3.TEL:+1 617 555 0102",
        "item3.X-ABLabel:_$!<OtherFAX>!$_",
        "item4.TEL:+1 617 555 0103",
        "item4.X-ABLabel:_$!<Mobile>!$_",
    )
    assert lrm("import", "vcard", write(tmp_path, "fax.vcf", card), "--strict").exit_code == 0
    labels = [m["label"] for m in shown(lrm)["methods"] if m["kind"] == "phone"]
    assert labels == ["home,fax", "work,fax", "other,fax", "mobile"]
    exported = lrm("export", "vcard").stdout
    strictly_parsed(exported)
    tels = sorted(line for line in exported.splitlines() if line.startswith(("TEL", "item")))
    assert tels == [
        "TEL;TYPE=home,fax:+16175550100",
        "TEL;TYPE=mobile:+16175550103",
        "TEL;TYPE=other,fax:+16175550102",
        "TEL;TYPE=work,fax:+16175550101",
    ]


@pytest.mark.parametrize(
    ("n", "name", "written"),
    [
        # Outlook and Thunderbird write several additional names or prefixes as a list
        ("Doe;John;Paul,Peter;Dr.,Prof.;Jr.,M.D.", "Dr. Prof. John Paul Peter Doe Jr., M.D.",
         "N:Doe;John;Paul Peter;Dr. Prof.;Jr.\\, M.D."),
        # an escaped comma is the name's own
        ("Doe\\, Smith;Ann;;;", "Ann Doe, Smith", "N:Doe\\, Smith;Ann;;;"),
    ],
)  # fmt: skip
def test_a_name_component_s_list_of_values_is_names_not_a_comma(lrm, tmp_path, n, name, written):
    """``N:Doe;John;Paul,Peter;;`` holds two additional names, Paul and Peter: the contact
    is "John Paul Peter Doe", not "John Paul,Peter Doe", and goes back out so."""
    card = card30(f"N:{n}", "EMAIL:john@example.org")
    assert lrm("import", "vcard", write(tmp_path, "n.vcf", card), "--strict").exit_code == 0
    assert shown(lrm)["name"] == name
    exported = lrm("export", "vcard").stdout
    strictly_parsed(exported)
    assert written in exported.splitlines()
    assert lrm("import", "vcard", "-", "--json", input=exported).json()["unchanged"] == 1


def _import(lrm, tmp_path, name: str, *lines: str) -> dict:
    result = lrm("import", "vcard", write(tmp_path, name, card21(*lines)), "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def test_a_contact_a_nameless_card_made_takes_the_name_its_next_card_gives(lrm, tmp_path):
    """A phone's number saved without a name comes in named by its number; once the phone
    has a name for it, the next export's card is that contact (by the number), now named,
    not a second contact reported as a probable duplicate."""
    _import(lrm, tmp_path, "a.vcf", "TEL;CELL:+49 170 3333333")
    assert shown(lrm)["name"] == "+49 170 3333333"
    again = _import(lrm, tmp_path, "b.vcf", "N:Meier;Peter;;;", "FN:Peter Meier",
                    "TEL;CELL:+49 170 3333333")  # fmt: skip
    assert (again["created"], again["updated"], again["probable_duplicates"]) == (0, 1, [])
    peter = shown(lrm, "Peter Meier")
    assert (peter["id"], peter["given_name"], peter["family_name"]) == (1, "Peter", "Meier")
    # an email-only card (Google's "other contacts") alike
    _import(lrm, tmp_path, "c.vcf", "EMAIL:x.y@example.org")
    _import(lrm, tmp_path, "d.vcf", "FN:Xavier Young", "EMAIL:x.y@example.org")
    assert [c["name"] for c in lrm("list", "--json").json()] == ["Peter Meier", "Xavier Young"]


def test_a_name_the_next_card_completes_follows_its_parts(lrm, tmp_path):
    """ "Peter" with a phone, then the phone's card of Peter Meier (no UID: Android's): the
    family name is filled, and the name is the card's, not "Peter" beside N:Meier;Peter."""
    _import(lrm, tmp_path, "a.vcf", "N:;Peter;;;", "FN:Peter", "TEL;CELL:+49 170 3333333")
    _import(lrm, tmp_path, "b.vcf", "N:Meier;Peter;;;", "FN:Peter Meier",
            "TEL;CELL:+49 170 3333333")  # fmt: skip
    assert shown(lrm, "Peter Meier")["id"] == 1
    lines = lrm("export", "vcard").stdout.splitlines()
    assert "FN:Peter Meier" in lines and "N:Meier;Peter;;;" in lines
    # a name of the user's own is never replaced: one that is more than its parts
    edited = lrm("edit", "1", "--name", "Uncle Pete", "--given-name", "Peter", "--family-name", "")
    assert edited.exit_code == 0, edited.stderr
    filled = _import(lrm, tmp_path, "c.vcf", "N:Meyer;Peter;;;", "FN:Peter Meyer",
                     "TEL;CELL:+49 170 3333333")  # fmt: skip
    assert filled["items"][0]["changes"] == ["family name"]
    assert shown(lrm)["name"] == "Uncle Pete"


def test_a_folder_of_address_books_is_refused_naming_them_not_imported_as_nothing(lrm, tmp_path):
    """``~/.contacts`` as khard and vdirsyncer keep it holds one folder per address book:
    pointed at it, the import says which books there are and how to import them, rather
    than "0 imported" and exit 0. An empty folder still imports nothing."""
    root = tmp_path / "contacts"
    for book in ("family", "work"):
        (root / book).mkdir(parents=True)
        (root / book / "a.vcf").write_text(card30(f"FN:Someone {book}"))
    (root / ".hidden").mkdir()
    refused = lrm("import", "vcard", str(root))
    assert refused.exit_code == 5
    assert "holds no cards; its address books do: family, work" in refused.stderr
    assert f"lrm import vcard {root / 'family'} {root / 'work'}" in refused.stderr
    assert lrm("list", "--json").json() == []
    assert lrm("import", "vcard", str(root / "family"), str(root / "work")).exit_code == 0
    assert len(lrm("list", "--json").json()) == 2
    (tmp_path / "empty").mkdir()
    assert lrm("import", "vcard", str(tmp_path / "empty")).exit_code == 0
