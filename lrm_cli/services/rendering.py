"""Rendering through the render cache (store/render_cache.py): what an export writes is
taken from the cache when the fingerprint of what it is made from (services/fingerprints)
and the renderer are as when it was cached, and rendered by the library otherwise.
The cache is then brought up to date, best effort: an export never fails for it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from lrm_cli.store import render_cache
from lrm_cli.store.db import Database


class Wanted(NamedTuple):
    key: str  # unique within its kind
    print: str  # services.fingerprints of what the bytes are made from
    uid: str  # the UID the file is named by (the caller's; not cached)


def rendered(
    db: Database,
    kind: str,
    stamp: str,
    wanted: Sequence[Wanted],
    render: Callable[[list[int]], Iterable[bytes]],
    *,
    whole: bool = False,
) -> list[bytes]:
    """The bytes of each of ``wanted``, in order: from the cache, or from ``render``
    (given the indexes of the ones to render, it yields their bytes in that order; it
    must not use the database: a forked process may run it, background.split_map).
    ``stamp`` is services.fingerprints.renderer_stamp of the renderer's modules. With
    ``whole``, ``wanted`` is everything of ``kind``: cached rows of other keys are dropped."""
    with db.read() as conn:
        cached = render_cache.lookup(conn, kind, [w.key for w in wanted])
    bodies: list[bytes | None] = []
    missing: list[int] = []
    for index, item in enumerate(wanted):
        hit = cached.get(item.key)
        if hit is not None and hit.print == f"{stamp} {item.print}":
            bodies.append(hit.body)
        else:
            bodies.append(None)
            missing.append(index)
    fresh: list[render_cache.Rendered] = []
    if missing:
        from lrm_cli import background

        # many to render (a first export): two cores (the libraries' ~0.3-0.4 ms each)
        made = background.split_map(render, missing)
        for index, body in zip(missing, made, strict=True):
            bodies[index] = body
            item = wanted[index]
            fresh.append(render_cache.Rendered(item.key, f"{stamp} {item.print}", body))
    render_cache.save(db.conn, kind, fresh, [w.key for w in wanted] if whole else None)
    return bodies  # type: ignore[return-value]  # every None was replaced
