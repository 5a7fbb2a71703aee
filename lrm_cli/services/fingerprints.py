"""Fingerprints of what a file is rendered from: equal prints, equal bytes. Sync compares
them with the last sync's to skip what did not change; export compares them with the
render cache's (store/render_cache.py) to render only what changed. One rule for both."""

from __future__ import annotations

import hashlib
import os
from importlib.util import find_spec
from typing import Any

from lrm_cli import __version__

FINGERPRINT_VERSION = "1"  # change it when what a print covers changes


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dump(data: Any) -> bytes:
    """``data`` (tuples, lists, dicts, strings, numbers, None) as bytes, fast and always the
    same bytes for the same data (marshal's version 2 has no back-references)."""
    import marshal

    return marshal.dumps(data, 2)


def card_print(
    rows: dict[str, Any], groups: list[str], cid: int, contact: tuple, share_notes: bool
) -> str:
    """The print of contact ``cid``'s card: its row (``contact``) of
    ``store.vcard_io.export_rows``, its rows in each of ``groups`` (that function's other
    keys, sorted), and whether notes go out. Every column the card is made from is in
    it, so an edit anywhere changes it."""
    parts = [rows[g].get(cid) for g in groups]
    return "rows " + sha(dump((FINGERPRINT_VERSION, share_notes, contact, parts)))


def item_print(item: Any) -> str:
    """The print of a calendar item (formats/ical.CalItem, a frozen dataclass whose repr
    holds every field) and of lrm's version, whose number the file carries."""
    text = repr((FINGERPRINT_VERSION, __version__, item))
    return "item " + sha(text.encode("utf-8"))


def renderer_stamp(*modules: str) -> str:
    """lrm's version and, for each module, its file's path, size and modification time
    (found without importing it): a new lrm, an edited formatting module or an upgraded
    library makes every cached rendering stale."""
    parts = [FINGERPRINT_VERSION, __version__]
    for name in modules:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        try:
            st = os.stat(origin) if origin else None
        except OSError:
            st = None
        parts.append(f"{name} {origin} {st.st_size if st else -1} {st.st_mtime_ns if st else -1}")
    return sha("\n".join(parts).encode("utf-8"))[:16]
