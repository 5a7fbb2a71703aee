"""`lrm dupes` and `lrm merge KEEP OTHER`: probable duplicates, and merging that never loses
a row. Today is pinned to 2026-11-29 (Europe/London) by the autouse fixture."""

from __future__ import annotations

import random
import shutil
import sqlite3
import string
import time
from pathlib import Path

import pytest
from conftest import ok

from lrm_cli.services.merge import find_duplicates, name_similarity
from lrm_cli.store.db import Database
from lrm_cli.store.tables import DATA_TABLES as TABLES  # every table of data

# which part of the merge report accounts for the rows of each table
PART = {
    "contact_method": "methods",
    "contact_tag": "tags",
    "relationship": "relationships",
    "important_date": "dates",
    "interaction_participant": "interactions",
    "note": "notes",
    "reminder": "reminders",
}


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def owned_by(path: Path, contact_id: int) -> dict[str, int]:
    """How many rows of each table belong to (or point at) a contact."""
    conn = sqlite3.connect(path)
    try:
        one = lambda sql: conn.execute(sql, (contact_id,)).fetchone()[0]  # noqa: E731
        return {
            "contact_method": one("SELECT count(*) FROM contact_method WHERE contact_id = ?"),
            "contact_tag": one("SELECT count(*) FROM contact_tag WHERE contact_id = ?"),
            "relationship": one(
                "SELECT count(*) FROM relationship WHERE contact_id = ?1 OR other_contact_id = ?1"
            ),
            "important_date": one("SELECT count(*) FROM important_date WHERE contact_id = ?"),
            "interaction_participant": one(
                "SELECT count(*) FROM interaction_participant WHERE contact_id = ?"
            ),
            "note": one("SELECT count(*) FROM note WHERE contact_id = ?"),
            "reminder": one("SELECT count(*) FROM reminder WHERE contact_id = ?"),
        }
    finally:
        conn.close()


_CACHE: dict[str, Path] = {}


def cached_book(key: str, lrm, db_path: Path, factory, build):
    """Run ``build(lrm)`` once per session and copy its database for later tests (a dozen
    commands are worth running once, not once per test)."""
    cached = _CACHE.get(key)
    if cached is None:
        build(lrm)
        cached = factory.mktemp(key) / "book.sqlite3"
        src, dst = sqlite3.connect(db_path), sqlite3.connect(cached)
        src.backup(dst)
        src.close()
        dst.close()
        _CACHE[key] = cached
    else:
        for suffix in ("-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(cached, db_path)
    return lrm


# --- dupes ------------------------------------------------------------------------------------


@pytest.fixture
def lookalikes(lrm, db_path, tmp_path_factory):
    return cached_book("lookalikes", lrm, db_path, tmp_path_factory, build_lookalikes)


def build_lookalikes(lrm) -> None:
    run = lambda *a: ok(lrm(*a))  # noqa: E731
    run("add", "John Smith", "--email", "J@X.org")  # 1
    run("add", "Jon Smith")  # 2
    run("add", "Smith, John")  # 3: same words, another order
    run("add", "Alice Example", "--phone", "020 7946 0000")  # 4 (no region: kept as typed)
    run("add", "Bob Other", "--phone", "020-7946-0000")  # 5
    run("add", "Carol Mail", "--email", "j@x.org")  # 6
    run("add", "Zed Unrelated", "--email", "zed@example.org")  # 7
    run("add", "Zoe Unrelated")  # 8: only the family name in common


def test_dupes_lists_pairs_with_reasons_highest_score_first(lookalikes):
    pairs = ok(lookalikes("dupes", "--json")).json()
    got = [(p["a"]["id"], p["b"]["id"], p["reasons"]) for p in pairs]
    assert got == [
        (1, 6, ["same_email"]),
        (4, 5, ["same_phone"]),
        (1, 3, ["similar_name"]),
        (1, 2, ["similar_name"]),
        (2, 3, ["similar_name"]),
    ]
    scores = [p["score"] for p in pairs]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    assert pairs[0] == {
        "a": {"id": 1, "name": "John Smith"},
        "b": {"id": 6, "name": "Carol Mail"},
        "score": 0.9,
        "reasons": ["same_email"],
        "name_similarity": pairs[0]["name_similarity"],
    }
    assert pairs[2]["name_similarity"] == 1.0  # same words in another order


def test_more_reasons_score_higher(lrm):
    ok(lrm("add", "Ada Lovelace", "--email", "ada@example.org", "--phone", "+442079460000"))
    ok(lrm("add", "Ada Lovelace", "--email", "ada@example.org", "--phone", "+44 20 7946 0000"))
    ok(lrm("add", "Charles Babbage", "--email", "cb@example.org"))
    ok(lrm("add", "Charles Babbage", "--email", "cb@example.org"))
    pairs = ok(lrm("dupes", "--json")).json()
    assert [(p["a"]["id"], p["b"]["id"]) for p in pairs] == [(1, 2), (3, 4)]
    assert pairs[0]["reasons"] == ["same_email", "same_phone", "similar_name"]
    assert pairs[1]["reasons"] == ["same_email", "similar_name"]
    assert pairs[0]["score"] > pairs[1]["score"] > 0.9


def test_dupes_human_output_and_limit(lookalikes):
    result = ok(lookalikes("dupes", "--limit", "2"))
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].split("\t") == ["0.90", "John Smith #1", "Carol Mail #6", "same email"]
    assert lines[1].endswith("same phone")
    assert lookalikes("dupes", "--limit", "-1").exit_code == 5


