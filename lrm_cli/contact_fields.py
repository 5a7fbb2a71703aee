"""Every list of the contact's fields, derived from their one declaration: the field
metadata of ``domain.Contact``. The store's SELECT, INSERT and UPDATE lists, the JSON
writers (the contact shape of ``show``/``list``, the export document) and readers, dump,
merge and the vCard importer all take their fields from here, so a new field needs no
edit in any of them. Stdlib only: the fast paths import it.
"""

from __future__ import annotations

from dataclasses import fields, replace

from lrm_cli.domain import Contact, ContactField


def _declared() -> tuple[ContactField, ...]:
    out = []
    for f in fields(Contact):
        spec = f.metadata.get("lrm")
        if spec is not None:
            out.append(
                replace(
                    spec,
                    key=f.name,
                    column=spec.column or f.name,
                    label=spec.label or f.name.replace("_", " "),
                )
            )
    return tuple(out)


# The contact's record, in the order of the table, of the export and of the contact shape.
FIELDS: tuple[ContactField, ...] = _declared()
# Columns of table contact that are not part of the record: kept by triggers (migration
# 0005: the smallest cadence of the contact's tags), never read or written as a field.
DERIVED: tuple[ContactField, ...] = (
    ContactField("int", role="derived", key="tag_cadence_days", column="tag_cadence_days"),
)

# Columns of table contact that hold what a vCard brought beyond the record (migration
# 0009), as JSON arrays of strings but for the UID: ORG's units, N's additional names,
# prefixes and suffixes, the lines of the properties lrm does not manage, the UID as the
# card wrote it. Read and written by the vCard importer and exporter, export/import json
# and show (the units); not part of the contact shape of list.
CARD: tuple[ContactField, ...] = tuple(
    ContactField("text", role="card", key=name, column=name)
    for name in ("org_units", "name_parts", "vcard_extra", "vcard_uid")
)
CARD_COLUMNS = tuple(f.column for f in CARD)

BY_COLUMN = {f.column: f for f in FIELDS}
COLUMNS = tuple(f.column for f in FIELDS)
# What add, edit and snooze may set (``store.contacts.update``).
EDITABLE = tuple(f.column for f in FIELDS if f.role == "detail")
# What a merge takes from the other contact when the kept one has none: every optional
# detail (the name is required, so never empty).
FILLABLE = tuple(f.column for f in FIELDS if f.role == "detail" and not f.required)
# What a card or a file brings for a contact: its details and whether it is archived.
IMPORTED = tuple(f.column for f in FIELDS if f.role in ("detail", "state"))
# The fields of free text the user types (``optional_text``: "" clears one).
FREE_TEXT = tuple(f for f in FIELDS if f.free_text)

# The contact shape (docs/json.md: show, list, add, edit...) lists the contact's emails,
# phones and tags after this field, then the rest of the record.
LISTS_AFTER = "title"


def sql_columns(alias: str = "") -> str:
    """The record's columns for a SELECT, in declaration order (``c.id, c.uid, ...``)."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(f"{prefix}{column}" for column in COLUMNS)


def one_value(column: str, a: object, b: object) -> bool:
    """Whether two values of one field, neither of them empty, are one value: equal or,
    for a partial date, the same day with and without its year (``dates.same_day``: a
    phone's birthday that leaves the year out). The one rule by which a merge neither notes
    OTHER's value as differing nor keeps both, and an import of a card reports no conflict."""
    if a is None or b is None:
        return False
    if a == b:
        return True
    if BY_COLUMN[column].kind != "partial_date":
        return False
    from lrm_cli.dates import same_day

    return same_day(str(a), str(b))


def fuller_value(column: str, mine: object, theirs: object) -> object:
    """Of two values of one field that are one (:func:`one_value`), the one that says more:
    a partial date with its year (``dates.fuller``); otherwise MINE."""
    if BY_COLUMN[column].kind != "partial_date":
        return mine
    from lrm_cli.dates import fuller

    return fuller(mine, theirs)  # type: ignore[arg-type]
