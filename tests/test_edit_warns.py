"""`lrm edit` warns, as `lrm add` does, when a new name, email or phone is someone
else's: the two may be one person (lrm merge), or the edit went to the wrong contact."""

from __future__ import annotations

from conftest import ok


def test_a_new_name_or_email_someone_else_has_is_named_with_the_merge(lrm):
    ok(lrm("add", "Ann Lee", "--email", "ann@example.org"))
    ok(lrm("add", "Bob Stone"))
    renamed = ok(lrm("edit", "bob", "--name", "Ann Lee"))
    assert renamed.stderr == (
        "lrm: warning: Ann Lee (#1) already has the name Ann Lee\n"
        "lrm: warning: the same person? lrm merge 1 2 (or lrm undo)\n"
    )
    mailed = ok(lrm("edit", "2", "--email", "ANN@example.org"))
    assert "Ann Lee (#1) already has email ann@example.org" in mailed.stderr


def test_an_edit_of_what_is_only_theirs_warns_of_nothing(lrm):
    ok(lrm("add", "Ann Lee", "--email", "ann@example.org"))
    ok(lrm("add", "Bob Stone", "--email", "bob@example.org"))
    assert ok(lrm("edit", "bob", "--title", "CTO")).stderr == ""
    # its own email written again (a label changed in the TOML view) is no one else's
    assert ok(lrm("edit", "bob", "--email", "bob@example.org")).stderr == ""
    assert ok(lrm("edit", "bob", "--name", "Bob  Stone Jr")).stderr == ""
