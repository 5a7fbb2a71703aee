"""Reading a vCard again (a phone's export, imported every few weeks): what was deleted
or cleared in lrm since stays so, what is new on the card comes in, and a value the card
changed replaces the one it gave before (issue: a re-import brought back the deleted
phone, note and title, and kept the old title of an edited card without a word)."""

from __future__ import annotations

from conftest import ok
from hypothesis import given
from hypothesis import strategies as st

from lrm_cli.card_memory import Seen, items_of


def _card(tmp_path, lines: list[str], name: str = "phone.vcf", uid: str | None = None):
    head = ["BEGIN:VCARD", "VERSION:3.0", "FN:Ann Lee", "N:Lee;Ann;;;"]
    if uid:
        head.append(f"UID:{uid}")
    path = tmp_path / name
    path.write_bytes(("\r\n".join([*head, *lines, "END:VCARD"]) + "\r\n").encode())
    return path


PHONE_EXPORT = [
    "TEL;TYPE=CELL:+1 202 555 0100",
    "TEL;TYPE=WORK:+1 202 555 0199",
    "EMAIL:ann@example.com",
    "TITLE:Engineer",
    "ORG:Acme",
    "NOTE:Met at PyCon",
    "CATEGORIES:friends,climbing",
]


def _ann(lrm):
    return lrm("show", "Ann Lee", "--json").json()


def test_what_was_deleted_in_lrm_stays_deleted_when_the_same_export_is_read_again(lrm, tmp_path):
    card = _card(tmp_path, PHONE_EXPORT)
    assert lrm("import", "vcard", str(card)).exit_code == 0
    ann = _ann(lrm)
    note_id = ann["notes"][0]["id"]
    assert lrm("edit", "ann", "--remove-phone", "+1 202 555 0199", "--title", "").exit_code == 0
    assert lrm("note", "rm", str(note_id)).exit_code == 0
    assert lrm("tag", "rm", "ann", "climbing").exit_code == 0

    again = lrm("import", "vcard", str(card), "--json")
    assert again.exit_code == 0, again.stderr
    assert (again.json()["updated"], again.json()["unchanged"]) == (0, 1)
    ann = _ann(lrm)
    assert ann["phones"] == ["+12025550100"]
    assert ann["title"] is None
    assert ann["notes"] == []
    assert ann["tags"] == ["friends"]


def test_what_is_new_on_the_card_comes_in_and_a_changed_title_replaces_the_old(lrm, tmp_path):
    assert lrm("import", "vcard", str(_card(tmp_path, PHONE_EXPORT))).exit_code == 0
    assert lrm("edit", "ann", "--remove-phone", "+1 202 555 0199").exit_code == 0
    edited = [line.replace("TITLE:Engineer", "TITLE:CTO") for line in PHONE_EXPORT]
    edited.append("EMAIL:ann@home.example")
    done = lrm("import", "vcard", str(_card(tmp_path, edited)), "--json")
    assert done.exit_code == 0, done.stderr
    (item,) = done.json()["items"]
    assert item["action"] == "update"
    assert sorted(item["changes"]) == ["email", "title"]
    ann = _ann(lrm)
    assert ann["title"] == "CTO"
    assert ann["emails"] == ["ann@example.com", "ann@home.example"]
    assert ann["phones"] == ["+12025550100"]  # deleted in lrm: not back
    assert done.json()["conflicts"] == []


def test_a_card_that_disagrees_with_an_edit_made_in_lrm_is_a_conflict_named_by_file_and_line(
    lrm, tmp_path
):
    assert lrm("import", "vcard", str(_card(tmp_path, PHONE_EXPORT))).exit_code == 0
    assert lrm("edit", "ann", "--title", "Architect").exit_code == 0
    # the same card again: the user's edit stands, nothing to report
    same = lrm("import", "vcard", str(_card(tmp_path, PHONE_EXPORT)), "--json").json()
    assert same["conflicts"] == [] and same["unchanged"] == 1
    # the phone now says CTO too: both changed, lrm's kept, the card's reported
    edited = [line.replace("TITLE:Engineer", "TITLE:CTO") for line in PHONE_EXPORT]
    done = lrm("import", "vcard", str(_card(tmp_path, edited, name="later.vcf")))
    assert done.exit_code == 0
    assert "later.vcf:1: Ann Lee #1: title 'CTO' left out, 'Architect' kept" in done.stderr
    assert _ann(lrm)["title"] == "Architect"


