"""vobject's bare parse of a vCard file: the yardstick of `lrm import vcard`.

    python bench/bare_vcard.py FILE

Reads FILE, decodes it as UTF-8 and walks ``vobject.readComponents`` over it, one card
at a time, as bench/vcard_speed.py's bare parse does (but streaming: the cards are not
kept). Prints the milliseconds of the parse alone and the number of cards (bench/run.py's
reference format). lrm's import does this and more (normalising, matching, writing), so
the target "no slower than the bare parse" leaves lrm only what it saves elsewhere.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import vobject


def main(argv: list[str]) -> int:
    text = Path(argv[0]).read_bytes().decode("utf-8")
    started = time.perf_counter()
    cards = sum(1 for _ in vobject.readComponents(text))
    print(f"{(time.perf_counter() - started) * 1000:.2f} {cards}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
