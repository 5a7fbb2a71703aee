"""``vdir.write_each``: a sync writing thousands of items lets their fsyncs overlap
(issue 14: the first sync), and each item is still written alone, privately, with its
own result in the order given."""

from __future__ import annotations

import stat
import threading

from lrm_cli.formats import vdir


def test_every_file_is_written_privately_and_each_result_is_in_order(tmp_path):
    folder = tmp_path / "contacts"
    folder.mkdir()
    items = [(folder / f"{i}.vcf", f"card {i}\r\n".encode()) for i in range(100)]
    items.insert(37, (tmp_path / "missing" / "x.vcf", b"nowhere"))  # its folder is gone
    (folder / "5.vcf").write_bytes(b"card 5\r\n")  # already as it would be written

    results = vdir.write_each(items)

    assert len(results) == len(items)
    assert isinstance(results[37], FileNotFoundError)
    for (path, data), result in zip(items, results, strict=True):
        if path.parent == folder:
            assert path.read_bytes() == data
            assert result.changed is (path.name != "5.vcf")  # an unchanged one is left be
            assert result.signature == vdir.stat_signature(path) != ""
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir() if p.name != "5.vcf"} == {
        0o600
    }
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary left


def test_many_files_are_written_by_several_threads_a_few_alone(tmp_path, monkeypatch):
    seen: set[str] = set()
    real = vdir.write_atomic

    def noting(path, data):
        seen.add(threading.current_thread().name)
        return real(path, data)

    monkeypatch.setattr(vdir, "write_atomic", noting)
    vdir.write_each([(tmp_path / f"{i}.ics", b"x") for i in range(3)])
    assert seen == {threading.main_thread().name}
    seen.clear()
    vdir.write_each([(tmp_path / f"{i}.ics", b"y") for i in range(200)])
    assert seen and all(name.startswith("lrm-write") for name in seen)
    assert all((tmp_path / f"{i}.ics").read_bytes() == b"y" for i in range(200))


def test_items_for_one_path_are_written_in_order_the_last_stays(tmp_path):
    # two contacts whose UIDs give one file name (``x`` and ``x.vcf``): as in a loop,
    # the later one is what the file holds, every time
    items = []
    for i in range(40):
        items += [(tmp_path / f"p{i}.vcf", b"first"), (tmp_path / f"p{i}.vcf", b"second")]
    for _ in range(5):
        results = vdir.write_each(items)
        assert {p.read_bytes() for p in tmp_path.glob("p*.vcf")} == {b"second"}
        assert all(not isinstance(r, OSError) and r.changed for r in results)


def test_the_signature_is_the_file_as_written_not_as_changed_after(tmp_path, monkeypatch):
    # a sync records it: another program's later edit must look like a change
    real = vdir.write_atomic
    items = [(tmp_path / f"{i}.vcf", b"lrm's card") for i in range(50)]

    def then_edited(path, data):
        changed = real(path, data)
        signature = vdir.stat_signature(path)
        seen[path] = signature
        return changed

    seen: dict = {}
    monkeypatch.setattr(vdir, "write_atomic", then_edited)
    results = vdir.write_each(items)
    (tmp_path / "0.vcf").write_bytes(b"someone else's card, longer")
    assert results[0].signature == seen[tmp_path / "0.vcf"]
    assert results[0].signature != vdir.stat_signature(tmp_path / "0.vcf")


def test_two_uids_that_give_one_file_name_both_get_a_file(lrm, tmp_path):
    # ``x`` and ``x.vcf`` both make ``x.vcf``: the second card gets ``x-1.vcf`` (sync's
    # rule), the same name at every export, so nothing is lost and nothing is rewritten
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nUID:{uid}\r\nEND:VCARD\r\n"
        for name, uid in (("Alice Ames", "x"), ("Bob Burns", "x.vcf"), ("Cy Cole", "X"))
    )
    (tmp_path / "in.vcf").write_text(cards, newline="")
    assert lrm("import", "vcard", str(tmp_path / "in.vcf")).exit_code == 0
    folder = tmp_path / "out"
    folder.mkdir()
    first = lrm("export", "vcard", "--vdir", str(folder), "--json").json()
    names = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}
    assert sorted(names) == ["X-2.vcf", "x-1.vcf", "x.vcf"]  # case aside: one name
    assert sorted(text.split("FN:")[1].splitlines()[0] for text in names.values()) == [
        "Alice Ames",
        "Bob Burns",
        "Cy Cole",
    ]
    assert first["written"] == 3
    again = lrm("export", "vcard", "--vdir", str(folder), "--json").json()
    assert (again["written"], again["unchanged"]) == (0, 3)
    assert {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()} == names