def test_a_contact_added_by_hand_keeps_its_values_and_hears_of_the_card_s(lrm, tmp_path):
    """The first card of a contact made in lrm: its different title is named, not taken."""
    assert lrm("add", "Ann Lee", "--email", "ann@example.com").exit_code == 0
    assert lrm("edit", "ann", "--title", "Architect").exit_code == 0
    done = lrm("import", "vcard", str(_card(tmp_path, PHONE_EXPORT)), "--json").json()
    assert [(c["field"], c["kept"], c["dropped"]) for c in done["conflicts"]] == [
        ("title", "Architect", "Engineer")
    ]
    assert _ann(lrm)["organization"] == "Acme"  # an empty field is still filled


def test_undoing_an_import_forgets_what_it_read(lrm, tmp_path):
    """After `lrm undo` of a re-import, reading the card once more does what it did."""
    card = _card(tmp_path, PHONE_EXPORT, uid="ann-1")
    assert lrm("import", "vcard", str(card)).exit_code == 0
    edited = _card(tmp_path, [*PHONE_EXPORT, "EMAIL:ann@home.example"], uid="ann-1")
    assert lrm("import", "vcard", str(edited)).exit_code == 0
    assert lrm("undo").exit_code == 0
    assert _ann(lrm)["emails"] == ["ann@example.com"]
    assert lrm("import", "vcard", str(edited)).exit_code == 0
    assert _ann(lrm)["emails"] == ["ann@example.com", "ann@home.example"]


def test_an_unchanged_re_import_leaves_nothing_to_undo(lrm, tmp_path):
    card = _card(tmp_path, PHONE_EXPORT)
    assert lrm("import", "vcard", str(card)).exit_code == 0
    assert lrm("note", "ann", "called about the trip").exit_code == 0
    assert lrm("import", "vcard", str(card)).exit_code == 0
    undone = lrm("undo")
    assert undone.exit_code == 0
    assert "note" in undone.stdout  # the note was the last change, not the import
    assert [n["body"] for n in _ann(lrm)["notes"]] == ["Met at PyCon"]


def test_a_merge_keeps_what_the_other_record_s_card_gave(lrm, tmp_path):
    """Merged away, a contact's card memory goes to the one kept: its export read again
    does not bring back a phone deleted after the merge."""
    assert lrm("add", "Ann Lee", "--email", "ann@work.example").exit_code == 0
    card = _card(tmp_path, ["TEL:+1 202 555 0100", "EMAIL:ann@example.com"], uid="ann-2")
    lrm("import", "vcard", str(card))
    ids = [c["id"] for c in lrm("list", "--json").json()]
    assert len(ids) == 2
    assert lrm("merge", str(ids[0]), str(ids[1]), "--yes").exit_code == 0
    assert lrm("edit", str(ids[0]), "--remove-phone", "+1 202 555 0100").exit_code == 0
    again = lrm("import", "vcard", str(card), "--json").json()
    assert again["created"] == 0
    assert lrm("show", str(ids[0]), "--json").json()["phones"] == []


# --- the rule of one value, as a table of every case ----------------------------------------

values = st.sampled_from([None, "a", "A ", "b", "c"])


@given(before=values, current=values, card=values, known=st.booleans())
def test_the_rule_of_a_single_value(before, current, card, known):
    items = {"fields": {} if before is None else {"title": before}} if known else None
    outcome = Seen(items).field("title", current, card)
    norm = {None: None, "a": "a", "A ": "a", "b": "b", "c": "c"}
    before, current, card = norm[before], norm[current], norm[card]
    if not known:
        before = None
    if card is None or current == card:
        assert outcome == "keep"
    elif current is None:
        assert outcome == ("keep" if before == card else "fill")  # cleared in lrm: stays so
    elif before == current:
        assert outcome == "change"  # changed on the card only
    elif before == card:
        assert outcome == "keep"  # changed in lrm only
    else:
        assert outcome == "conflict"


