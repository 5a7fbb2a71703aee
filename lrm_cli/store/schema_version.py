"""The Alembic head this code expects, kept as a constant so the start-up check is one
SELECT and never imports Alembic (tests/test_migrations.py asserts it equals the head)."""

HEAD_REVISION = "0024"
