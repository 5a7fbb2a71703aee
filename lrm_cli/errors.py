"""The error hierarchy: each error a user can act on carries its exit code (DESIGN §4).
A module of its own so that the hot read commands import it without the domain's
dataclasses."""

from __future__ import annotations


class LrmError(Exception):
    """An error a user can act on: one line on stderr and a documented exit code."""

    exit_code = 1
    code = "error"

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(LrmError):
    """The command line itself is wrong: an unknown command or option, a missing or
    malformed argument (cli/root.py words Click's errors this way)."""

    exit_code = 2
    code = "usage"


class NotFound(LrmError):
    exit_code = 3
    code = "not_found"

    def __init__(
        self, message: str, hint: str | None = None, *, ref: str | None = None, near=()
    ) -> None:
        super().__init__(message, hint)
        self.ref = ref  # the contact reference that matched no one, when it was one
        self.near = list(near)  # the contacts whose name is close to it (a typo?)


class Ambiguous(LrmError):
    exit_code = 4
    code = "ambiguous"

    def __init__(
        self,
        message: str,
        candidates: list[str],
        hint: str | None = None,
        ids: list[int] | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.candidates = candidates
        self.ids = ids  # the candidates' ids, in the same order


class InvalidInput(LrmError):
    exit_code = 5
    code = "invalid_input"


class Conflict(LrmError):
    exit_code = 5
    code = "conflict"


class StorageError(LrmError):
    exit_code = 6
    code = "storage"


class ConfigError(LrmError):
    exit_code = 7
    code = "config"


class Aborted(LrmError):
    """An action given up half-way (an editor that exited with a failure); nothing was
    changed."""

    exit_code = 1
    code = "aborted"


class Declined(Exception):
    """The person answered "no" to a confirmation: the command ends, nothing changed,
    exit 0 (cli/failure.py). Not an LrmError: it is not a failure."""
