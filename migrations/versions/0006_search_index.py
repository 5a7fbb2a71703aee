"""the full-text search index of `lrm search`, kept in sync by triggers

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 12:00:00

One FTS5 table, ``search_index`` (tokenizer ``unicode61 remove_diacritics 2``: case- and
accent-insensitive), with one row per searchable text: a contact's name, nickname,
organisation and how-met; each email and phone; each note; each interaction summary; each
important date's label. ``kind``, ``item_id`` (the row it comes from) and ``contact_id``
(NULL for an interaction: its contacts are its participants, joined when searching, so
adding or moving participants never touches the index) are stored beside the text, and the
rowid is ``item_id * 16 + kind code`` so a trigger finds its row by rowid. Phones also fill
``digits``: the number's digits and every suffix of them of at least 3 digits, so a query of
any run of the digits finds it (a suffix token matched as a prefix = a substring).

This file is frozen: ``lrm_cli/store/search.py`` holds the same statements for ``lrm db
check`` (a test holds the two equal). A later migration that rebuilds one of the indexed
tables (``batch_alter_table(recreate=...)`` drops the table with its triggers) must create
these triggers again; ``lrm db check`` reports and restores missing ones.
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

MAX_DIGITS = 20  # suffixes of the first 20 digits of a phone are indexed
MIN_SUFFIX = 3
PHONE_PUNCTUATION = (" ", "+", "-", "(", ")", ".", "/", "char(9)", "char(160)")


def _digits(value: str) -> str:
    expr = value
    for ch in PHONE_PUNCTUATION:
        literal = ch if ch.startswith("char(") else f"'{ch}'"
        expr = f"replace({expr}, {literal}, '')"
    return expr


def _suffixes(d: str) -> str:
    parts = [d]
    for start in range(2, MAX_DIGITS - MIN_SUFFIX + 2):
        parts.append(
            f"CASE WHEN length({d}) >= {start + MIN_SUFFIX - 1} THEN ' ' || substr({d}, {start},"
            f" {MAX_DIGITS - start + 1}) ELSE '' END"
        )
    return " || ".join(parts)


def _nonempty(expr: str) -> str:
    return f"coalesce({expr}, '') <> ''"


def _also(name: str, part: str) -> str:
    """``part`` (a given or family name) when the display name does not already hold it."""
    return (
        f"CASE WHEN {_nonempty(part)} AND instr(lower({name}), lower({part})) = 0"
        f" THEN ' ' || {part} ELSE '' END"
    )


COLUMNS = "rowid, body, digits, kind, item_id, contact_id"


def _name(c: str) -> str:
    name = f"{c}.display_name"
    return f"{name} || {_also(name, f'{c}.given_name')} || {_also(name, f'{c}.family_name')}"


def _field(code: int, column: str, kind: str) -> tuple[str, ...]:
    return (
        f"* 16 + {code}",
        f"@.{column}",
        "NULL",
        f"'{kind}'",
        "@.id",
        "@.id",
        _nonempty(f"@.{column}"),
    )


# The index rows of each table, one per tuple: rowid (after ``@.id``), body, digits, kind,
# item_id, contact_id, condition; ``@`` is the source row (NEW in a trigger).
PARTS: dict[str, list[tuple[str, ...]]] = {
    "contact": [
        ("* 16", _name("@"), "NULL", "'name'", "@.id", "@.id", "1"),
        _field(1, "nickname", "nickname"),
        _field(2, "organization", "organization"),
        _field(3, "how_met", "how_met"),
    ],
    "contact_method": [
        (
            "* 16 + 4",
            "@.value",
            "NULL",
            "'email'",
            "@.id",
            "@.contact_id",
            f"@.kind = 'email' AND {_nonempty('@.value')}",
        ),
        (
            "* 16 + 5",
            "@.value",
            f"CASE WHEN d <> '' THEN {_suffixes('d')} END",
            "'phone'",
            "@.id",
            "@.contact_id",
            f"@.kind = 'phone' AND {_nonempty('@.value')}",
        ),
    ],
    "note": [("* 16 + 6", "@.body", "NULL", "'note'", "@.id", "@.contact_id", _nonempty("@.body"))],
    "interaction": [
        ("* 16 + 7", "@.summary", "NULL", "'interaction'", "@.id", "NULL", _nonempty("@.summary"))
    ],
    "important_date": [
        (
            "* 16 + 8",
            "@.label",
            "NULL",
            "'date_label'",
            "@.id",
            "@.contact_id",
            _nonempty("@.label"),
        )
    ],
}
# the columns whose change rewrites a row's index rows
WATCHED = {
    "contact": ("display_name", "given_name", "family_name", "nickname", "organization", "how_met"),
    "contact_method": ("kind", "value", "contact_id"),
    "note": ("body", "contact_id"),
    "interaction": ("summary",),
    "important_date": ("label", "contact_id"),
}
RANGES = {
    "contact": ("* 16", "* 16 + 3"),
    "contact_method": ("* 16 + 4", "* 16 + 5"),
    "note": ("* 16 + 6", "* 16 + 6"),
    "interaction": ("* 16 + 7", "* 16 + 7"),
    "important_date": ("* 16 + 8", "* 16 + 8"),
}
DIGITS_OF_NEW = f"(SELECT {_digits('NEW.value')} AS d)"
DIGITS_OF_ALL = f"(SELECT *, {_digits('value')} AS d FROM contact_method)"

CREATE_TABLE = (
    "CREATE VIRTUAL TABLE search_index USING fts5(body, digits, kind UNINDEXED,"
    " item_id UNINDEXED, contact_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
)


def _select(part: tuple[str, ...], row: str, source: str | None) -> str:
    rowid, *values, condition = (p.replace("@.", f"{row}.") for p in part)
    columns = ", ".join([f"{row}.id {rowid}", *values])
    where = "" if condition == "1" else f" WHERE {condition}"
    return f"SELECT {columns}{f' FROM {source}' if source else ''}{where}"


def _trigger_insert(table: str) -> str:
    source = DIGITS_OF_NEW if table == "contact_method" else None
    rows = " UNION ALL ".join(_select(p, "NEW", source) for p in PARTS[table])
    return f"INSERT INTO search_index ({COLUMNS}) {rows};"


def _delete(table: str) -> str:
    low, high = RANGES[table]
    return f"DELETE FROM search_index WHERE rowid BETWEEN OLD.id {low} AND OLD.id {high};"


def triggers() -> dict[str, str]:
    out = {}
    for table, columns in WATCHED.items():
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
        out[f"tr_search_{table}_insert"] = (
            f"AFTER INSERT ON {table} BEGIN {_trigger_insert(table)} END"
        )
        out[f"tr_search_{table}_update"] = (
            f"AFTER UPDATE OF {', '.join(columns)} ON {table} WHEN {changed}"
            f" BEGIN {_delete(table)} {_trigger_insert(table)} END"
        )
        out[f"tr_search_{table}_delete"] = f"AFTER DELETE ON {table} BEGIN {_delete(table)} END"
    return out


def fill() -> list[str]:
    """The statements that index every existing row."""
    out = []
    for table, parts in PARTS.items():
        source = DIGITS_OF_ALL if table == "contact_method" else table
        for part in parts:
            out.append(
                f"INSERT INTO search_index ({COLUMNS}) {_select(part, 'src', f'{source} AS src')}"
            )
    return out


def upgrade() -> None:
    op.execute(CREATE_TABLE)
    for statement in fill():
        op.execute(statement)
    for name, body in triggers().items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in triggers():
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE search_index")