def _method(kind, value):
    class M:
        pass

    m = M()
    m.kind, m.value = kind, value
    return m


phones = st.lists(st.sampled_from(["+12025550100", "+12025550199", "+12025550111"]), unique=True)


@given(before=phones, now=phones)
def test_a_card_s_methods_are_new_only_when_it_did_not_give_them_before(before, now):
    seen = Seen(items_of({}, [("phone", p) for p in before], [], [], [], []))
    new = [m.value for m in seen.new_methods([_method("phone", p) for p in now])]
    assert new == [p for p in now if p not in before]
    assert [m.value for m in Seen().new_methods([_method("phone", p) for p in now])] == now


def test_two_cards_of_one_person_in_one_file_are_each_compared_with_themselves(lrm, tmp_path):
    """A phone's and Google's card of "Ann Lee" joined in one file, neither with a UID:
    reading the file again changes nothing (was a risk: each compared with the other, the
    title flipping between the two on every import)."""
    google = ["EMAIL:ann@example.com", "TITLE:Senior Engineer"]
    lines = ["BEGIN:VCARD", "VERSION:3.0", "FN:Ann Lee", *PHONE_EXPORT, "END:VCARD"]
    lines += ["BEGIN:VCARD", "VERSION:3.0", "FN:Ann Lee", *google, "END:VCARD"]
    both = tmp_path / "both.vcf"
    both.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    first = lrm("import", "vcard", str(both), "--json").json()
    assert (first["created"], first["updated"]) == (1, 0)
    assert [c["dropped"] for c in first["conflicts"]] == ["Senior Engineer"]
    for _ in range(2):
        again = lrm("import", "vcard", str(both), "--json").json()
        assert (again["updated"], again["unchanged"], again["conflicts"]) == (0, 2, [])
        assert _ann(lrm)["title"] == "Engineer"


def _preferred(lrm) -> list[str]:
    return [m["value"] for m in _ann(lrm)["methods"] if m["kind"] == "phone" and m["preferred"]]


def test_a_card_that_moves_its_preferred_phone_moves_the_contacts(lrm, tmp_path, db_path):
    """One preferred phone, the card's: the digest reaches people through it."""
    first = ["TEL;TYPE=CELL,pref:+1 202 555 0100", "TEL;TYPE=WORK:+1 202 555 0199"]
    assert lrm("import", "vcard", str(_card(tmp_path, first, uid="u1"))).exit_code == 0
    assert _preferred(lrm) == ["+12025550100"]
    moved = ["TEL;TYPE=CELL:+1 202 555 0100", "TEL;TYPE=WORK,pref:+1 202 555 0199"]
    done = lrm("import", "vcard", str(_card(tmp_path, moved, uid="u1")), "--json").json()
    assert done["updated"] == 1
    assert _preferred(lrm) == ["+12025550199"]
    # a new number the card prefers now takes the preference, and is the only one with it
    new = [*moved[:1], "TEL;TYPE=WORK:+1 202 555 0199", "TEL;TYPE=HOME,pref:+1 202 555 0123"]
    assert lrm("import", "vcard", str(_card(tmp_path, new, uid="u1"))).exit_code == 0
    assert _preferred(lrm) == ["+12025550123"]
    again = lrm("import", "vcard", str(_card(tmp_path, new, uid="u1")), "--json").json()
    assert again["unchanged"] == 1


