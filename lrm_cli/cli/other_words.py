"""Words people bring from other tools (``delete``, ``ls``, ``new``...) and lrm's for them:
the one home of the rule, used wherever such a word can be typed.

- As a command of the root or of any group (``lrm interaction delete 3``): Click finds
  no such command and cli/root.py words the usage error with ``group_hint``.
- As the first argument of a command that takes a contact there (``lrm note delete 3``,
  ``lrm log delete 3``, ``lrm remind delete 3``): Click would read the word as a name, so
  those commands ask ``fix_word`` first (cli/writes.py, cli/schedule.py). Only a fixing
  word (lrm's ``rm``/``edit`` or another tool's for them) followed by an id is taken so;
  a contact really named so is reached by its id; typed alone (``lrm note rm``, ``lrm
  remind delete``: ``missing_hint`` for what Click finds missing), it is a usage error
  that says where the ids are; so is ``lrm reminder rm`` without its id.
- A word in the wrong place (``lrm log Maya "coffee at Figma"``: a summary typed as a
  contact): ``log_word_hint`` says what to type instead, for the fast path and Typer
  alike (cli/writes.py); ``extra_word_hint`` and ``option_hint`` (cli/root.py) do the
  same for the usage errors Click finds (``lrm snooze ann 2w``, ``lrm log ann --with
  bob``, ``lrm interaction edit 3 --with bob``).
- An address book's word for a contact's field (``lrm add X --met 'at the gym'``, ``--dob``,
  ``--company``): ``option_hint`` gives the command with lrm's option (``--how-met``).

Nothing here imports Typer: the fast path (cli/fast.py) runs note and log too.
"""

from __future__ import annotations

import re
import shlex

from lrm_cli.errors import InvalidInput, UsageError
from lrm_cli.vocabulary import (
    INITIATOR_WORDS,
    INITIATORS,
    INTERACTION_KIND_WORDS,
    INTERACTION_KINDS,
    RELATIONSHIP_KIND_WORDS,
)

# Another tool's word -> lrm's, offered in a group (or the root) that has lrm's.
OTHER_WORDS = {"delete": "rm", "remove": "rm", "del": "rm", "ls": "list", "find": "search"}
OTHER_WORDS |= {"new": "add", "create": "add", "history": "timeline"}
OTHER_WORDS |= {"update": "edit", "change": "edit", "modify": "edit"}
DELETE_WORDS = {"rm", "delete", "remove", "del"}
_REOPEN = "'lrm reminder edit ID --reopen' reopens a reminder marked done"
# A command people guess for taking something back (``lrm unsnooze``) -> how lrm does it.
UNDOING_WORDS = {
    "unsnooze": "'lrm snooze CONTACT --clear' ends a snooze",
    "wake": "'lrm snooze CONTACT --clear' ends a snooze",
    "untag": "'lrm tag rm CONTACT TAG' removes a tag",
    "unrelate": "'lrm relate CONTACT OTHER --rm' removes a relationship",
    "unlog": "'lrm interaction rm ID' removes an interaction ('lrm undo': the last change)",
    "unnote": "'lrm note rm ID' removes a note ('lrm undo': the last change)",
    "unmerge": "'lrm undo ID' reverts a merge alone (its ID in 'lrm undo --list')",
    "unforget": "'lrm undo ID' brings a forgotten contact back (its ID in 'lrm undo --list')",
    "undelete": "'lrm undo ID' brings back what a change deleted (its ID in 'lrm undo --list')",
    "redo": "an undo cannot be undone: run the command again",
    "reopen": _REOPEN,
    "undone": _REOPEN,
    "complete": "'lrm done ID' marks a reminder done",
    "finish": "'lrm done ID' marks a reminder done",
}

# A command whose first argument is a contact -> the group that fixes what it wrote.
FIXED_IN = {"note": "note", "log": "interaction", "remind": "reminder"}
FIXES = ("rm", "edit")


# A value meaning "no more of it" where lrm takes --clear (``lrm cadence ada none``).
NONE_WORDS = frozenset({"none", "off", "never", "no", "0", "clear", "stop", "nothing", "-"})


