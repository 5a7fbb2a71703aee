"""A name's words (``normalize.name_words``) are the ``\\w+`` runs of its fold, however the
name is taken apart to fold it (a part at a time, each part folded once per process)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from lrm_cli.normalize import fold, name_key, name_words

# Letters with accents and marks of their own, the spaces str.split() knows (and one it
# does not), letters NFKD takes apart (ligatures, full width) and a few scripts.
_ALPHABET = st.sampled_from(
    [
        *"aZ é_-.,'",
        *("e\u0301", "\u0301", "\u0308", "\u034f", "\u0358", "\u00a0", "\u3000", "\u2028"),
        *"ÉØßŁłĲŉǅﬁＡ²ªЙйΐΆ李キ\u1680\u001c\t\u200b",
    ]
)
_NAMES = st.lists(_ALPHABET, max_size=14).map("".join)


@given(_NAMES)
def test_the_words_are_those_of_the_whole_name_folded(name: str) -> None:
    assert name_words(name) == re.findall(r"\w+", fold(name))


@given(_NAMES)
def test_the_same_part_gives_the_same_words_every_time(name: str) -> None:
    assert name_words(name) == name_words(name) == name_key(name).split()


def test_accents_case_and_punctuation_are_set_aside() -> None:
    assert name_words("Núñez,  JOSÉ") == ["nunez", "jose"]
    assert name_words("Smith, Jóhn") == ["smith", "john"]
    assert name_words("Ärger\u00a0Straße") == ["arger", "strasse"]
