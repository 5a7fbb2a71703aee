"""`import vcard` reports as probable duplicates the names `lrm dupes` pairs: one rule
(``merge.NameIndex`` looks up by the rule of ``merge.similar_names``), so a phone's export
does not hide a duplicate that `lrm dupes` then finds, nor name one it does not list."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lrm_cli.clock import Clock
from lrm_cli.services import merge, vcard_io
from lrm_cli.store.db import Database

CLOCK = Clock.pinned(date(2026, 11, 29))


def _card(uid: str, name: str) -> str:
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:{uid}\r\nFN:{name}\r\nEND:VCARD\r\n"


def test_the_import_reports_the_pairs_lrm_dupes_lists(lrm, tmp_path):
    """Accents, the family name first and a one-letter slip: each is reported by the
    import and listed by `lrm dupes` (the import used to see only the slip)."""
    for name in ("José Núñez", "Ada Lovelace", "Jonathan Smith", "Grace Hopper"):
        assert lrm("add", name).exit_code == 0
    path = tmp_path / "phone.vcf"
    names = ("Jose Nunez", "Lovelace, Ada", "Jonathon Smith", "Alan Turing")
    path.write_text("".join(_card(f"card-{i}-0000", n) for i, n in enumerate(names)))
    report = lrm("import", "vcard", str(path), "--json").json()
    reported = {
        (p["contact"]["name"], p["similar_to"]["name"], p["reason"])
        for p in report["probable_duplicates"]
    }
    assert reported == {
        ("Jose Nunez", "José Núñez", "same name"),
        ("Lovelace, Ada", "Ada Lovelace", "same name"),
        ("Jonathon Smith", "Jonathan Smith", "similar name"),
    }
    listed = {frozenset((p["a"]["name"], p["b"]["name"])) for p in lrm("dupes", "--json").json()}
    assert listed == {frozenset(r[:2]) for r in reported}


_WORDS = ["José", "Núñez", "Ada", "Lovelace", "Jonathan", "Smith", "Zoë", "O'Brien", "Anne-Marie"]


def _plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@st.composite
def _name_pairs(draw) -> tuple[str, str]:
    words = draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3, unique=True))
    first = " ".join(words)
    change = draw(st.sampled_from(["accents", "order", "comma", "letter", "case", "other"]))
    if change == "accents":
        second = _plain(first)
    elif change == "order":
        second = " ".join(reversed(words))
    elif change == "comma":
        second = f"{words[-1]}, {' '.join(words[:-1])}" if len(words) > 1 else first
    elif change == "letter":
        at = draw(st.integers(0, len(first) - 1))
        second = first[:at] + draw(st.sampled_from("aeiouyn")) + first[at + 1 :]
    elif change == "case":
        second = first.upper()
    else:
        second = " ".join(draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3)))
    return first, second


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pair=_name_pairs(), apart=st.booleans())
@example(pair=("Lovelace", "Lovalace"), apart=True)  # one word: its first letters
@example(pair=("Zoë Núñez", "Zoe Nunez"), apart=True)  # accents aside
@example(pair=("Ada Lovelace", "Lovelace, Ada"), apart=False)  # the same words
def test_a_name_pair_is_reported_exactly_when_lrm_dupes_pairs_it(
    template_db: Path, tmp_path: Path, pair: tuple[str, str], apart: bool
):
    """Two cards, in one file or the second imported after the first (the contact then
    exists): reported as a duplicate by name exactly when ``find_duplicates`` (`lrm
    dupes`) pairs the two contacts, with the same similarity."""
    first, second = pair
    path = tmp_path / "db.sqlite3"
    shutil.copyfile(template_db, path)
    db = Database(path)
    try:
        cards = [("a.vcf", _card("card-a-0000", first).encode())]
        if apart:
            vcard_io.import_vcards(db, cards, CLOCK)
            cards = []
        cards.append(("b.vcf", _card("card-b-0000", second).encode()))
        report = vcard_io.import_vcards(db, cards, CLOCK)
        listed = merge.find_duplicates(db)
    finally:
        db.close()
    assert report.created == (1 if apart else 2)
    reported = report.probable_duplicates
    assert len(reported) == len(listed) <= 1, (reported, listed)
    if reported:
        (found,) = reported
        assert listed[0].name_similarity is not None
        assert abs(listed[0].name_similarity - found["score"]) < 0.006
        assert (found["reason"] == "same name") == (found["score"] == 1.0)


def test_the_line_between_similar_and_not_is_the_same_for_both(lrm, tmp_path):
    """ "Kathryn Jones" is 0.857 like "Katherine Jones": a probable duplicate; "Stephen
    Clarke" is 0.846 like "Steven Clark": not one (the line is 0.85), for either command;
    nor is "Ann Amire Lee" (0.846 like "Ann Marie Lee", though it has the same letters)."""
    for name in ("Katherine Jones", "Steven Clark", "Ann Marie Lee"):
        assert lrm("add", name).exit_code == 0
    path = tmp_path / "phone.vcf"
    names = ("Kathryn Jones", "Stephen Clarke", "Ann Amire Lee")
    path.write_text("".join(_card(f"card-{i}-0000", n) for i, n in enumerate(names)))
    report = lrm("import", "vcard", str(path), "--json").json()
    assert [(p["contact"]["name"], p["score"]) for p in report["probable_duplicates"]] == [
        ("Kathryn Jones", 0.86)
    ]
    listed = lrm("dupes", "--json").json()
    assert [(p["a"]["name"], p["b"]["name"]) for p in listed] == [
        ("Katherine Jones", "Kathryn Jones")
    ]
