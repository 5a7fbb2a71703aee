"""Speed of vCard import and export against bare vobject (not a test: run it by hand).

    python bench/vcard_speed.py [N] [RUNS]

Import: ``lrm``'s whole import (read, normalise, split, parse every card, match and write in
one transaction into an empty database) against ``list(vobject.readComponents(text))`` of
the same file. Export: ``export_cards`` (read the database, build, serialise and fold every
card) against vobject building and serialising the same cards. Medians of RUNS runs.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

FIRST = ["Ada", "Grace", "Alan", "Édith", "Jürgen", "Zoë", "太郎", "Олег", "Maria", "John"]
LAST = ["Lovelace", "Hopper", "Turing", "Piaf", "Müller", "Smith, Jr", "山田", "Иванов"]


def generate(n: int) -> bytes:
    cards = []
    for i in range(n):
        given, family = FIRST[i % len(FIRST)], LAST[(i // 7) % len(LAST)]
        family = family.replace(",", "\\,")
        cards.append(
            "\r\n".join(
                [
                    "BEGIN:VCARD",
                    "VERSION:3.0",
                    f"UID:speed-{i:06d}",
                    f"FN:{given} {family} {i}",
                    f"N:{family};{given};;;",
                    f"EMAIL;TYPE=INTERNET;TYPE=HOME:person{i}@example.org",
                    f"item1.EMAIL;TYPE=INTERNET:work{i}@example.com",
                    "item1.X-ABLabel:_$!<Other>!$_",
                    f"TEL;TYPE=CELL:+44 7700 {i % 1000000:06d}",
                    "ORG:Analytical Engines\\, Ltd;Research",
                    "TITLE:Engineer",
                    f"BDAY:19{50 + i % 50}-0{1 + i % 9}-1{i % 10}",
                    "CATEGORIES:friends,work",
                    f"NOTE:Met at the conference in {1990 + i % 30}\\, talked about engines.",
                    "END:VCARD",
                ]
            )
            + "\r\n"
        )
    return "".join(cards).encode("utf-8")


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    import vobject

    from lrm_cli.clock import Clock
    from lrm_cli.formats import vcard
    from lrm_cli.services import vcard_io
    from lrm_cli.store.db import Database

    data = generate(n)
    tmp = Path(tempfile.mkdtemp())
    template = tmp / "template.sqlite3"
    Database(template).close()
    clock = Clock.pinned(date(2026, 11, 29))

    bare_parse, lrm_import = [], []
    for run in range(runs):
        bare_parse.append(timed(lambda: list(vobject.readComponents(data.decode("utf-8")))))
        path = tmp / f"import{run}.sqlite3"
        shutil.copyfile(template, path)
        db = Database(path)
        report = None

        def do_import(db=db):
            nonlocal report
            report = vcard_io.import_vcards(db, [("speed.vcf", data)], clock)

        lrm_import.append(timed(do_import))
        assert report is not None and report.created == n, report and report.created
        db.close()

    db = Database(tmp / "import0.sqlite3")
    with db.read() as conn:
        from lrm_cli.store import vcard_io as store

        cards = vcard_io.cards_from_rows(store.export_rows(conn))

    def bare_build_and_serialise():
        for card in cards:
            c = vobject.vCard()
            c.add("uid").value = card.uid
            c.add("fn").value = card.name
            c.add("n").value = vobject.vcard.Name(family=card.family_name, given=card.given_name)
            c.add("org").value = [card.organization]
            c.add("title").value = card.title
            c.add("bday").value = card.birthday
            for m in card.methods:
                line = c.add("email" if m.kind == "email" else "tel")
                line.value = m.value
            c.add("categories").value = card.tags
            for note in card.notes:
                c.add("note").value = note.body
            c.serialize()

    components = [vcard.to_component(card) for card in cards]
    bare_serialise, lrm_export = [], []
    for _ in range(runs):
        bare_serialise.append(timed(bare_build_and_serialise))
        lrm_export.append(timed(lambda: vcard_io.export_cards(db)))
    serialise_only = statistics.median(
        timed(lambda: [c.serialize() for c in components]) for _ in range(runs)
    )
    db.close()
    shutil.rmtree(tmp)

    def show(label: str, ours: list[float], bare: list[float]) -> None:
        o, b = statistics.median(ours), statistics.median(bare)
        print(f"{label}: lrm {o:.2f} s, vobject {b:.2f} s, ratio {o / b:.2f}")

    print(f"{n} cards, {len(data) / 1e6:.1f} MB, medians of {runs} runs")
    show("import", lrm_import, bare_parse)
    show("export (vobject builds and serialises)", lrm_export, bare_serialise)
    print(f"  vobject serialise() of prebuilt lrm components alone: {serialise_only:.2f} s")


if __name__ == "__main__":
    main()
