"""Export then import is one to one (issue 14): `lrm export vcard` into an empty database
gives every contact back, with its id and its data, even when contacts share an email, a
phone or a name; and `import vcard` reports probable duplicates as a count and the first
few (all of them with --verbose and in --json)."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NAMES = ["Ann Lee", "Ann Lee", "Bo Chen", "Ann  Lee", "ann lee"]
EMAILS = ["family@example.org", "office@example.org", "ann@example.org"]
PHONES = ["+44 20 7946 0000", "+44 20 7946 0001"]

person = st.fixed_dictionaries(
    {
        "name": st.sampled_from(NAMES),
        "emails": st.lists(st.sampled_from(EMAILS), max_size=2, unique=True),
        "phones": st.lists(st.sampled_from(PHONES), max_size=1),
        "title": st.none() | st.sampled_from(["Engineer", "Chair"]),
        "address": st.none() | st.sampled_from(["street=1 High St;city=York;type=home"]),
        "forget": st.booleans(),  # forgotten after being added: a gap in the ids
    }
)


def _comparable(shown: dict) -> dict:
    """A contact as `show --json` prints it, without what an import cannot carry over: the
    ids of notes and dates (new rows), the scheduler's view (recomputed), the order of
    methods of different kinds (a card groups them by property; each kind keeps its
    order)."""
    out = dict(shown)
    out["methods"] = sorted(shown["methods"], key=lambda m: m["kind"])
    for key in ("interactions", "health", "balance", "due", "cadence", "snoozed"):
        out.pop(key, None)
    out["notes"] = [{k: v for k, v in n.items() if k != "id"} for n in shown["notes"]]
    out["important_dates"] = [
        {k: v for k, v in d.items() if k != "id"} for d in shown["important_dates"]
    ]
    out["relationships"] = sorted(
        (r["kind"], r["contact"]["id"], r["contact"]["name"]) for r in shown["relationships"]
    )
    return out


def _everyone(lrm, db: Path) -> dict[int, dict]:
    listed = lrm("--db", str(db), "list", "--all", "--json").json()
    return {
        c["id"]: _comparable(lrm("--db", str(db), "show", str(c["id"]), "--json").json())
        for c in listed
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(person, min_size=1, max_size=6), related=st.booleans(), merged=st.booleans())
def test_export_then_import_into_an_empty_database_gives_the_same_contacts(
    lrm, template_db, tmp_path_factory, people, related, merged
):
    folder = tmp_path_factory.mktemp("one-to-one")
    source, target = folder / "source.sqlite3", folder / "target.sqlite3"
    shutil.copyfile(template_db, source)
    shutil.copyfile(template_db, target)
    added = []
    for p in people:
        args = ["--db", str(source), "add", p["name"], "--quiet", "--json"]
        for e in p["emails"]:
            args += ["--email", e]
        for ph in p["phones"]:
            args += ["--phone", ph]
        if p["title"]:
            args += ["--title", p["title"]]
        if p["address"]:
            args += ["--address", p["address"]]
        result = lrm(*args)
        assert result.exit_code == 0, result.stderr
        added.append(result.json()["id"])
    for p, cid in zip(people, added, strict=True):
        lrm("--db", str(source), "note", str(cid), f"note on #{cid}")
        if p["forget"] and len(added) > 1:
            lrm("--db", str(source), "forget", str(cid), "--yes")
    kept = [c["id"] for c in lrm("--db", str(source), "list", "--all", "--json").json()]
    if related and len(kept) > 1:
        lrm("--db", str(source), "relate", str(kept[0]), str(kept[-1]), "--as", "sibling")
    if merged and len(kept) > 2:  # the other's name becomes an alias (X-LRM-ALIAS)
        lrm("--db", str(source), "merge", str(kept[1]), str(kept[2]), "--yes")
        lrm("--db", str(source), "edit", str(kept[1]), "--name", "Renamed After Merge")
        kept.remove(kept[2])
    exported = lrm("--db", str(source), "export", "vcard").stdout
    result = lrm("--db", str(target), "import", "vcard", "-", "--json", input=exported)
    assert result.exit_code == 0, result.stderr
    assert result.json()["created"] == len(kept)
    assert _everyone(lrm, target) == _everyone(lrm, source)


def test_a_card_of_lrm_s_own_is_never_matched_by_email(lrm, tmp_path):
    """Two contacts sharing an email and a name stay two through export and import, and
    importing the export again changes nothing."""
    lrm("add", "Ann Lee", "--email", "family@example.org")
    lrm("add", "Ann Lee", "--email", "family@example.org", "--quiet")
    exported = lrm("export", "vcard").stdout
    other = tmp_path / "other.sqlite3"
    result = lrm("--db", str(other), "import", "vcard", "-", "--json", input=exported).json()
    assert (result["created"], result["updated"]) == (2, 0)
    again = lrm("--db", str(other), "import", "vcard", "-", "--json", input=exported).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    # a card from elsewhere with that email and name is still the same person
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nEMAIL:family@example.org\r\nEND:VCARD\r\n"
    third = lrm("--db", str(other), "import", "vcard", "-", "--json", input=card).json()
    assert (third["created"], third["updated"] + third["unchanged"]) == (0, 1)


# --- the probable duplicates' report ---------------------------------------------------------


def _cards(n: int) -> str:
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pat Doe\r\nUID:pat-{i}\r\nEND:VCARD\r\n"
        for i in range(n)
    )


def test_import_prints_a_count_and_the_first_five_duplicates(lrm):
    result = lrm("import", "vcard", "-", input=_cards(9))
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if "probable duplicate:" in line]
    assert len(lines) == 5
    assert "... and 3 more probable duplicates (--verbose or --json lists them" in result.stderr
    assert "8 probable duplicates" in result.stdout


def test_verbose_lists_every_duplicate(lrm):
    result = lrm("import", "vcard", "-", "--verbose", input=_cards(9))
    lines = [line for line in result.stderr.splitlines() if "probable duplicate:" in line]
    assert len(lines) == 8
    assert "more probable duplicate" not in result.stderr


def test_json_lists_every_duplicate_and_prints_no_line(lrm):
    result = lrm("import", "vcard", "-", "--json", input=_cards(9))
    assert len(result.json()["probable_duplicates"]) == 8
    assert "probable duplicate" not in result.stderr


def test_export_vcard_help_promises_what_the_round_trip_keeps(lrm):
    text = " ".join(lrm("export", "vcard", "--help").stdout.split())
    assert "importing the export into an empty database gives the same contacts back" in text


def test_a_card_whose_lrm_id_is_past_what_ids_can_be_gets_a_new_id(lrm, tmp_path):
    """An X-LRM-ID past ``domain.MAX_ID`` (hand-edited, another tool's) is not kept: the
    card comes in under a new id, and so do the contacts added after it (an id kept
    that high overflowed the search index: a database error, nothing imported)."""
    cards = tmp_path / "odd.vcf"
    cards.write_text(
        "".join(
            f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Odd {n}\r\nUID:odd-{n}\r\n"
            f"X-LRM-ID:{lrm_id}\r\nEND:VCARD\r\n"
            for n, lrm_id in enumerate((2**53, 2**60, 10**30, 7))
        ),
        "utf-8",
    )
    result = lrm("import", "vcard", str(cards))
    assert result.exit_code == 0, result.stderr
    assert lrm("add", "After Them").exit_code == 0
    ids = {c["name"]: c["id"] for c in lrm("list", "--json").json()}
    assert ids["Odd 3"] == 7  # an id that fits is kept (the database was empty)
    assert all(0 < i < 2**53 for i in ids.values()) and len(ids) == 5
    assert lrm("search", "Odd").exit_code == 0


def test_an_alias_a_merge_gave_comes_back_with_its_contact(lrm, tmp_path):
    """Before, `export vcard` dropped it: the contact came back, not the name it is
    also known by."""
    lrm("add", "Ada Lovelace")
    lrm("add", "Ada King", "--email", "ada@king.example")
    lrm("merge", "Ada Lovelace", "Ada King", "--yes")
    out = tmp_path / "a.vcf"
    lrm("export", "vcard", "--out", str(out))
    assert b"\r\nX-LRM-ALIAS:Ada King\r\n" in out.read_bytes()
    other = tmp_path / "b.sqlite3"
    result = lrm("--db", str(other), "import", "vcard", str(out))
    assert result.exit_code == 0, result.stderr
    assert lrm("--db", str(other), "show", "Ada King", "--json").json()["aliases"] == ["Ada King"]
    again = lrm("--db", str(other), "import", "vcard", str(out), "--json").json()
    assert again["unchanged"] == 1
