"""Text parameters taken as Click gives them, without pydantic.

Typer 0.29 coerces every parameter that is not a plain flag through a pydantic
TypeAdapter, built the first time the parameter is processed, including the ones left at
their default. Importing pydantic and building the adapters costs ~100 ms, most of the
run of a command on the Typer path (export, import, sync, edit, ...). A text parameter
needs none of it: Click hands over a ``str`` (a tuple of them for a repeated option),
which Typer's own adapter returns unchanged (``str(value)``, a list for a repeated
option, None or ``()`` when absent). :func:`take_text_as_given` gives those parameters,
and flags left unset (Click's own help option among them), that rule directly; numbers,
paths, choices, custom parsers and anything unexpected keep Typer's coercion (and lrm's
wording of their errors, cli/root.py).

It wraps ``typer.core._TyperParameter.get_runtime_param``, which caches a parameter's
coercion in ``_runtime_param``: tests/test_plain_text.py fails if a Typer release changes
either, or if a value comes out other than Typer's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class _AsGiven:
    """Typer's coercion of a text parameter (or a flag left unset), without the adapter;
    any other value goes to Typer's own coercion, built then."""

    def __init__(self, kind: type) -> None:
        self.kind = kind

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        many = param.multiple or param.nargs == -1
        if value is None:
            return () if many else None
        if many and isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
            return list(value)
        if not many and isinstance(value, self.kind):
            return value
        param._runtime_param = None
        return _TYPER_OWN[0](param).coerce(value, param=param, ctx=ctx)


_KINDS = {str: _AsGiven(str), list[str]: _AsGiven(str), bool: _AsGiven(bool)}
_TYPER_OWN: list[Callable[[Any], Any]] = []


def _plain(param: Any) -> _AsGiven | None:
    descriptor = param.type_descriptor
    if descriptor.parameter_info.parser is not None:
        return None
    if descriptor.is_choice or descriptor.file_annotation is not None:
        return None
    many = param.multiple or param.nargs == -1
    if many != (descriptor.annotation == list[str]):
        return None
    return _KINDS.get(descriptor.annotation)


def take_text_as_given() -> None:
    """From now on, text parameters and unset flags are coerced as given (idempotent)."""
    from typer.core import _TyperParameter

    if _TYPER_OWN:
        return
    _TYPER_OWN.append(_TyperParameter.get_runtime_param)

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            self._runtime_param = _plain(self) or _TYPER_OWN[0](self)
        return self._runtime_param

    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
