"""search index: an organisation's units are searched with its name

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 05:00:00

A card's ORG is the organisation and its units (``ORG:Acme;Engineering;Tools``); lrm keeps
the units in ``contact.org_units`` (a JSON array, migration 0009) but indexed only the name,
so ``lrm search engineering`` found nobody. The index row of kind ``organization`` (rowid
``id * 16 + 2``) now holds the name and the units, space-separated, and a change of the
units re-indexes the contact. The contact's three search triggers are re-created (the
same statements as ``lrm_cli/store/search.py`` builds, which tests/test_search.py holds
equal), and the rows of the contacts with units re-indexed.

This file is frozen.
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMNS = "rowid, body, digits, kind, item_id, contact_id"

# the contact's triggers as migration 0006 made them
BEFORE = {
    "tr_search_contact_insert": (
        "AFTER INSERT ON contact BEGIN INSERT INTO search_index (rowid, body, digits, kin"
        "d, item_id, contact_id) SELECT NEW.id * 16, NEW.display_name || CASE WHEN coales"
        "ce(NEW.given_name, '') <> '' AND instr(lower(NEW.display_name), lower(NEW.given_"
        "name)) = 0 THEN ' ' || NEW.given_name ELSE '' END || CASE WHEN coalesce(NEW.fami"
        "ly_name, '') <> '' AND instr(lower(NEW.display_name), lower(NEW.family_name)) = "
        "0 THEN ' ' || NEW.family_name ELSE '' END, NULL, 'name', NEW.id, NEW.id UNION AL"
        "L SELECT NEW.id * 16 + 1, NEW.nickname, NULL, 'nickname', NEW.id, NEW.id WHERE c"
        "oalesce(NEW.nickname, '') <> '' UNION ALL SELECT NEW.id * 16 + 2, NEW.organizati"
        "on, NULL, 'organization', NEW.id, NEW.id WHERE coalesce(NEW.organization, '') <>"
        " '' UNION ALL SELECT NEW.id * 16 + 3, NEW.how_met, NULL, 'how_met', NEW.id, NEW."
        "id WHERE coalesce(NEW.how_met, '') <> ''; END"
    ),
    "tr_search_contact_update": (
        "AFTER UPDATE OF display_name, given_name, family_name, nickname, organization, h"
        "ow_met ON contact WHEN OLD.display_name IS NOT NEW.display_name OR OLD.given_nam"
        "e IS NOT NEW.given_name OR OLD.family_name IS NOT NEW.family_name OR OLD.nicknam"
        "e IS NOT NEW.nickname OR OLD.organization IS NOT NEW.organization OR OLD.how_met"
        " IS NOT NEW.how_met BEGIN DELETE FROM search_index WHERE rowid BETWEEN OLD.id * "
        "16 AND OLD.id * 16 + 3; INSERT INTO search_index (rowid, body, digits, kind, ite"
        "m_id, contact_id) SELECT NEW.id * 16, NEW.display_name || CASE WHEN coalesce(NEW"
        ".given_name, '') <> '' AND instr(lower(NEW.display_name), lower(NEW.given_name))"
        " = 0 THEN ' ' || NEW.given_name ELSE '' END || CASE WHEN coalesce(NEW.family_nam"
        "e, '') <> '' AND instr(lower(NEW.display_name), lower(NEW.family_name)) = 0 THEN"
        " ' ' || NEW.family_name ELSE '' END, NULL, 'name', NEW.id, NEW.id UNION ALL SELE"
        "CT NEW.id * 16 + 1, NEW.nickname, NULL, 'nickname', NEW.id, NEW.id WHERE coalesc"
        "e(NEW.nickname, '') <> '' UNION ALL SELECT NEW.id * 16 + 2, NEW.organization, NU"
        "LL, 'organization', NEW.id, NEW.id WHERE coalesce(NEW.organization, '') <> '' UN"
        "ION ALL SELECT NEW.id * 16 + 3, NEW.how_met, NULL, 'how_met', NEW.id, NEW.id WHE"
        "RE coalesce(NEW.how_met, '') <> ''; END"
    ),
    "tr_search_contact_delete": (
        "AFTER DELETE ON contact BEGIN DELETE FROM search_index WHERE rowid BETWEEN OLD.i"
        "d * 16 AND OLD.id * 16 + 3; END"
    ),
}

# ...and as this revision makes them
TRIGGERS = {
    "tr_search_contact_insert": (
        "AFTER INSERT ON contact BEGIN INSERT INTO search_index (rowid, body, digits, kin"
        "d, item_id, contact_id) SELECT NEW.id * 16, NEW.display_name || CASE WHEN coales"
        "ce(NEW.given_name, '') <> '' AND instr(lower(NEW.display_name), lower(NEW.given_"
        "name)) = 0 THEN ' ' || NEW.given_name ELSE '' END || CASE WHEN coalesce(NEW.fami"
        "ly_name, '') <> '' AND instr(lower(NEW.display_name), lower(NEW.family_name)) = "
        "0 THEN ' ' || NEW.family_name ELSE '' END, NULL, 'name', NEW.id, NEW.id UNION AL"
        "L SELECT NEW.id * 16 + 1, NEW.nickname, NULL, 'nickname', NEW.id, NEW.id WHERE c"
        "oalesce(NEW.nickname, '') <> '' UNION ALL SELECT NEW.id * 16 + 2, trim(coalesce("
        "NEW.organization, '') || ' ' || coalesce((SELECT group_concat(value, ' ') FROM j"
        "son_each(CASE WHEN json_valid(NEW.org_units) THEN NEW.org_units END)), '')), NUL"
        "L, 'organization', NEW.id, NEW.id WHERE trim(coalesce(NEW.organization, '') || '"
        " ' || coalesce((SELECT group_concat(value, ' ') FROM json_each(CASE WHEN json_va"
        "lid(NEW.org_units) THEN NEW.org_units END)), '')) <> '' UNION ALL SELECT NEW.id "
        "* 16 + 3, NEW.how_met, NULL, 'how_met', NEW.id, NEW.id WHERE coalesce(NEW.how_me"
        "t, '') <> ''; END"
    ),
    "tr_search_contact_update": (
        "AFTER UPDATE OF display_name, given_name, family_name, nickname, organization, o"
        "rg_units, how_met ON contact WHEN OLD.display_name IS NOT NEW.display_name OR OL"
        "D.given_name IS NOT NEW.given_name OR OLD.family_name IS NOT NEW.family_name OR "
        "OLD.nickname IS NOT NEW.nickname OR OLD.organization IS NOT NEW.organization OR "
        "OLD.org_units IS NOT NEW.org_units OR OLD.how_met IS NOT NEW.how_met BEGIN DELET"
        "E FROM search_index WHERE rowid BETWEEN OLD.id * 16 AND OLD.id * 16 + 3; INSERT "
        "INTO search_index (rowid, body, digits, kind, item_id, contact_id) SELECT NEW.id"
        " * 16, NEW.display_name || CASE WHEN coalesce(NEW.given_name, '') <> '' AND inst"
        "r(lower(NEW.display_name), lower(NEW.given_name)) = 0 THEN ' ' || NEW.given_name"
        " ELSE '' END || CASE WHEN coalesce(NEW.family_name, '') <> '' AND instr(lower(NE"
        "W.display_name), lower(NEW.family_name)) = 0 THEN ' ' || NEW.family_name ELSE ''"
        " END, NULL, 'name', NEW.id, NEW.id UNION ALL SELECT NEW.id * 16 + 1, NEW.nicknam"
        "e, NULL, 'nickname', NEW.id, NEW.id WHERE coalesce(NEW.nickname, '') <> '' UNION"
        " ALL SELECT NEW.id * 16 + 2, trim(coalesce(NEW.organization, '') || ' ' || coale"
        "sce((SELECT group_concat(value, ' ') FROM json_each(CASE WHEN json_valid(NEW.org"
        "_units) THEN NEW.org_units END)), '')), NULL, 'organization', NEW.id, NEW.id WHE"
        "RE trim(coalesce(NEW.organization, '') || ' ' || coalesce((SELECT group_concat(v"
        "alue, ' ') FROM json_each(CASE WHEN json_valid(NEW.org_units) THEN NEW.org_units"
        " END)), '')) <> '' UNION ALL SELECT NEW.id * 16 + 3, NEW.how_met, NULL, 'how_met"
        "', NEW.id, NEW.id WHERE coalesce(NEW.how_met, '') <> ''; END"
    ),
    "tr_search_contact_delete": (
        "AFTER DELETE ON contact BEGIN DELETE FROM search_index WHERE rowid BETWEEN OLD.i"
        "d * 16 AND OLD.id * 16 + 3; END"
    ),
}

BODY = (
    "trim(coalesce(src.organization, '') || ' ' || coalesce((SELECT group_concat(valu"
    "e, ' ') FROM json_each(CASE WHEN json_valid(src.org_units) THEN src.org_units EN"
    "D)), ''))"
)
"""The organization row's text of the contact ``src``: its name and its units."""


def _reindex(body: str) -> None:
    """The organization rows of the contacts with units, written again with ``body``."""
    with_units = "coalesce(src.org_units, '') NOT IN ('', '[]')"
    op.execute(
        "DELETE FROM search_index WHERE rowid IN "
        f"(SELECT src.id * 16 + 2 FROM contact AS src WHERE {with_units})"
    )
    op.execute(
        f"INSERT INTO search_index ({COLUMNS}) SELECT src.id * 16 + 2, {body}, NULL,"
        f" 'organization', src.id, src.id FROM contact AS src WHERE {with_units}"
        f" AND {body} <> ''"
    )


def _create(triggers: dict[str, str]) -> None:
    for name, sql in triggers.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"CREATE TRIGGER {name} {sql}")


def upgrade() -> None:
    _create(TRIGGERS)
    _reindex(BODY)


def downgrade() -> None:
    _create(BEFORE)
    _reindex("src.organization")