def test_no_dupes_is_an_empty_list(lrm):
    ok(lrm("add", "Ada Lovelace"))
    ok(lrm("add", "Grace Hopper"))
    result = ok(lrm("dupes", "--json"))
    assert result.json() == []
    assert ok(lrm("dupes")).stdout == ""


@pytest.mark.parametrize(
    ("a", "b", "low", "high"),
    [
        ("John Smith", "john smith", 1.0, 1.0),
        ("John Smith", "Smith John", 1.0, 1.0),
        ("José García", "Jose Garcia", 1.0, 1.0),
        ("Smith, Jon", "John Smith", 0.9, 0.99),
        ("Katherine Johnson", "Katharine Johnson", 0.9, 0.99),
        ("Ada Lovelace", "Grace Hopper", 0.0, 0.5),
    ],
)
def test_name_similarity(a, b, low, high):
    assert low <= name_similarity(a, b) <= high


def _random_name(rng: random.Random) -> tuple[str, str]:
    word = lambda n: "".join(rng.choices(string.ascii_lowercase, k=n)).title()  # noqa: E731
    return word(rng.randint(4, 8)), word(rng.randint(5, 10))


def test_dupes_is_fast_on_ten_thousand_contacts(db_path, template_db):
    shutil.copyfile(template_db, db_path.parent.mkdir(mode=0o700, exist_ok=True) or db_path)
    rng = random.Random(4)
    rows, planted = [], []
    for i in range(10_000):
        given, family = _random_name(rng)
        rows.append((i + 1, f"uid-{i}", f"{given} {family}", 0, 0))
    for n in range(20):  # a typo'd copy of 20 people
        source = rows[n * 400]
        name = source[2]
        typo = name[:3] + name[4:]
        rows.append((10_001 + n, f"dup-{n}", typo, 0, 0))
        planted.append((source[0], 10_001 + n))
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO contact (id, uid, display_name, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        conn.executemany(
            "INSERT INTO contact_method (contact_id, kind, value, is_preferred, position) "
            "VALUES (?, 'email', ?, 0, 0)",
            [(r[0], f"person{r[0]}@example.org") for r in rows[:10_000]]
            + [(10_001, "person1@example.org")],  # planted: same email as #1
        )
    conn.close()
    db = Database(db_path)
    try:
        started = time.perf_counter()
        pairs = find_duplicates(db)
        elapsed = time.perf_counter() - started
    finally:
        db.close()
    found = {(p.a.id, p.b.id): p for p in pairs}
    for pair in planted:
        assert pair in found, pair
    assert found[(1, 10_001)].reasons.keys() == {"same_email", "similar_name"}
    assert len(pairs) < 100  # random names: almost nothing else looks alike
    assert elapsed < 5.0, f"dupes took {elapsed:.1f} s on 10k contacts"


# --- merge ------------------------------------------------------------------------------------


@pytest.fixture
def pair(lrm, db_path, tmp_path_factory):
    return cached_book("pair", lrm, db_path, tmp_path_factory, build_pair)


def build_pair(lrm) -> None:
    """OTHER (Jon, #1, created earlier) and KEEP (John, #2) overlapping in every table."""
    run = lambda *a: ok(lrm(*a))  # noqa: E731
    run("--today", "2026-01-01", "add", "Jon Smith", "--email", "john@example.org",
        "--email", "jon@work.example", "--tag", "friends", "--tag", "work",
        "--org", "Acme", "--nickname", "Jonny", "--birthday", "--06-01")  # fmt: skip
    run("add", "John Smith", "--email", "john@example.org", "--phone", "+44 20 7946 0000",
        "--tag", "friends", "--how-met", "school")  # fmt: skip
    run("add", "Carol Third")
    run("relate", "john", "jon", "--as", "sibling")  # becomes John to himself: dropped
    run("relate", "jon", "carol", "--as", "friend")  # John already has it: dropped
    run("relate", "john", "carol", "--as", "friend")
    run("relate", "carol", "jon", "--as", "colleague")  # re-pointed to John
    run("date", "add", "jon", "--kind", "anniversary", "--on", "--09-09", "--label", "Wedding")
    run("date", "add", "john", "--kind", "anniversary", "--on", "--09-09", "--label", "Wedding")
    run("date", "add", "jon", "--kind", "custom", "--on", "2020-02-02", "--label", "Moved")
    run("note", "jon", "Met at the café")
    run("note", "john", "Likes chess")
    run("log", "john", "jon", "--kind", "meal", "--when", "2026-11-01")  # both: one row stays
    run("log", "jon", "--kind", "call", "--initiator", "them", "--when", "2026-11-20")
    run("log", "jon", "carol", "--kind", "meeting", "--when", "2026-10-01")
    run("log", "john", "--kind", "call", "--initiator", "me", "--when", "2026-09-01")
    run("remind", "jon", "return the book", "--on", "2026-12-10")


def test_merge_never_loses_a_row(pair, db_path):
    before = counts(db_path)
    other_rows = owned_by(db_path, 1)
    result = ok(pair("merge", "john", "jon", "--yes", "--json")).json()
    after = counts(db_path)

    assert result["kept"] == {"id": 2, "name": "John Smith"}
    assert result["removed"] == {"id": 1, "name": "Jon Smith"}
    assert result["moved"] == {
        "methods": 1,
        "tags": 1,
        "dates": 1,
        "notes": 1,
        "relationships": 1,
        "interactions": 2,
        "reminders": 1,
    }
    assert result["deduplicated"] == {
        "methods": 1,
        "tags": 1,
        "dates": 1,
        "notes": 0,
        "relationships": 2,
        "interactions": 1,
        "reminders": 0,
    }
    assert result["fields_filled"] == ["nickname", "organization", "birthday"]
    # every row OTHER had is accounted for: moved, or identical to one KEEP has
    for table, part in PART.items():
        assert other_rows[table] == result["moved"][part] + result["deduplicated"][part], table
        added = 1 if table == "note" else 0  # the note of OTHER's differing values
        assert after[table] == before[table] - result["deduplicated"][part] + added, table
    assert after["contact"] == before["contact"] - 1  # OTHER itself
    assert after["interaction"] == before["interaction"]
    assert after["tag"] == before["tag"]


def test_merge_result_as_show_sees_it(pair):
    jon_uid = pair("show", "jon", "--json").json()["uid"]
    ok(pair("merge", "john", "jon", "--yes"))
    john = pair("show", "john", "--json").json()
    assert john["id"] == 2
    assert john["emails"] == ["john@example.org", "jon@work.example"]
    assert john["phones"] == ["+442079460000"]
    assert john["tags"] == ["friends", "work"]
    assert john["organization"] == "Acme" and john["nickname"] == "Jonny"
    assert john["how_met"] == "school"  # KEEP's own value stays
    assert john["birthday"] == "--06-01"
    assert john["created_at"].startswith("2026-01-01")  # the earlier created_at
    assert sorted((r["kind"], r["contact"]["name"]) for r in john["relationships"]) == [
        ("colleague", "Carol Third"),
        ("friend", "Carol Third"),
    ]
    assert sorted(d["label"] for d in john["important_dates"]) == ["Moved", "Wedding"]
    bodies = sorted(n["body"] for n in john["notes"])
    assert bodies == [
        "Likes chess",
        f"Merged from #1 Jon Smith (uid {jon_uid}) on 2026-11-29: given name Jon.",
        "Met at the café",
    ]
    assert john["aliases"] == ["Jon Smith"]
    meal = next(i for i in john["interactions"] if i["kind"] == "meal")
    assert [p["name"] for p in meal["participants"]] == ["John Smith"]
    assert len(john["interactions"]) == 4
    assert [r["title"] for r in pair("reminders", "--json").json()] == ["return the book"]
    assert pair("reminders", "--json").json()[0]["contact"]["id"] == 2
    assert pair("show", "jon", "--json").exit_code == 3
    carol = pair("show", "carol", "--json").json()
    assert {r["contact"]["id"] for r in carol["relationships"]} == {2}


def test_merge_recomputes_keeps_stats(pair):
    ok(pair("merge", "john", "jon", "--yes"))
    listed = {c["name"]: c for c in pair("list", "--json").json()}
    # Jon's call on 2026-11-20 is now John's latest contact
    assert listed["John Smith"]["last_contact"].startswith("2026-11-20")
    balance = pair("balance", "john", "--json").json()
    item = balance[0] if isinstance(balance, list) else balance
    assert item["initiated_by_me"] == 1 and item["initiated_by_them"] == 1
    assert item["mutual"] == 2


def test_merge_human_output(pair):
    result = ok(pair("merge", "2", "1", "--yes"))
    line = result.stdout.strip()
    assert line.startswith("merged Jon Smith (Acme) #1 into John Smith (Acme) #2: moved ")
    assert "2 interactions" in line and "1 reminder" in line
    assert "identical kept once" in line and "filled nickname, organization" in line


def test_merge_refuses_the_same_contact(pair):
    result = pair("merge", "john", "2", "--yes")
    assert result.exit_code == 5
    assert "same contact" in result.stderr
    assert pair("show", "john", "--json").exit_code == 0


def test_merge_unknown_contact_is_not_found(pair, db_path):
    before = counts(db_path)
    assert pair("merge", "john", "nobody", "--yes").exit_code == 3
    assert counts(db_path) == before


def test_merge_without_yes_when_not_interactive(pair, db_path):
    before = counts(db_path)
    result = pair("merge", "john", "jon")
    assert result.exit_code == 5
    assert "--yes" in result.stderr
    assert counts(db_path) == before


def test_merge_asks_and_declining_changes_nothing(pair, db_path, monkeypatch):
    monkeypatch.setattr("lrm_cli.cli.prompts.interactive", lambda: True)
    before = counts(db_path)
    declined = pair("merge", "john", "jon", input="n\n")
    assert declined.exit_code == 0
    assert "Merge Jon Smith (Acme) #1 into John Smith #2" in declined.stderr  # not stdout
    assert counts(db_path) == before
    accepted = pair("merge", "john", "jon", input="y\n")
    assert accepted.exit_code == 0
    assert counts(db_path)["contact"] == before["contact"] - 1


def test_merge_json_error_shape(pair):
    result = pair("merge", "john", "john", "--yes", "--json")
    assert result.exit_code == 5
    assert '"code": "invalid_input"' in result.stderr


def test_a_merge_keeps_one_preferred_phone_the_kept_contacts(lrm, tmp_path):
    def card(name: str, uid: str, lines: list[str]) -> str:
        head = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}"]
        return "\r\n".join([*head, *lines, "END:VCARD"]) + "\r\n"

    cards = tmp_path / "two.vcf"
    cards.write_text(
        card("Ann Lee", "u1", ["TEL;TYPE=pref:+1 202 555 0100", "TEL:+1 202 555 0199"])
        + card(
            "Annie Lee", "u2", ["TEL;TYPE=pref:+1 202 555 0199", "TEL;TYPE=pref:+1 202 555 0123"]
        )
    )
    assert lrm("import", "vcard", str(cards)).exit_code == 0
    assert lrm("merge", "Ann Lee", "Annie Lee", "--yes").exit_code == 0
    methods = lrm("show", "Ann Lee", "--json").json()["methods"]
    assert sorted(m["value"] for m in methods) == ["+12025550100", "+12025550123", "+12025550199"]
    assert [m["value"] for m in methods if m["preferred"]] == ["+12025550100"]
