"""search index: postal addresses find their contact

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 09:00:00

``lrm search madrid`` found nobody whose address is in Madrid: a contact's postal
addresses had no index row. An address (kind ``address``, rowid ``id * 16 + 12``) now has
one, its one-line value (its parts joined by ", "): a town, a street or a postcode finds
who lives there. The three search triggers of ``contact_method`` are re-created (the same
statements as ``lrm_cli/store/search.py`` builds, which tests/test_search.py holds equal)
and the existing addresses indexed. A method's index rows stay two rowid ranges: 4-5, and
10-12 (was 10-11).

This file is frozen.
"""

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

COLUMNS = "rowid, body, digits, kind, item_id, contact_id"
CODE = 12

# contact_method's triggers as migration 0017 made them
BEFORE = {
    "tr_search_contact_method_insert": (
        "AFTER INSERT ON contact_method BEGIN INSERT INTO search_index (rowid, body, digi"
        "ts, kind, item_id, contact_id) SELECT NEW.id * 16 + 4, NEW.value, NULL, 'email',"
        " NEW.id, NEW.contact_id FROM (SELECT replace(replace(replace(replace(replace(rep"
        "lace(replace(replace(replace(NEW.value, ' ', ''), '+', ''), '-', ''), '(', ''), "
        "')', ''), '.', ''), '/', ''), char(9), ''), char(160), '') AS d) WHERE NEW.kind "
        "= 'email' AND coalesce(NEW.value, '') <> '' UNION ALL SELECT NEW.id * 16 + 5, NE"
        "W.value, CASE WHEN d <> '' THEN d || CASE WHEN length(d) >= 4 THEN ' ' || substr"
        "(d, 2, 19) ELSE '' END || CASE WHEN length(d) >= 5 THEN ' ' || substr(d, 3, 18) "
        "ELSE '' END || CASE WHEN length(d) >= 6 THEN ' ' || substr(d, 4, 17) ELSE '' END"
        " || CASE WHEN length(d) >= 7 THEN ' ' || substr(d, 5, 16) ELSE '' END || CASE WH"
        "EN length(d) >= 8 THEN ' ' || substr(d, 6, 15) ELSE '' END || CASE WHEN length(d"
        ") >= 9 THEN ' ' || substr(d, 7, 14) ELSE '' END || CASE WHEN length(d) >= 10 THE"
        "N ' ' || substr(d, 8, 13) ELSE '' END || CASE WHEN length(d) >= 11 THEN ' ' || s"
        "ubstr(d, 9, 12) ELSE '' END || CASE WHEN length(d) >= 12 THEN ' ' || substr(d, 1"
        "0, 11) ELSE '' END || CASE WHEN length(d) >= 13 THEN ' ' || substr(d, 11, 10) EL"
        "SE '' END || CASE WHEN length(d) >= 14 THEN ' ' || substr(d, 12, 9) ELSE '' END "
        "|| CASE WHEN length(d) >= 15 THEN ' ' || substr(d, 13, 8) ELSE '' END || CASE WH"
        "EN length(d) >= 16 THEN ' ' || substr(d, 14, 7) ELSE '' END || CASE WHEN length("
        "d) >= 17 THEN ' ' || substr(d, 15, 6) ELSE '' END || CASE WHEN length(d) >= 18 T"
        "HEN ' ' || substr(d, 16, 5) ELSE '' END || CASE WHEN length(d) >= 19 THEN ' ' ||"
        " substr(d, 17, 4) ELSE '' END || CASE WHEN length(d) >= 20 THEN ' ' || substr(d,"
        " 18, 3) ELSE '' END END, 'phone', NEW.id, NEW.contact_id FROM (SELECT replace(re"
        "place(replace(replace(replace(replace(replace(replace(replace(NEW.value, ' ', ''"
        "), '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), char(9), ''), cha"
        "r(160), '') AS d) WHERE NEW.kind = 'phone' AND coalesce(NEW.value, '') <> '' UNI"
        "ON ALL SELECT NEW.id * 16 + 10, NEW.value, NULL, 'social', NEW.id, NEW.contact_i"
        "d FROM (SELECT replace(replace(replace(replace(replace(replace(replace(replace(r"
        "eplace(NEW.value, ' ', ''), '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/"
        "', ''), char(9), ''), char(160), '') AS d) WHERE NEW.kind = 'social' AND coalesc"
        "e(NEW.value, '') <> '' UNION ALL SELECT NEW.id * 16 + 11, NEW.value, NULL, 'url'"
        ", NEW.id, NEW.contact_id FROM (SELECT replace(replace(replace(replace(replace(re"
        "place(replace(replace(replace(NEW.value, ' ', ''), '+', ''), '-', ''), '(', ''),"
        " ')', ''), '.', ''), '/', ''), char(9), ''), char(160), '') AS d) WHERE NEW.kind"
        " = 'url' AND coalesce(NEW.value, '') <> ''; END"
    ),
    "tr_search_contact_method_update": (
        "AFTER UPDATE OF kind, value, contact_id ON contact_method WHEN OLD.kind IS NOT N"
        "EW.kind OR OLD.value IS NOT NEW.value OR OLD.contact_id IS NOT NEW.contact_id BE"
        "GIN DELETE FROM search_index WHERE rowid BETWEEN OLD.id * 16 + 4 AND OLD.id * 16"
        " + 5; DELETE FROM search_index WHERE rowid BETWEEN OLD.id * 16 + 10 AND OLD.id *"
        " 16 + 11; INSERT INTO search_index (rowid, body, digits, kind, item_id, contact_"
        "id) SELECT NEW.id * 16 + 4, NEW.value, NULL, 'email', NEW.id, NEW.contact_id FRO"
        "M (SELECT replace(replace(replace(replace(replace(replace(replace(replace(replac"
        "e(NEW.value, ' ', ''), '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''"
        "), char(9), ''), char(160), '') AS d) WHERE NEW.kind = 'email' AND coalesce(NEW."
        "value, '') <> '' UNION ALL SELECT NEW.id * 16 + 5, NEW.value, CASE WHEN d <> '' "
        "THEN d || CASE WHEN length(d) >= 4 THEN ' ' || substr(d, 2, 19) ELSE '' END || C"
        "ASE WHEN length(d) >= 5 THEN ' ' || substr(d, 3, 18) ELSE '' END || CASE WHEN le"
        "ngth(d) >= 6 THEN ' ' || substr(d, 4, 17) ELSE '' END || CASE WHEN length(d) >= "
        "7 THEN ' ' || substr(d, 5, 16) ELSE '' END || CASE WHEN length(d) >= 8 THEN ' ' "
        "|| substr(d, 6, 15) ELSE '' END || CASE WHEN length(d) >= 9 THEN ' ' || substr(d"
        ", 7, 14) ELSE '' END || CASE WHEN length(d) >= 10 THEN ' ' || substr(d, 8, 13) E"
        "LSE '' END || CASE WHEN length(d) >= 11 THEN ' ' || substr(d, 9, 12) ELSE '' END"
        " || CASE WHEN length(d) >= 12 THEN ' ' || substr(d, 10, 11) ELSE '' END || CASE "
        "WHEN length(d) >= 13 THEN ' ' || substr(d, 11, 10) ELSE '' END || CASE WHEN leng"
        "th(d) >= 14 THEN ' ' || substr(d, 12, 9) ELSE '' END || CASE WHEN length(d) >= 1"
        "5 THEN ' ' || substr(d, 13, 8) ELSE '' END || CASE WHEN length(d) >= 16 THEN ' '"
        " || substr(d, 14, 7) ELSE '' END || CASE WHEN length(d) >= 17 THEN ' ' || substr"
        "(d, 15, 6) ELSE '' END || CASE WHEN length(d) >= 18 THEN ' ' || substr(d, 16, 5)"
        " ELSE '' END || CASE WHEN length(d) >= 19 THEN ' ' || substr(d, 17, 4) ELSE '' E"
        "ND || CASE WHEN length(d) >= 20 THEN ' ' || substr(d, 18, 3) ELSE '' END END, 'p"
        "hone', NEW.id, NEW.contact_id FROM (SELECT replace(replace(replace(replace(repla"
        "ce(replace(replace(replace(replace(NEW.value, ' ', ''), '+', ''), '-', ''), '(',"
        " ''), ')', ''), '.', ''), '/', ''), char(9), ''), char(160), '') AS d) WHERE NEW"
        ".kind = 'phone' AND coalesce(NEW.value, '') <> '' UNION ALL SELECT NEW.id * 16 +"
        " 10, NEW.value, NULL, 'social', NEW.id, NEW.contact_id FROM (SELECT replace(repl"
        "ace(replace(replace(replace(replace(replace(replace(replace(NEW.value, ' ', ''),"
        " '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), char(9), ''), char("
        "160), '') AS d) WHERE NEW.kind = 'social' AND coalesce(NEW.value, '') <> '' UNIO"
        "N ALL SELECT NEW.id * 16 + 11, NEW.value, NULL, 'url', NEW.id, NEW.contact_id FR"
        "OM (SELECT replace(replace(replace(replace(replace(replace(replace(replace(repla"
        "ce(NEW.value, ' ', ''), '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', '"
        "'), char(9), ''), char(160), '') AS d) WHERE NEW.kind = 'url' AND coalesce(NEW.v"
        "alue, '') <> ''; END"
    ),
    "tr_search_contact_method_delete": (
        "AFTER DELETE ON contact_method BEGIN DELETE FROM search_index WHERE rowid BETWEE"
        "N OLD.id * 16 + 4 AND OLD.id * 16 + 5; DELETE FROM search_index WHERE rowid BETW"
        "EEN OLD.id * 16 + 10 AND OLD.id * 16 + 11; END"
    ),
}