def test_a_preferred_phone_chosen_in_lrm_stays_when_the_card_is_read_again(lrm, tmp_path, db_path):
    import sqlite3

    card = ["TEL;TYPE=CELL,pref:+1 202 555 0100", "TEL;TYPE=WORK:+1 202 555 0199"]
    assert lrm("import", "vcard", str(_card(tmp_path, card, uid="u1"))).exit_code == 0
    with sqlite3.connect(db_path) as conn:  # the user's choice (the TOML view of `lrm edit`)
        conn.execute("UPDATE contact_method SET is_preferred = (value = '+12025550199')")
    assert lrm("import", "vcard", str(_card(tmp_path, card, uid="u1"))).exit_code == 0
    assert _preferred(lrm) == ["+12025550199"]
    other = ["TEL;TYPE=CELL:+1 202 555 0100", "TEL;TYPE=HOME,pref:+1 202 555 0123"]
    assert (
        lrm("import", "vcard", str(_card(tmp_path, [*card[1:], *other], uid="u1"))).exit_code == 0
    )
    assert _preferred(lrm) == ["+12025550199"]


def test_two_cards_of_one_person_in_one_file_keep_the_first_cards_preferred_phone(lrm, tmp_path):
    mail = "EMAIL:ann@example.com"  # what makes them one person
    phone = _card(tmp_path, [mail, "TEL;TYPE=CELL,pref:+1 202 555 0100"], "a.vcf").read_bytes()
    google = _card(tmp_path, [mail, "TEL;TYPE=WORK,pref:+1 202 555 0199"], "b.vcf").read_bytes()
    both = tmp_path / "both.vcf"
    both.write_bytes(phone + google)
    assert lrm("import", "vcard", str(both)).exit_code == 0
    assert _preferred(lrm) == ["+12025550100"]
    assert sorted(_ann(lrm)["phones"]) == ["+12025550100", "+12025550199"]


def test_a_note_edited_on_the_phone_edits_lrms_note_instead_of_adding_a_second(lrm, tmp_path):
    ok(lrm("import", "vcard", str(_card(tmp_path, PHONE_EXPORT))))
    edited = [line.replace("NOTE:Met at PyCon", "NOTE:Met at PyCon 2025") for line in PHONE_EXPORT]
    done = lrm("import", "vcard", str(_card(tmp_path, edited)), "--json")
    assert done.json()["items"][0]["changes"] == ["notes"]
    assert [n["body"] for n in _ann(lrm)["notes"]] == ["Met at PyCon 2025"]
    ok(lrm("undo"))
    assert [n["body"] for n in _ann(lrm)["notes"]] == ["Met at PyCon"]


def test_a_note_edited_in_lrm_is_kept_beside_the_phones_new_text(lrm, tmp_path):
    ok(lrm("import", "vcard", str(_card(tmp_path, PHONE_EXPORT))))
    note = _ann(lrm)["notes"][0]["id"]
    ok(lrm("note", "edit", str(note), "Met at PyCon, in the hallway"))
    edited = [line.replace("NOTE:Met at PyCon", "NOTE:Met at PyCon 2025") for line in PHONE_EXPORT]
    ok(lrm("import", "vcard", str(_card(tmp_path, edited))))
    bodies = sorted(n["body"] for n in _ann(lrm)["notes"])
    assert bodies == ["Met at PyCon 2025", "Met at PyCon, in the hallway"]


bodies = st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, max_size=3)


@given(before=bodies, now=bodies, kept=bodies)
def test_a_note_the_card_gave_and_the_contact_kept_is_edited_by_the_cards_next_new_one(
    before, now, kept
):
    """Every new note of the card is either an edit of a note it gave before that the
    contact still has (each edited once, in order) or added; nothing else is touched."""
    seen = Seen(items_of({}, [], [], [], before, []))
    fresh = [(b, 0, False) for b in now if b not in before and b not in kept]
    edits, added = seen.edited_notes(fresh, set(now), set(kept))
    olds = [old for old, _ in edits]
    assert len(set(olds)) == len(olds)
    assert all(old in before and old in kept and old not in now for old in olds)
    assert [new for _, new in edits] + [row[0] for row in added] == [row[0] for row in fresh]
    gone = [b for b in before if b in kept and b not in now]
    assert len(edits) == min(len(gone), len(fresh))