def no_value(value: str | None, what: str, clear: str) -> InvalidInput | None:
    """The error for ``value`` when it means "none" (NONE_WORDS) where the command takes
    ``--clear`` for that (``clear`` says what it does), else None."""
    if value is None or value.strip().lower() not in NONE_WORDS:
        return None
    return InvalidInput(f"{value!r} is no {what}", hint=clear)


def group_hint(name: str, path: str, visible: list[str]) -> str | None:
    """The hint for an unknown command ``name`` of ``path`` whose commands are
    ``visible``: lrm's word for what it usually means elsewhere (``lrm rm``: forget
    deletes, archive hides; ``lrm unsnooze``: snooze --clear), else None (cli/root.py
    then tries a near miss)."""
    name = name.lower()
    if path == "lrm" and name in UNDOING_WORDS:
        return UNDOING_WORDS[name]
    if path == "lrm reminder" and name in ("reopen", "undone", "undo"):
        return _REOPEN
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
    FOLLOWING an id (``lrm note delete 3``: ``lrm note rm``) or nothing (``lrm note
    delete``: which one?), else None."""
    word = first.lower()
    fix = OTHER_WORDS.get(word, word)
    if fix not in FIXES or not (following is None or _is_id(following)):
        return None
    if following is None:
        return missing_id(FIXED_IN[command], fix)
    return UsageError(
        f"'lrm {command}' has no command {first!r}",
        f"did you mean 'lrm {FIXED_IN[command]} {fix}'?",
    )


# where each group's ids are shown
_IDS_IN = {"note": "lrm timeline NAME", "interaction": "lrm timeline NAME"}
_IDS_IN["reminder"] = "lrm reminders"


def missing_id(group: str, fix: str) -> UsageError:
    """``lrm note rm`` with no id: which one, and where the ids are."""
    return UsageError(
        f"'lrm {group} {fix}' needs the {group}'s id: lrm {group} {fix} ID",
        f"'{_IDS_IN[group]}' shows each {group} with its id",
    )


def missing_hint(path: str, params: dict) -> UsageError | None:
    """The usage error for ``path`` missing an argument (``params``, as parsed so far)
    when an id was what is missing: ``lrm remind delete`` (Click reads the word as the
    contact, then wants the TEXT) and ``lrm reminder rm`` say which id and where the ids
    are, as ``lrm note rm`` does. None: the usual "needs X"."""
    words = path.split()[1:]
    typed = str(params.get("contact") or "").lower()
    if words == ["remind"] and OTHER_WORDS.get(typed, typed) in FIXES:
        return missing_id(FIXED_IN["remind"], OTHER_WORDS.get(typed, typed))
    contact = str(params.get("contact") or "")
    if words == ["remind"] and looks_like_a_sentence(contact) and not params.get("text"):
        # `lrm remind "Pay rent" --on friday`: the text was read as the contact
        return UsageError(
            "'lrm remind' needs TEXT after the contact: lrm remind CONTACT TEXT",
            f"a reminder about no one takes '-' as its contact: lrm remind - {quoted([contact])}",
        )
    if len(words) == 2 and words[0] in _IDS_IN and words[1] in FIXES:
        return missing_id(words[0], words[1])
    if words == ["done"]:  # `lrm done` is `reminder`'s, at the top for the daily habit
        return UsageError(
            "'lrm done' needs the reminder's id: lrm done ID",
            f"'{_IDS_IN['reminder']}' shows each reminder with its id",
        )
    return None


def quoted(words: list[str]) -> str:
    """``words`` as one shell command line a person can paste: each quoted as the shell
    needs (shlex), but a word whose only trouble is an apostrophe in double quotes
    ("coffee, she's in" rather than 'coffee, she'"'"'s in')."""
    parts = []
    for word in words:
        plain = shlex.quote(word)
        if plain != word and "'" in word and not re.search(r'["$`\\!]', word):
            plain = f'"{word}"'
        parts.append(plain)
    return " ".join(parts)


# What no name has but a sentence does. A name may have spaces, apostrophes, hyphens and
# dots (Mary-Jane O'Brien, J. R. R. Tolkien).
_SENTENCE_MARKS = re.compile(r"[,;:!?()\"…]")


def looks_like_a_sentence(word: str) -> bool:
    """A word that is a summary rather than a name: punctuation names do not have, or
    several words one of which starts in lower case ("coffee at Figma"; "Ada Lovelace"
    and "Van Gogh" look like names, and so does "ada" alone)."""
    if _SENTENCE_MARKS.search(word):
        return True
    words = word.split()
    return len(words) > 1 and any(w[:1].islower() for w in words)


def log_word_hint(contacts: list[str], missing: str | None, summary: str | None) -> str | None:
    """The hint for ``lrm log CONTACTS...`` whose word ``missing`` matched no contact when
    it is a summary typed without -s: an earlier word was a contact (so the command was
    meant), none was given with -s, and it looks like a sentence. None otherwise (the
    usual ``lrm search`` hint stays)."""
    # the words are resolved in order: the first that matched no one is ``missing``
    if summary is not None or missing not in contacts or contacts.index(missing) == 0:
        return None
    if not looks_like_a_sentence(missing):
        return None
    people = [c for c in contacts if c != missing]
    return f"to give a summary, use -s: {quoted(['lrm', 'log', *people, '-s', missing])}"


# What a summary's first words say about the kind of interaction (`lrm log ann -s "Lunch
# at the market"` without --kind is 'other'): lrm's kinds, INTERACTION_KIND_WORDS but
# those a summary starts with meaning something else ("Note: ...", "Chat about..."), and
# the verbs people start with. For a hint, never a silent reading.
_SUMMARY_KINDS = {
    **{word: kind for word, kind in INTERACTION_KIND_WORDS.items()
       if word not in ("note", "post", "card", "chat", "meet", "im", "dm", "voice", "help")},
    **{kind: kind for kind in INTERACTION_KINDS if kind != "other"},
    **dict.fromkeys(("called", "rang", "phoned"), "call"),
    **dict.fromkeys(("texted", "messaged", "whatsapped"), "message"),
    **dict.fromkeys(("emailed", "mailed"), "email"),
    **dict.fromkeys(("met", "visited"), "meeting"),
    **dict.fromkeys(("videocalled", "zoomed", "facetimed"), "video"),
}  # fmt: skip
_SUMMARY_FILLERS = frozenset(
    {"a", "an", "the", "had", "have", "we", "i", "quick", "short", "long", "nice", "great",
     "good", "lovely", "first", "our", "my"}
)  # fmt: skip


def kind_named_by(summary: str | None) -> str | None:
    """The kind of interaction the first words of ``summary`` name ("Lunch at...", "Had
    a quick call about...", "Texted her..."), for the hint of ``lrm log`` without --kind;
    None when they name none."""
    for word in re.findall(r"[a-z]+", (summary or "").lower())[:4]:
        if word not in _SUMMARY_FILLERS:
            return _SUMMARY_KINDS.get(word)
    return None


def extra_word_hint(path: str, params: dict, extra: str) -> str | None:
    """The hint for ``path`` given the extra word(s) ``extra`` after its arguments
    (``params``, as parsed so far): ``lrm snooze ann 2w`` means ``--until 2w`` (a date or
    a duration). None: the usual ``--help`` hint."""
    if path == "lrm snooze" and params.get("contact") and not params.get("until"):
        meant = ["lrm", "snooze", params["contact"], "--until", extra]
        return f"to snooze until then: {quoted(meant)}"
    return None


# What other tools call a second participant; `lrm log` takes them all as arguments.
LOG_WITH = ("--with", "--and", "--contact", "--participant", "--person")


def option_hint(path: str, option: str, args: list[str]) -> str | None:
    """The hint for ``path``'s unknown ``option`` in the command line ``args``: ``lrm log
    ann --with bob`` is ``lrm log ann bob``, ``lrm interaction edit 3 --with bob`` is
    ``--add bob``, ``lrm relate ann bob --kind spouse`` is ``--as spouse``, ``lrm remind
    "call back" --contact ann`` is ``lrm remind ann "call back"``. None: the usual near
    miss or ``--help``."""
    if (path, option) in _OPTION_SAYS:
        return _OPTION_SAYS[path, option]
    if path == "lrm remind" and option in REMIND_ABOUT:
        return f"remind takes the contact first: {quoted(['lrm', *_remind_words(args)])}"
    if option in _TEXT_OPTIONS.get(path, ()):
        meant = quoted(["lrm", *_text_as_argument(path, args)])
        return f"{path} takes the text as an argument: {meant}"
    if path in _INITIATED and option in INITIATOR_FLAGS:
        words = []
        for arg in args:
            words += ["--initiator", INITIATOR_FLAGS[arg]] if arg in INITIATOR_FLAGS else [arg]
        return f"{path} takes who started it as --initiator: {quoted(['lrm', *words])}"
    meant = _OPTION_MEANS.get((path, option))
    if meant is not None:
        return f"{path} takes {meant}: {quoted(['lrm', *_lrms_words(path, args)])}"
    if path not in _WITH_MEANS or option not in LOG_WITH:
        return None
    add = _WITH_MEANS[path]
    words = []
    for arg in args:
        name, eq, value = arg.partition("=")
        if name in LOG_WITH:
            words += ([add] if add else []) + ([value] if eq else [])
        else:
            words.append(arg)
    if add is None:
        return f"log takes several contacts: {quoted(['lrm', *words])}"
    return f"to add someone who was there: {quoted(['lrm', *words])}"


# What other tools call the text of a note or a reminder: lrm takes it as an argument.
_TEXT_OPTIONS = dict.fromkeys(("lrm note", "lrm remind"), ("-m", "--message", "--text", "--body"))
# What they call an interaction's summary: `lrm log` has -s for it.
_LOG_SUMMARY = ("-m", "--message", "--note", "--text")
# The commands that take who started an interaction (--initiator); a flag naming who
# (`--they`, `--me`) is that option with its value.
_INITIATED = ("lrm log", "lrm interaction edit")
# The commands that take a reminder's day (--on) and repeat (--every).
_REMINDING = ("lrm remind", "lrm reminder edit")
INITIATOR_FLAGS = {f"--{w}": INITIATOR_WORDS.get(w, w) for w in (*INITIATORS, *INITIATOR_WORDS)}
# An option another command (or tool) has, that this command calls otherwise.
_OPTION_MEANS = {
    **dict.fromkeys(
        (("lrm relate", o) for o in ("--kind", "--type", "--relation", "--relationship")), "--as"
    ),
    **dict.fromkeys((("lrm log", o) for o in ("--type", "--via", "--medium")), "--kind"),
    **dict.fromkeys((("lrm log", o) for o in _LOG_SUMMARY), "-s"),
    **dict.fromkeys(
        ((path, o) for path in _INITIATED for o in ("--by", "--from", "--who", "--started-by")),
        "--initiator",
    ),
    **dict.fromkeys(
        ((path, o) for path in _REMINDING for o in ("--when", "--date", "--at", "--due")), "--on"
    ),
    **dict.fromkeys(((path, o) for path in _REMINDING for o in ("--repeat", "--recur")), "--every"),
}
# An option guessed for what another command does -> that command.
_OPTION_SAYS = {
    **dict.fromkeys((("lrm done", o) for o in ("--undo", "--reopen", "--undone")), _REOPEN),
    **dict.fromkeys(
        (("lrm snooze", o) for o in ("--off", "--none", "--cancel", "--end", "--stop")),
        "'lrm snooze CONTACT --clear' ends a snooze",
    ),
    **dict.fromkeys(
        (("lrm edit", o) for o in ("--when", "--summary", "-s", "--kind", "--initiator")),
        "lrm edit changes a contact; 'lrm interaction edit ID' changes a logged interaction"
        " (its ID in 'lrm timeline NAME')",
    ),
    **dict.fromkeys(
        (("lrm cadence", o) for o in ("--off", "--none", "--remove", "--unset", "--rm")),
        "'lrm cadence CONTACT --clear' removes an explicit cadence",
    ),
}
# What address books and other tools call a contact's fields -> the option of `lrm add`
# and `lrm edit` (a near miss would offer --db for --dob, --today for --bday).
CONTACT_OPTION_WORDS = {
    "--how-met": (
        "--met",
        "--how",
        "--met-at",
        "--met-via",
        "--met-through",
        "--where-met",
        "--how-we-met",
        "--context",
    ),
    "--org": ("--company", "--organisation", "--organization", "--employer", "--workplace"),
    "--title": ("--job", "--job-title", "--role", "--position"),
    "--birthday": (
        "--bday",
        "--birth",
        "--birthdate",
        "--birth-date",
        "--dob",
        "--born",
        "--date-of-birth",
    ),
    "--given-name": ("--first-name", "--firstname", "--first", "--given", "--forename"),
    "--family-name": ("--last-name", "--lastname", "--last", "--surname", "--family"),
    "--nickname": ("--nick",),
    "--phone": ("--tel", "--telephone", "--mobile", "--cell", "--phone-number"),
    "--email": ("--mail", "--e-mail", "--email-address"),
    "--cadence": ("--frequency", "--every", "--interval", "--reconnect"),
}
_OPTION_MEANS |= {
    (path, word): option
    for path in ("lrm add", "lrm edit")
    for option, words in CONTACT_OPTION_WORDS.items()
    for word in words
}
# What other tools call a reminder's contact: `lrm remind` takes it as its first argument.
REMIND_ABOUT = ("--contact", "--about", "--for", "--person", "--with")
# An option whose value may be an everyday word for one of lrm's kinds ("coffee": meal).
_KIND_WORDS = {"--kind": INTERACTION_KIND_WORDS, "-k": INTERACTION_KIND_WORDS}
_KIND_WORDS |= {"--channel": INTERACTION_KIND_WORDS, "--as": RELATIONSHIP_KIND_WORDS}
_KIND_WORDS |= {"--initiator": INITIATOR_WORDS, "-i": INITIATOR_WORDS}


def _lrms_words(path: str, args: list[str]) -> list[str]:
    """``args`` in lrm's words: each option ``path`` calls otherwise renamed, and an
    everyday word for a kind given to it as lrm's kind (``--via coffee``: ``--kind
    meal``), so that the hint works as it is pasted."""
    words: list[str] = []
    for arg in args:
        name, eq, value = arg.partition("=")
        if (path, name) in _OPTION_MEANS:
            name = _OPTION_MEANS[path, name]
            arg = name + eq + value
            if eq and not name.startswith("--"):  # a short option takes no "=": two words
                words.append(name)
                arg, eq = value, ""
        if eq and name in _KIND_WORDS:
            arg = name + eq + _KIND_WORDS[name].get(value.lower(), value)
        elif words and words[-1] in _KIND_WORDS:
            arg = _KIND_WORDS[words[-1]].get(arg.lower(), arg)
        words.append(arg)
    return words


def _take_option(args: list[str], names: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """The value of the (last) option of ``names`` in ``args`` (``--x V`` or ``--x=V``),
    as a list of one word or none, and ``args`` without that option."""
    value: list[str] = []
    rest: list[str] = []
    taking = False
    for arg in args:
        name, eq, after = arg.partition("=")
        if taking:
            value, taking = [arg], False
        elif name in names:
            value, taking = ([after], False) if eq else ([], True)
        else:
            rest.append(arg)
    return value, rest


def _text_as_argument(path: str, args: list[str]) -> list[str]:
    """``lrm note ada -m "likes tea"`` as lrm takes it: ``lrm note ada "likes tea"``, the
    text after the contact (``NAME`` where none was typed after the command)."""
    text, rest = _take_option(args, _TEXT_OPTIONS[path])
    command = path.split()[1]
    at = rest.index(command) + 1 if command in rest else len(rest)
    if at < len(rest) and not rest[at].startswith("-"):
        return [*rest[: at + 1], *text, *rest[at + 1 :]]  # after the contact
    return [*rest[:at], "NAME", *text, *rest[at:]]  # no contact yet: say where it goes


def _remind_words(args: list[str]) -> list[str]:
    """``lrm remind "send the paper" --contact ada --when friday`` in lrm's words: ``lrm
    remind ada "send the paper" --on friday``."""
    about, rest = _take_option(_lrms_words("lrm remind", args), REMIND_ABOUT)
    at = rest.index("remind") + 1 if "remind" in rest else 1
    return [*rest[:at], *about, *rest[at:]]


# What --with is in each command that has another word for it: None, an argument.
_WITH_MEANS = {"lrm log": None, "lrm interaction edit": "--add"}
