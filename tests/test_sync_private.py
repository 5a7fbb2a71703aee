"""What `lrm sync` puts in its folders is private (issue 15 §3): every card and calendar
file it writes is 0600 whatever the umask, and notes and lrm's own X-LRM-* properties go
into the cards only with ``[sync] share_notes = true``; a NOTE that comes from the phone is
taken in and kept on the card, and a card without notes never removes lrm's."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

PRIVATE = "Private: owes me a letter"


@pytest.fixture
def umask_022():
    old = os.umask(0o022)  # what most systems give: files 0644, folders 0755
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def folders(isolated: Path) -> dict[str, Path]:
    out = {name: isolated / name for name in ("cards", "todos", "events")}
    for path in out.values():
        path.mkdir()
    write_config(isolated, out)
    return out


def write_config(isolated: Path, folders: dict[str, Path], extra: str = "") -> None:
    (isolated / "config.toml").write_text(
        "[sync]\n"
        f'contacts_vdir = "{folders["cards"]}"\n'
        f'calendar_vdir = "{folders["todos"]}"\n'
        f'events_vdir = "{folders["events"]}"\n' + extra,
        encoding="utf-8",
    )


def sync(lrm) -> dict:
    result = lrm("sync", "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def contact(lrm, ref: str) -> dict:
    result = lrm("show", ref, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes(folder: Path) -> dict[str, int]:
    return {p.name: mode(p) for p in folder.iterdir()}


def unfolded(path: Path) -> list[str]:
    return re.sub(r"\r?\n[ \t]", "", path.read_text(encoding="utf-8")).splitlines()


def private_lines(path: Path) -> list[str]:
    """The card's lines that only lrm's user should see: NOTE, lrm's X-LRM-* properties,
    and lrm's parameters of a note or a date (when written, pinned, how long before to
    remind). A date's X-LRM-KIND (anniversary or custom) is no secret: it stays."""
    out = []
    for line in unfolded(path):
        head = line.split(":", 1)[0].upper()
        name = head.split(";", 1)[0].rsplit(".", 1)[-1]
        params = {p.split("=", 1)[0] for p in head.split(";")[1:]}
        lrm_params = params & {"X-LRM-REMIND", "X-LRM-CREATED", "X-LRM-PINNED"}
        if name == "NOTE" or name.startswith("X-LRM-") or lrm_params:
            out.append(line)
    return out


def add_ada(lrm) -> dict:
    ada = lrm(
        "add", "Ada Lovelace", "--email", "ada@example.org", "--birthday", "1815-12-10",
        "--how-met", "at Babbage's salon", "--cadence", "30d", "--json",
    ).json()  # fmt: skip
    assert lrm("add", "William King").exit_code == 0
    assert lrm("relate", "Ada", "William King", "--as", "spouse").exit_code == 0
    assert lrm("note", "Ada", PRIVATE).exit_code == 0
    dated = lrm("date", "add", "Ada", "--on", "--06-21", "--label", "Wedding", "--remind", "3d")
    assert dated.exit_code == 0, dated.stderr
    assert lrm("remind", "Ada", "send the article", "--on", "2026-12-05").exit_code == 0
    return ada


# --- file modes ------------------------------------------------------------------------------


