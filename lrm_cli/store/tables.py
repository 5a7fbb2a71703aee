"""The tables that hold the user's data: what `export json` writes and `lrm undo`
journals (derived tables such as contact_stats and the search index are rebuilt from
these). A module of its own so that every write can name them without importing the
exporter."""

DATA_TABLES = (
    "contact",
    "contact_method",
    "tag",
    "contact_tag",
    "relationship",
    "important_date",
    "interaction",
    "interaction_participant",
    "note",
    "reminder",
    "contact_alias",
)
