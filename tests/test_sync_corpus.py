"""A phone's card survives lrm sync (issue 15 §1, sync side): any card of the corpus
(tests/vcards), put in the contacts folder as a phone's vdir holds it (one card a file),
taken in by `lrm sync`, one managed field edited through the CLI, written back by the next
`lrm sync`: the file lrm writes reads as the original with that one change, and keeps every
property lrm does not manage as the phone wrote it, in its order. With [sync] share_notes
off, the notes lrm wrote (an lrm export's, with their X-LRM- parameters) leave the card and
the phone's own stay; on, every note is there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_vcard_preserved import (
    CORPUS,
    EDITS,
    FILES,
    _by_uid,
    _foreign,
    expected_reading,
    reading,
)

from lrm_cli.formats import vcard


def cards_of(name: str) -> list[tuple[str, bytes]]:
    """(UID, one card's bytes) for each card of a corpus file."""
    data = (CORPUS / name).read_bytes()
    cut = vcard.split(data, name)
    out = []
    for start, content in cut.chunks:
        card = vcard.parse_chunk(name, start, content)
        if isinstance(card, vcard.CardError) or card.is_group:
            continue
        lines = ["BEGIN:VCARD", *(text for _, text in content), "END:VCARD"]
        out.append((card.uid or card.derived_uid(), ("\r\n".join(lines) + "\r\n").encode()))
    return out


def sync(lrm) -> dict:
    result = lrm("sync", "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


@pytest.fixture
def fresh(isolated: Path, db_path: Path, template_db: Path):
    """An empty database and an empty contacts folder, for each example."""
    counter = {"n": 0}

    def make(share_notes: bool) -> Path:
        counter["n"] += 1
        shutil.copyfile(template_db, db_path)
        folder = isolated / f"cards-{counter['n']}"
        folder.mkdir()
        (isolated / "config.toml").write_text(
            f'[sync]\ncontacts_vdir = "{folder}"\nshare_notes = {str(share_notes).lower()}\n',
            encoding="utf-8",
        )
        return folder

    return make


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(FILES),
    edit=st.sampled_from(EDITS),
    which=st.integers(0, 10),
    share_notes=st.booleans(),
)
def test_a_phone_card_edited_in_lrm_comes_back_changed_in_that_property_alone(
    lrm, fresh, name, edit, which, share_notes
):
    options, _prop, change = edit
    folder = fresh(share_notes)
    cards = cards_of(name)
    files = {}
    for i, (uid, data) in enumerate(cards):
        path = folder / f"phone-{i}.vcf"
        path.write_bytes(data)
        files[uid] = path
    first = sync(lrm)
    assert first["contacts"]["lrm"]["created"] == len(cards), first["contacts"]
    assert first["contacts"]["vdir"]["updated"] == first["contacts"]["vdir"]["created"] == 0
    assert {uid: p.read_bytes() for uid, p in files.items()} == dict(cards)  # not rewritten
    ids = [c["id"] for c in lrm("list", "--all", "--json").json()]
    target = ids[which % len(ids)]
    result = lrm("edit", f"#{target}", *options)
    assert result.exit_code == 0, result.stderr
    report = sync(lrm)
    assert report["contacts"]["vdir"]["updated"] <= 1
    assert report["contacts"]["lrm"]["conflicts"] == 0
    edited = lrm("show", f"#{target}", "--json").json()["uid"]
    for uid, original in cards:
        path = files[uid]
        [(original_card, original_lines)] = _by_uid(original, "phone").values()
        [(card, lines)] = _by_uid(path.read_bytes(), "written").values()
        want, got = reading(original_card), reading(card)
        if uid.removeprefix("urn:uuid:") != edited:
            assert path.read_bytes() == original  # not touched
            continue
        # a card lrm rewrites is 3.0: a 2.1 line kept in its 3.0 form (ENCODING=b...)
        assert _foreign(lines) == [vcard.as_30(x) for x in _foreign(original_lines)], uid
        assert card.uid == original_card.uid or card.card_uid == original_card.uid
        if not share_notes:  # lrm's own notes (an lrm export's) stay home
            mine = [n.body for n in original_card.notes if n.created_at is not None or n.pinned]
            want["notes"] = [n for n in want["notes"] if n not in mine]
        if change is not None:
            if "organization" in change:
                want["org_units"] = got["org_units"]  # a new organisation keeps the units
            want = expected_reading(want, change)
        else:
            added = {m for m in got["methods"] if m not in want["methods"]}
            assert len(added) <= 1 and all(m[0] in ("email", "phone", "address") for m in added)
            want["methods"] = sorted(want["methods"] + list(added))
        assert got == want, uid
    quiet = sync(lrm)["contacts"]
    assert quiet["vdir"]["updated"] == quiet["lrm"]["updated"] == 0