def test_every_file_sync_writes_is_private_whatever_the_umask(lrm, folders, umask_022):
    ada = add_ada(lrm)
    card = folders["cards"] / f"{ada['uid']}.vcf"
    # a card someone else wrote, readable by all, that lrm rewrites
    phone = folders["cards"] / "phone.vcf"
    phone.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone\r\nFN:Grace Hopper\r\nEND:VCARD\r\n"
    )
    phone.chmod(0o644)
    first = sync(lrm)
    assert first["contacts"]["vdir"]["created"] == 2
    assert first["calendar"]["vdir"]["created"] == 4  # reconnect, reminder, birthday, wedding
    assert mode(phone) == 0o644  # taken in, not written
    for name in ("cards", "todos", "events"):
        written = {k: v for k, v in modes(folders[name]).items() if k != phone.name}
        assert len(written) == 2 and set(written.values()) == {0o600}, (name, written)
    assert mode(folders["cards"]) == 0o755  # a folder lrm did not create is left as it is
    # rewritten: a card and a calendar item changed in lrm, the phone's card after a change
    assert lrm("edit", "Ada", "--title", "Countess").exit_code == 0
    assert lrm("edit", "Grace Hopper", "--title", "Rear Admiral").exit_code == 0
    assert lrm("remind", "Ada", "--on", "2026-12-06", "post the letter").exit_code == 0
    assert lrm("cadence", "Ada", "14d").exit_code == 0
    again = sync(lrm)
    assert again["contacts"]["vdir"]["updated"] == 2
    assert again["calendar"]["vdir"]["created"] == 1
    assert again["calendar"]["vdir"]["updated"] >= 1
    assert mode(card) == mode(phone) == 0o600
    for name in ("cards", "todos", "events"):
        assert set(modes(folders[name]).values()) == {0o600}, name
    leftovers = [p.name for f in folders.values() for p in f.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_a_calendar_item_edited_elsewhere_is_rewritten_private(lrm, folders, umask_022):
    add_ada(lrm)
    sync(lrm)
    [item] = [p for p in folders["todos"].iterdir() if "reminder" in p.name]
    written = item.read_bytes()
    item.write_bytes(written.replace(b"send the article", b"someone else's words"))
    item.chmod(0o644)
    report = sync(lrm)
    assert report["calendar"]["vdir"]["updated"] == 1
    assert item.read_bytes() == written and mode(item) == 0o600


# --- share_notes -----------------------------------------------------------------------------


def test_by_default_cards_carry_no_notes_and_nothing_of_lrm_s_own(lrm, folders):
    ada = add_ada(lrm)
    sync(lrm)
    card = folders["cards"] / f"{ada['uid']}.vcf"
    lines = unfolded(card)
    assert private_lines(card) == []
    assert not any("salon" in line for line in lines)
    assert any(line.upper().startswith("EMAIL") for line in lines)
    assert "BDAY:1815-12-10" in lines
    assert any(line.endswith(":1604-06-21") for line in lines)  # the date goes, its lead not
    # lrm keeps all of it
    shown = contact(lrm, "Ada")
    assert [n["body"] for n in shown["notes"]] == [PRIVATE]
    assert shown["how_met"] == "at Babbage's salon" and shown["cadence_days"] == 30


def test_shared_notes_go_out_and_switching_off_takes_them_off_the_cards(lrm, folders, isolated):
    write_config(isolated, folders, "share_notes = true\n")
    ada = add_ada(lrm)
    sync(lrm)
    card = folders["cards"] / f"{ada['uid']}.vcf"
    lines = unfolded(card)
    assert any(line.startswith("NOTE") and line.endswith(PRIVATE) for line in lines)
    assert "X-LRM-HOW-MET:at Babbage's salon" in lines
    assert "X-LRM-CADENCE-DAYS:30" in lines
    assert any(line.startswith("X-LRM-RELATED") for line in lines)
    write_config(isolated, folders)  # off again: the next sync takes them away
    report = sync(lrm)
    assert report["contacts"]["vdir"]["updated"] == 2
    assert private_lines(card) == []
    # and the card coming back without them removes nothing from lrm
    assert sync(lrm)["contacts"]["lrm"]["updated"] == 0
    shown = contact(lrm, "Ada")
    assert [n["body"] for n in shown["notes"]] == [PRIVATE]
    assert shown["how_met"] == "at Babbage's salon" and shown["cadence_days"] == 30
    assert [r["kind"] for r in shown["relationships"]] == ["spouse"]


def test_a_note_typed_on_the_phone_comes_in_and_stays_on_the_card(lrm, folders):
    ada = add_ada(lrm)
    sync(lrm)
    card = folders["cards"] / f"{ada['uid']}.vcf"
    phone_note = "NOTE:Met at the library\\, Tuesday"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("END:VCARD", phone_note + "\r\nEND:VCARD"), newline="")
    report = sync(lrm)
    assert report["contacts"]["lrm"]["updated"] == 1
    notes = {n["body"] for n in contact(lrm, "Ada")["notes"]}
    assert notes == {PRIVATE, "Met at the library, Tuesday"}
    # lrm changes the contact: the card is rewritten with the phone's note as it was, and
    # still none of lrm's own
    assert lrm("edit", "Ada", "--title", "Countess").exit_code == 0
    report = sync(lrm)
    assert report["contacts"]["vdir"]["updated"] == 1
    lines = unfolded(card)
    assert "TITLE:Countess" in lines
    assert private_lines(card) == [phone_note]
    assert sync(lrm)["contacts"]["vdir"]["updated"] == 0  # settled
    # the phone drops its note: lrm keeps it (notes are only ever added)
    text = card.read_text(encoding="utf-8").replace(phone_note + "\r\n", "")
    card.write_text(text, newline="")
    assert sync(lrm)["contacts"]["lrm"]["conflicts"] == 0
    assert {n["body"] for n in contact(lrm, "Ada")["notes"]} == notes


