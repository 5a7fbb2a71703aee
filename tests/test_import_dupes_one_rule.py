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


def test_lrm_dupes_words_a_pair_as_the_import_does(lrm, tmp_path):
    """The same words in another order or without accents are "same name" in both
    commands' words, a near name "similar name" (`lrm dupes` said "similar name" for
    all); `--json` keeps its reason key, similar_name."""
    for name in ("José Núñez", "Jonathan Smith"):
        assert lrm("add", name).exit_code == 0
    path = tmp_path / "phone.vcf"
    path.write_text(_card("card-0-0000", "Nunez, Jose") + _card("card-1-0000", "Jonathon Smith"))
    report = lrm("import", "vcard", str(path), "--json").json()
    said = {p["contact"]["name"]: p["reason"] for p in report["probable_duplicates"]}
    assert said == {"Nunez, Jose": "same name", "Jonathon Smith": "similar name"}
    listed = {}
    for line in lrm("dupes").stdout.splitlines():
        _score, _a, b, reasons = line.split("\t")
        listed[b.rsplit(" #", 1)[0]] = reasons
    assert listed == said
    assert {tuple(p["reasons"]) for p in lrm("dupes", "--json").json()} == {("similar_name",)}


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


# --- a few cards: the index keeps only the names that may be found for them ---------------

# Words that fold, split or join differently: accents (composed and not), ß, a ligature,
# full-width letters, an apostrophe, a hyphen, an underscore, Cyrillic and Greek letters
_PIECES = [
    "Jon",
    "John",
    "Jonathan",
    "Smith",
    "Smyth",
    "Ann",
    "Anne",
    "Anna",
    "Lee",
    "Li",
    "José",
    "Jose\u0301",
    "Núñez",
    "Nunez",
    "Strauß",
    "Strauss",
    "ﬁona",
    "Fiona",
    "Ｆｉｏｎａ",
    "O'Brien",
    "Obrien",
    "Anne-Marie",
    "snake_case",
    "Андрей",
    "Андреи",
    "Ζωή",
    "Zoe",
    "Zoë",
    "Jo",
    "Jonny",
    "Smit",
    "Fio",
    "Str",
    "Åsa",
    "Asa",
]
_NAMES = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=3).map(" ".join) | st.text(
    st.sampled_from("aAjJoOnNsSé ß-'_\u0301\u00a0"), max_size=8
)


@settings(max_examples=300, deadline=None)
@given(
    existing=st.lists(st.tuples(st.integers(1, 40), _NAMES), max_size=40),
    cards=st.lists(_NAMES, min_size=1, max_size=6),
)
@example(existing=[(1, "Jon Smith"), (2, "John Smyth")], cards=["Jonh Smith"])
@example(existing=[(1, "Strauß")], cards=["Strauss"])
@example(existing=[(1, "Fiona Lee")], cards=["Ｆｉｏｎａ Lee", "fio"])
def test_an_index_made_for_some_names_finds_what_the_whole_index_finds(existing, cards):
    """The import of a few cards indexes only the names that may be found for them
    (merge.NameIndex(only=...)): for each card, in turn, the same contact is found as by
    the index of every name, and the card's contact is then added to both."""
    whole, few = merge.NameIndex(), merge.NameIndex(only=cards)
    whole.add_all(existing)
    few.add_all(existing)
    for n, name in enumerate(cards, start=100):
        assert few.similar(name) == whole.similar(name), name
        whole.add(n, name)
        few.add(n, name)


def test_an_index_made_for_some_names_refuses_another():
    """Looking up a name it was not made for is a mistake in the caller, not a miss."""
    index = merge.NameIndex(only=["Ada Lovelace"])
    index.add_all([(1, "Grace Hopper")])
    assert index.similar("Lovelace Ada") is None  # the same needles: covered
    try:
        index.similar("Grace Hopper")
    except ValueError:
        pass
    else:
        raise AssertionError("an index for Ada Lovelace looked up Grace Hopper")


def test_many_cards_and_a_few_report_the_same_duplicates(template_db, tmp_path, monkeypatch):
    """Past FEW_CARDS the import indexes every contact's name as it goes; below, only
    those the cards may be close to: the same file gives the same report either way,
    and every card is imported."""
    names = ["José Núñez", "Ada Lovelace", "Jonathan Smith", "Grace Hopper", "Alan Turing"]
    cards = ["Jose Nunez", "Lovelace, Ada", "Jonathon Smith", "Grace Hoper", "Linus Torvalds"]
    data = "".join(_card(f"card-{i}-0000", n) for i, n in enumerate(cards)).encode()
    reports = []
    for few in (vcard_io.FEW_CARDS, 2):
        monkeypatch.setattr(vcard_io, "FEW_CARDS", few)
        path = tmp_path / f"{few}.sqlite3"
        shutil.copyfile(template_db, path)
        db = Database(path)
        try:
            vcard_io.import_vcards(
                db,
                [
                    (
                        "a.vcf",
                        "".join(_card(f"old-{i}-0000", n) for i, n in enumerate(names)).encode(),
                    )
                ],
                CLOCK,
            )
            reports.append(vcard_io.import_vcards(db, [("b.vcf", data)], CLOCK))
        finally:
            db.close()
    assert [r.created for r in reports] == [5, 5]
    assert reports[0].probable_duplicates == reports[1].probable_duplicates
    assert [p["similar_to"]["name"] for p in reports[0].probable_duplicates] == [
        "José Núñez",
        "Ada Lovelace",
        "Jonathan Smith",
        "Grace Hopper",
    ]
