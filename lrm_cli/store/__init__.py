"""Storage: the only package that talks to SQLite.

Runtime reads *and* writes use the stdlib ``sqlite3`` driver (see ``db.py`` for why);
SQLModel describes the schema (``models.py``) and Alembic migrates it (``migrate.py``),
both imported only when a database has to be created or upgraded, and by the tests.
"""