def test_a_phone_edit_to_a_card_without_notes_keeps_lrm_s_notes_and_fields(lrm, folders):
    ada = add_ada(lrm)
    sync(lrm)
    card = folders["cards"] / f"{ada['uid']}.vcf"
    text = card.read_text(encoding="utf-8")
    card.write_text(text.replace("END:VCARD", "TITLE:Countess\r\nEND:VCARD"), newline="")
    report = sync(lrm)
    assert report["contacts"]["lrm"]["updated"] == 1
    [item] = [i for i in report["contacts"]["items"] if i["action"] == "updated"]
    assert item["changes"] == ["title: Countess"]
    shown = contact(lrm, "Ada")
    assert shown["title"] == "Countess"
    assert [n["body"] for n in shown["notes"]] == [PRIVATE]
    assert shown["how_met"] == "at Babbage's salon" and shown["cadence_days"] == 30


def test_share_notes_must_be_true_or_false(lrm, folders, isolated):
    write_config(isolated, folders, 'share_notes = "yes"\n')
    result = lrm("sync")
    assert result.exit_code != 0
    assert "share_notes must be true or false" in result.stderr
    assert [p for f in folders.values() for p in f.iterdir()] == []


CORPUS = Path(__file__).parent / "vcards"


@pytest.mark.parametrize(
    ("corpus", "kept"),
    [
        # a 2.1 card's quoted-printable note comes back as a 3.0 NOTE of the same text
        (
            "android_21_qp_cjk.vcf",
            "NOTE:这是一个很长的备注，用来检查安卓在多字节字符中间断开的软换行。",
        ),
        # a birthday lrm cannot read (it keeps it as a note) stays on the card as it was
        ("vcard40_bday_text.vcf", "BDAY;VALUE=text:circa 1800"),
    ],
)
def test_what_a_phone_card_holds_as_notes_survives_an_edit_without_shared_notes(
    lrm, folders, corpus, kept
):
    data = (CORPUS / corpus).read_bytes()
    first = data[: data.index(b"END:VCARD") + len(b"END:VCARD\r\n")]
    card = folders["cards"] / "phone.vcf"
    card.write_bytes(first.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n"))
    assert sync(lrm)["contacts"]["lrm"]["created"] == 1
    [person] = lrm("list", "--json").json()
    notes = contact(lrm, str(person["id"]))["notes"]
    assert len(notes) == 1
    assert lrm("edit", str(person["id"]), "--title", "Engineer").exit_code == 0
    assert sync(lrm)["contacts"]["vdir"]["updated"] == 1
    lines = unfolded(card)
    assert "TITLE:Engineer" in lines
    assert any(line.startswith(kept) for line in lines), lines
    assert sync(lrm)["contacts"]["lrm"]["updated"] == 0  # read back: the same, no new note
    assert contact(lrm, str(person["id"]))["notes"] == notes
