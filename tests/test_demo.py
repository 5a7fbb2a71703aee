"""`lrm demo`: the README's first command. It must never touch the user's database."""

from __future__ import annotations

from conftest import run_exe


def test_demo_uses_a_throwaway_database(lrm_exe, db_path):
    result = run_exe(lrm_exe, "demo")
    assert result.returncode == 0, result.stderr
    assert "Ada Lovelace" in result.stdout and "Grace Hopper" in result.stdout
    assert "Prefers long letters" in result.stdout  # the featured contact's pinned note
    assert "demo database:" in result.stderr
    assert not db_path.exists()  # LRM_DB (the "real" database) was not created


def test_each_demo_replaces_the_last_one_in_the_cache_folder(lrm_exe, isolated):
    """One private file the demo's "Try it yourself" names, fresh each run: a new
    temporary folder per run piled up in /tmp."""
    import os
    import stat

    paths = []
    for _ in range(2):
        result = run_exe(lrm_exe, "demo")
        assert result.returncode == 0, result.stderr
        paths.append(result.stderr.rsplit("export LRM_DB=", 1)[1].split(";")[0])
    demo = isolated / "home" / "cache" / "lrm" / "demo.sqlite3"
    assert paths == [str(demo)] * 2
    assert stat.S_IMODE(os.stat(demo).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(demo.parent).st_mode) == 0o700
    listed = run_exe(lrm_exe, "list", "--json", env={"LRM_DB": str(demo)})
    assert len(__import__("json").loads(listed.stdout)) == 6  # the sample, once


def test_demo_json(lrm_exe):
    result = run_exe(lrm_exe, "demo", "--json")
    assert result.returncode == 0, result.stderr
    import json

    data = json.loads(result.stdout)
    assert len(data["contacts"]) == 6
    assert data["featured"]["name"] == "Ada Lovelace"
    assert data["featured"]["relationships"][0]["contact"]["name"] == "William King"
    assert [i["type"] for i in data["timeline"]].count("interaction") >= 4


def test_demo_shows_what_lrm_is_for(lrm):
    """After the profile (with its reconnect and Health lines): who is due, and the digest
    with what to do about each of them."""
    result = lrm("demo")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "reconnect\tevery 30 days (explicit)" in out
    assert "# Health " in out and "recency" in out
    assert "#1 spouse: William King #6" in out
    for command in ("show 'Ada Lovelace'", "timeline 'Ada Lovelace'", "due", "digest"):
        assert f"demo.sqlite3 {command}\n" in result.stderr, command
    due_part = out[out.index("lrm digest for") :]
    assert "Reach out:" in due_part and "next: " in due_part
    assert "#1 2026-12-04: Bring back the book club novel (Katherine Johnson)" in due_part
    # the sample is dated relative to today (2026-11-29): Grace and Ada are due
    due_lines = out[: out.index("lrm digest for")].splitlines()
    assert [ln.split("\t")[1] for ln in due_lines if ln.count("\t") == 6] == [
        "Grace Hopper",
        "Ada Lovelace",
    ]


def test_demo_json_has_due_and_digest(lrm):
    data = lrm("demo", "--json").json()
    assert [i["name"] for i in data["due"]] == ["Grace Hopper", "Ada Lovelace"]
    assert data["digest"]["date"] == "2026-11-29"
    assert [i["next_step"]["rule"] for i in data["digest"]["due"]] == [
        "one_sided",
        "they_reached_out",
    ]
    assert data["featured"]["cadence"]["source"] == "explicit"
    assert data["featured"]["health"]["score"] > 0


def test_demo_features_the_contact_as_show_shows_it(lrm_exe, tmp_path):
    """The demo's profile is `lrm show`'s, key for key (one assembly: cli/reads.shown)."""
    import json

    db = str(tmp_path / "demo.sqlite3")
    demo = run_exe(lrm_exe, "--db", db, "demo", "--json")
    assert demo.returncode == 0, demo.stderr
    featured = json.loads(demo.stdout)["featured"]
    show = run_exe(lrm_exe, "--db", db, "show", featured["uid"], "--json", "--recent", "5")
    assert show.returncode == 0, show.stderr
    assert featured == json.loads(show.stdout)


def test_demo_fills_only_an_empty_database(lrm, db_path):
    """`lrm demo --db mine.sqlite3` on a database that holds people is refused, nothing
    written: the sample among one's own contacts (or twice over) is a mess to undo."""
    from conftest import ok

    ok(lrm("add", "Grace Hopper"))
    result = lrm("--db", str(db_path), "demo", "--json")
    assert result.exit_code == 5
    (line,) = result.stderr.strip().splitlines()
    assert "already holds 1 contact:" in line and "only an empty database" in line
    assert [c["name"] for c in ok(lrm("list", "--json")).json()] == ["Grace Hopper"]
