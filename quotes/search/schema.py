"""The database objects of full-text search, kept alive (see migration 0002_search)."""
from __future__ import annotations

import importlib

from django.db import connections


def ensure_sqlite_fts(using: str = "default", **kwargs) -> None:
    """Recreate the FTS triggers (and reindex) after a migration rebuilt quotes_quote.

    SQLite migrations that add a NOT NULL column copy the table and drop the old one, which
    drops its triggers; this post_migrate hook puts them back so search stays current.
    """
    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name IN ('quote_fts', 'quote_fts_ai')")
        present = {row[0] for row in cursor.fetchall()}
        if "quote_fts" not in present or "quote_fts_ai" in present:
            return
        migration = importlib.import_module("quotes.migrations.0002_search")
        for statement in migration.SQLITE_FORWARD[1:]:
            if statement.lstrip().startswith("CREATE TRIGGER"):
                cursor.execute(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))
        cursor.execute("DELETE FROM quote_fts")
        cursor.execute(migration.SQLITE_FORWARD[-1])
