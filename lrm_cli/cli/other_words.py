"""Words people bring from other tools (``delete``, ``ls``, ``new``...) and lrm's for them:
the one home of the rule, used wherever such a word can be typed.

- As a command of the root or of any group (``lrm interaction delete 3``): Click finds
  no such command and cli/root.py words the usage error with ``group_hint``.
- As the first argument of a command that takes a contact there (``lrm note delete 3``,
  ``lrm log delete 3``, ``lrm remind delete 3``): Click would read the word as a name, so
  those commands ask ``fix_word`` first (cli/writes.py, cli/schedule.py). Only a fixing
  word (lrm's ``rm``/``edit`` or another tool's for them) followed by an id is taken so;
  a contact really named so is reached by its id.

Nothing here imports Typer: the fast path (cli/fast.py) runs note and log too.
"""

from __future__ import annotations

from lrm_cli.errors import UsageError

# Another tool's word -> lrm's, offered in a group (or the root) that has lrm's.
OTHER_WORDS = {"delete": "rm", "remove": "rm", "del": "rm", "ls": "list", "find": "search"}
OTHER_WORDS |= {"new": "add", "create": "add", "history": "timeline"}
OTHER_WORDS |= {"update": "edit", "change": "edit", "modify": "edit"}
DELETE_WORDS = {"rm", "delete", "remove", "del"}

# A command whose first argument is a contact -> the group that fixes what it wrote.
FIXED_IN = {"note": "note", "log": "interaction", "remind": "reminder"}
FIXES = ("rm", "edit")


def group_hint(name: str, path: str, visible: list[str]) -> str | None:
    """The hint for an unknown command ``name`` of ``path`` whose commands are
    ``visible``: lrm's word for what it usually means elsewhere (``lrm rm``: forget
    deletes, archive hides), else None (cli/root.py then tries a near miss)."""
    name = name.lower()
    if name in DELETE_WORDS and "forget" in visible:
        return (
            f"'{path} forget CONTACT' deletes a contact and their history;"
            f" '{path} archive CONTACT' hides them and keeps it"
        )
    if OTHER_WORDS.get(name) in visible:
        return f"did you mean '{path} {OTHER_WORDS[name]}'?"
    return None


def _is_id(text: str | None) -> bool:
    return text is not None and text.removeprefix("#").isdigit()


def fix_word(command: str, first: str, following: str | None) -> UsageError | None:
    """The usage error for ``lrm COMMAND FIRST FOLLOWING`` when FIRST is a fixing word and
    FOLLOWING an id (``lrm note delete 3``: ``lrm note rm``), else None."""
    word = first.lower()
    fix = OTHER_WORDS.get(word, word)
    if fix not in FIXES or not _is_id(following):
        return None
    return UsageError(
        f"'lrm {command}' has no command {first!r}",
        f"did you mean 'lrm {FIXED_IN[command]} {fix}'?",
    )