TRIGGERS = {
    "tr_search_contact_method_insert": (
        "AFTER INSERT ON contact_method BEGIN INSERT INTO search_index (rowid, body, digi"
        "ts, kind, item_id, contact_id) SELECT NEW.id * 16 + 4, NEW.value, NULL, 'email',"
        " NEW.id, NEW.contact_id FROM (SELECT replace(replace(replace(replace(replace(rep"
        "lace(replace(replace(replace(NEW.value, ' ', ''), '+', ''), '-', ''), '(', ''), "
        "')', ''), '.', ''), '/', ''), char(9), ''), char(160), '') AS d) WHERE NEW.kind "
        "= 'email' AND coalesce(NEW.value, '') <> '' UNION ALL SELECT NEW.id * 16 + 5, NE"
        "W.value, CASE WHEN d <> '' THEN d || CASE WHEN length(d) >= 4 THEN ' ' || substr"
        "(d, 2, 19) ELSE '' END || CASE WHEN length(d) >= 5 THEN ' ' || substr(d, 3, 18) "
        "ELSE '' END || CASE WHEN length(d) >= 6 THEN ' ' || substr(d, 4, 17) ELSE '' END"
        " || CASE WHEN length(d) >= 7 THEN ' ' || substr(d, 5, 16) ELSE '' END || CASE WH"
        "EN length(d) >= 8 THEN ' ' || substr(d, 6, 15) ELSE '' END || CASE WHEN length(d"
        ") >= 9 THEN ' ' || substr(d, 7, 14) ELSE '' END || CASE WHEN length(d) >= 10 THE"
        "N ' ' || substr(d, 8, 13) ELSE '' END || CASE WHEN length(d) >= 11 THEN ' ' || s"
        "ubstr(d, 9, 12) ELSE '' END || CASE WHEN length(d) >= 12 THEN ' ' || substr(d, 1"
        "0, 11) ELSE '' END || CASE WHEN length(d) >= 13 THEN ' ' || substr(d, 11, 10) EL"
        "SE '' END || CASE WHEN length(d) >= 14 THEN ' ' || substr(d, 12, 9) ELSE '' END "
        "|| CASE WHEN length(d) >= 15 THEN ' ' || substr(d, 13, 8) ELSE '' END || CASE WH"
        "EN length(d) >= 16 THEN ' ' || substr(d, 14, 7) ELSE '' END || CASE WHEN length("
        "d) >= 17 THEN ' ' || substr(d, 15, 6) ELSE '' END || CASE WHEN length(d) >= 18 T"
        "HEN ' ' || substr(d, 16, 5) ELSE '' END || CASE WHEN length(d) >= 19 THEN ' ' ||"
        " substr(d, 17, 4) ELSE '' END || CASE WHEN length(d) >= 20 THEN ' ' || substr(d,"
        " 18, 3) ELSE '' END END, 'phone', NEW.id, NEW.contact_id FROM (SELECT replace(re"
        "place(replace(replace(replace(replace(replace(replace(replace(NEW.value, ' ', ''"
        "), '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), char(9), ''), cha"
        "r(160), '') AS d) WHERE NEW.kind = 'phone' AND coalesce(NEW.value, '') <> '' UNI"
        "ON ALL SELECT NEW.id * 16 + 10, NEW.value, NULL, 'social', NEW.id, NEW.contact_i"
        "d FROM (SELECT replace(replace(replace(replace(replace(replace(replace(replace(r"
        "eplace(NEW.value, ' ', ''), '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/"
        "', ''), char(9), ''), char(160), '') AS d) WHERE NEW.kind = 'social' AND coalesc"
        "e(NEW.value, '') <> '' UNION ALL SELECT NEW.id * 16 + 11, NEW.value, NULL, 'url'"
        ", NEW.id, NEW.contact_id FROM (SELECT replace(replace(replace(replace(replace(re"
        "place(replace(replace(replace(NEW.value, ' ', ''), '+', ''), '-', ''), '(', ''),"
        " ')', ''), '.', ''), '/', ''), char(9), ''), char(160), '') AS d) WHERE NEW.kind"
        " = 'url' AND coalesce(NEW.value, '') <> '' UNION ALL SELECT NEW.id * 16 + 12, NE"
        "W.value, NULL, 'address', NEW.id, NEW.contact_id FROM (SELECT replace(replace(re"
        "place(replace(replace(replace(replace(replace(replace(NEW.value, ' ', ''), '+', "
        "''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), char(9), ''), char(160), "
        "'') AS d) WHERE NEW.kind = 'address' AND coalesce(NEW.value, '') <> ''; END"
    ),
    "tr_search_contact_method_update": (
        "AFTER UPDATE OF kind, value, contact_id ON contact_method WHEN OLD.kind IS NOT N"
        "EW.kind OR OLD.value IS NOT NEW.value OR OLD.contact_id IS NOT NEW.contact_id BE"
        "GIN DELETE FROM search_index WHERE rowid BETWEEN OLD.id * 16 + 4 AND OLD.id * 16"
        " + 5; DELETE FROM search_index WHERE rowid BETWEEN OLD.id * 16 + 10 AND OLD.id *"
        " 16 + 12; INSERT INTO search_index (rowid, body, digits, kind, item_id, contact_"
        "id) SELECT NEW.id * 16 + 4, NEW.value, NULL, 'email', NEW.id, NEW.contact_id FRO"
        "M (SELECT replace(replace(replace(replace(replace(replace(replace(replace(replac"
        "e(NEW.value, ' ', ''), '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''"
        "), char(9), ''), char(160), '') AS d) WHERE NEW.kind = 'email' AND coalesce(NEW."
        "value, '') <> '' UNION ALL SELECT NEW.id * 16 + 5, NEW.value, CASE WHEN d <> '' "
        "THEN d || CASE WHEN length(d) >= 4 THEN ' ' || substr(d, 2, 19) ELSE '' END || C"
        "ASE WHEN length(d) >= 5 THEN ' ' || substr(d, 3, 18) ELSE '' END || CASE WHEN le"
        "ngth(d) >= 6 THEN ' ' || substr(d, 4, 17) ELSE '' END || CASE WHEN length(d) >= "
        "7 THEN ' ' || substr(d, 5, 16) ELSE '' END || CASE WHEN length(d) >= 8 THEN ' ' "
        "|| substr(d, 6, 15) ELSE '' END || CASE WHEN length(d) >= 9 THEN ' ' || substr(d"
        ", 7, 14) ELSE '' END || CASE WHEN length(d) >= 10 THEN ' ' || substr(d, 8, 13) E"
        "LSE '' END || CASE WHEN length(d) >= 11 THEN ' ' || substr(d, 9, 12) ELSE '' END"
        " || CASE WHEN length(d) >= 12 THEN ' ' || substr(d, 10, 11) ELSE '' END || CASE "
        "WHEN length(d) >= 13 THEN ' ' || substr(d, 11, 10) ELSE '' END || CASE WHEN leng"
        "th(d) >= 14 THEN ' ' || substr(d, 12, 9) ELSE '' END || CASE WHEN length(d) >= 1"
        "5 THEN ' ' || substr(d, 13, 8) ELSE '' END || CASE WHEN length(d) >= 16 THEN ' '"
        " || substr(d, 14, 7) ELSE '' END || CASE WHEN length(d) >= 17 THEN ' ' || substr"
        "(d, 15, 6) ELSE '' END || CASE WHEN length(d) >= 18 THEN ' ' || substr(d, 16, 5)"
        " ELSE '' END || CASE WHEN length(d) >= 19 THEN ' ' || substr(d, 17, 4) ELSE '' E"
        "ND || CASE WHEN length(d) >= 20 THEN ' ' || substr(d, 18, 3) ELSE '' END END, 'p"
        "hone', NEW.id, NEW.contact_id FROM (SELECT replace(replace(replace(replace(repla"
        "ce(replace(replace(replace(replace(NEW.value, ' ', ''), '+', ''), '-', ''), '(',"
        " ''), ')', ''), '.', ''), '/', ''), char(9), ''), char(160), '') AS d) WHERE NEW"
        ".kind = 'phone' AND coalesce(NEW.value, '') <> '' UNION ALL SELECT NEW.id * 16 +"
        " 10, NEW.value, NULL, 'social', NEW.id, NEW.contact_id FROM (SELECT replace(repl"
        "ace(replace(replace(replace(replace(replace(replace(replace(NEW.value, ' ', ''),"
        " '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), char(9), ''), char("
        "160), '') AS d) WHERE NEW.kind = 'social' AND coalesce(NEW.value, '') <> '' UNIO"
        "N ALL SELECT NEW.id * 16 + 11, NEW.value, NULL, 'url', NEW.id, NEW.contact_id FR"
        "OM (SELECT replace(replace(replace(replace(replace(replace(replace(replace(repla"
        "ce(NEW.value, ' ', ''), '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', '"
        "'), char(9), ''), char(160), '') AS d) WHERE NEW.kind = 'url' AND coalesce(NEW.v"
        "alue, '') <> '' UNION ALL SELECT NEW.id * 16 + 12, NEW.value, NULL, 'address', N"
        "EW.id, NEW.contact_id FROM (SELECT replace(replace(replace(replace(replace(repla"
        "ce(replace(replace(replace(NEW.value, ' ', ''), '+', ''), '-', ''), '(', ''), ')"
        "', ''), '.', ''), '/', ''), char(9), ''), char(160), '') AS d) WHERE NEW.kind = "
        "'address' AND coalesce(NEW.value, '') <> ''; END"
    ),
    "tr_search_contact_method_delete": (
        "AFTER DELETE ON contact_method BEGIN DELETE FROM search_index WHERE rowid BETWEE"
        "N OLD.id * 16 + 4 AND OLD.id * 16 + 5; DELETE FROM search_index WHERE rowid BETW"
        "EEN OLD.id * 16 + 10 AND OLD.id * 16 + 12; END"
    ),
}


def _create(triggers: dict[str, str]) -> None:
    for name, sql in triggers.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"CREATE TRIGGER {name} {sql}")


def upgrade() -> None:
    _create(TRIGGERS)
    op.execute(
        f"INSERT INTO search_index ({COLUMNS}) SELECT id * 16 + {CODE}, value, NULL,"
        f" 'address', id, contact_id FROM contact_method"
        f" WHERE kind = 'address' AND coalesce(value, '') <> ''"
    )


def downgrade() -> None:
    op.execute(
        f"DELETE FROM search_index WHERE rowid IN (SELECT id * 16 + {CODE} FROM contact_method)"
    )
    _create(BEFORE)
