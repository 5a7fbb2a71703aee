"""Hardening (issue 16): `lrm sync` with hostile vdirs and commands, `forget` that cannot
delete a card, and `lrm dupes` on pathological names."""

from __future__ import annotations

import random
import sqlite3
import string
import time

from lrm_cli.normalize import name_key
from lrm_cli.services.merge import WINDOW, candidate_pairs

# --- dupes: near-linear on lookalike names ---------------------------------------------------


def _lookalikes(n: int, seed: int = 16) -> list[str]:
    """Very similar names: one family name, small variations, some very long."""
    rng = random.Random(seed)
    word = lambda k: "".join(rng.choices(string.ascii_lowercase, k=k))  # noqa: E731
    shapes = (
        lambda: f"John Smith{word(2)}",
        lambda: f"John {word(3)} Smith",
        lambda: f"Smith, Jon{word(1)}",
        lambda: "John " + "a" * 150 + word(3) + " Smith",
    )
    return [rng.choice(shapes)() for _ in range(n)]


def test_dupes_compares_a_linear_number_of_name_pairs():
    small, large = (list(dict.fromkeys(name_key(n) for n in _lookalikes(n))) for n in (500, 2000))
    pairs_small, pairs_large = candidate_pairs(small), candidate_pairs(large)
    assert len(pairs_large) <= 6 * WINDOW * len(large)
    # four times the names, about four times the comparisons (all pairs would be sixteen)
    assert len(pairs_large) < 5 * len(pairs_small)
    assert len(pairs_large) < len(large) * (len(large) - 1) / 2 / 20


def test_dupes_on_two_thousand_lookalikes_is_quick_and_finds_the_real_duplicates(lrm, db_path):
    assert lrm("add", "Ada Lovelace").exit_code == 0  # 1
    assert lrm("add", "LOVELACE, Ádá").exit_code == 0  # 2: case, accents and order
    assert lrm("add", "Grace Hopper", "--email", "grace@navy.example").exit_code == 0  # 3
    assert lrm("add", "Amazing Grace", "--email", "GRACE@navy.example").exit_code == 0  # 4
    names = _lookalikes(2000)
    names[10] = names[11] = "John Smithqq"  # a real duplicate inside the lookalikes
    names[12] = "JOHN SMITHQQ"
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO contact (id, uid, display_name, created_at, updated_at) "
            "VALUES (?, ?, ?, 0, 0)",
            [(100 + i, f"look-{i}", name) for i, name in enumerate(names)],
        )
    conn.close()
    started = time.perf_counter()
    result = lrm("dupes", "--json")
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.stderr
    pairs = {(p["a"]["id"], p["b"]["id"]): p for p in result.json()}
    assert pairs[(1, 2)]["reasons"] == ["similar_name"]
    assert pairs[(1, 2)]["name_similarity"] == 1.0
    assert pairs[(3, 4)]["reasons"] == ["same_email"]
    for pair in ((110, 111), (110, 112), (111, 112)):
        assert pairs[pair]["name_similarity"] == 1.0
    assert elapsed < 15, f"dupes took {elapsed:.1f} s on 2,000 lookalike names"
