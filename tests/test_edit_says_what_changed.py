"""`lrm edit` says what it changed, a line each, so that a slip shows at once (`--email`
adds an email; it does not replace the one there): the rule is contact_changes.py's, and
sync's report words a change it takes from a card the same way."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from test_cli_edit import Editor
from test_sync import card_of, folders, sync  # noqa: F401  (folders: a fixture)

from lrm_cli import contact_fields
from lrm_cli.contact_changes import contact_changes
from lrm_cli.domain import Contact, ContactMethod


def add_ada(lrm) -> None:
    result = lrm(
        "add", "Ada Lovelace", "--email", "ada@example.org", "--org", "Analytical Engines",
        "--birthday", "1815-12-10", "--tag", "mentors",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr


def changed_lines(stdout: str) -> list[str]:
    head, *rest = stdout.splitlines()
    assert head.startswith("updated Ada Lovelace")
    assert all(line.startswith("  ") for line in rest)
    return [line.strip() for line in rest]


def test_an_added_email_is_said_to_be_added_and_the_old_one_stays(lrm):
    add_ada(lrm)
    result = lrm("edit", "ada", "--email", "ada@royal.example")
    assert result.exit_code == 0, result.stderr
    assert changed_lines(result.stdout) == ["added email ada@royal.example"]
    shown = lrm("show", "ada", "--json").json()
    assert shown["emails"] == ["ada@example.org", "ada@royal.example"]


def test_fields_set_and_cleared_and_methods_removed_are_each_a_line(lrm):
    add_ada(lrm)
    result = lrm(
        "edit", "ada", "--org", "Royal Society", "--birthday", "", "--remove-email",
        "ada@example.org", "--phone", "+44 20 7946 0000",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert changed_lines(result.stdout) == [
        "organization: Royal Society",
        "birthday: (none)",
        "added phone +44 20 7946 0000",  # as `show` writes it (JSON keeps +442079460000)
        "removed email ada@example.org",
    ]
    assert "phone\t+44 20 7946 0000" in lrm("show", "ada").stdout.splitlines()


def test_a_new_name_says_the_name_parts_that_followed_it(lrm):
    assert lrm("add", "Jon Smtih").exit_code == 0
    result = lrm("edit", "jon", "--name", "John Smith")
    assert result.stdout.splitlines()[1:] == [
        "  name: John Smith",
        "  given name: John",
        "  family name: Smith",
    ]


def test_the_editor_path_says_what_changed_too(lrm, tmp_path: Path, monkeypatch):
    add_ada(lrm)
    editor = Editor(tmp_path / "ed", "text = text.replace('title = \"\"', 'title = \"Countess\"')")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", editor.command)
    result = lrm("edit", "ada")
    assert result.exit_code == 0, result.stderr
    assert changed_lines(result.stdout) == ["title: Countess"]


def test_no_change_is_one_line_and_json_keeps_its_shape(lrm):
    add_ada(lrm)
    same = lrm("edit", "ada", "--org", "Analytical Engines")
    assert same.stdout == "no changes to Ada Lovelace (Analytical Engines) #1\n"
    edited = lrm("edit", "ada", "--title", "Countess", "--json").json()
    assert "changes" not in edited and edited["changed"] is True


def test_edit_and_sync_word_the_same_change_the_same_way(lrm, folders):  # noqa: F811
    """One rule: the lines `lrm edit` prints are the lines sync reports when the card's
    ORG and N changed on a phone ("given name", not the column's given_name)."""
    add_ada(lrm)
    said = lrm("edit", "ada", "--org", "Difference Engines", "--given-name", "Augusta").stdout
    lrm("edit", "ada", "--org", "Analytical Engines", "--given-name", "Ada")
    uid = lrm("show", "ada", "--json").json()["uid"]
    sync(lrm)
    path = folders["cards"] / f"{uid}.vcf"
    text = card_of(folders["cards"], uid).replace("ORG:Analytical", "ORG:Difference")
    path.write_text(text.replace(";Ada;", ";Augusta;"), encoding="utf-8", newline="")
    [item] = [i for i in sync(lrm)["contacts"]["items"] if i["action"] == "updated"]
    assert sorted(item["changes"]) == sorted(changed_lines(said))
    assert "given name: Augusta" in item["changes"]


# --- the rule, as a property ------------------------------------------------------------------

DETAILS = [f for f in contact_fields.FIELDS if f.role == "detail" and f.key != "snoozed_until"]
TEXTS = st.one_of(st.none(), st.text("abc xyz", min_size=1, max_size=6))
METHODS = st.lists(
    st.builds(
        ContactMethod, kind=st.sampled_from(["email", "phone"]), value=st.sampled_from("abcd")
    ),
    max_size=4,
    unique_by=lambda m: (m.kind, m.value),
)
TAGS = st.lists(st.sampled_from(["friends", "mentors", "work"]), unique=True, max_size=3)


def contacts() -> st.SearchStrategy[Contact]:
    values = {f.key: (st.integers(1, 400) if f.kind == "int" else TEXTS) for f in DETAILS}
    values["name"] = st.sampled_from(["Ada", "Ana"])
    return st.builds(
        Contact, id=st.just(1), uid=st.just("u"), methods=METHODS.map(tuple),
        tags=TAGS.map(tuple), **values,
    )  # fmt: skip


@given(contacts(), contacts())
def test_every_difference_is_one_line_and_no_difference_none(before: Contact, after: Contact):
    lines = contact_changes(before, after)
    assert contact_changes(before, before) == []
    assert len(lines) == len(set(lines))
    for f in DETAILS:
        said = [line for line in lines if line.startswith(f"{f.label}: ")]
        assert len(said) == (getattr(before, f.key) != getattr(after, f.key))
    then = {(m.kind, m.value) for m in before.methods}
    now = {(m.kind, m.value) for m in after.methods}
    for kind, value in now ^ then:
        verb = "added" if (kind, value) in now else "removed"
        assert f"{verb} {kind} {value}" in lines
    for tag in set(after.tags) ^ set(before.tags):
        verb = "added" if tag in after.tags else "removed"
        assert f"{verb} tag {tag}" in lines
    assert contact_changes(replace(after, updated_at=None), after) == []  # stamps are not said
