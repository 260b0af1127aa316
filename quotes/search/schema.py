"""The full-text search objects in the database, one set per vendor, and the hook that keeps
SQLite's alive. Migration 0002_search_and_curator_group runs `forwards` and `backwards`;
quotes/apps.py connects `ensure_sqlite_fts` to post_migrate. This module imports nothing from
the app, so it can move with the search code.

PostgreSQL: the pg_trgm extension; a stored, weighted tsvector column `search_document` on
quotes_quote (quote words A, speaker name and description B, organisation C) kept current by
triggers, with the GIN index `quote_search_document_gin`.

SQLite: an FTS5 table `quote_fts` (rowid = quote id) kept current by triggers, ranked with bm25.

Other databases get nothing here and fall back to substring search in quotes/search/backend.py.

Why this is SQL and not model state:

- `search_document` is not a Django field on purpose: it is written only by the database and
  read only by quotes/search/ (through `search_document()`, an expression on the base
  table), so the ORM never loads the tsvector. A model field would be loaded by every
  ordinary query, select_related and the history model, and would add a column on SQLite.
- `quote_search_document_gin` indexes that column, which the model state does not know, so
  Django cannot declare it (an index may only name model fields).
- The FTS5 table and all triggers have no Django equivalent.

The trigram indexes on speaker and alias names (`speaker_name_trgm`, `speakeralias_name_trgm`)
and the article order indexes are declared in the models' Meta.indexes instead (PostgreSQL-only
and NULLS LAST index classes in quotes/models.py); they need the pg_trgm extension created here
first.
"""
from django.db import connections

PG_FORWARD = r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE quotes_quote ADD COLUMN search_document tsvector;

CREATE OR REPLACE FUNCTION quotes_quote_search_document() RETURNS trigger AS $$
BEGIN
  NEW.search_document :=
    setweight(to_tsvector('english', coalesce(NEW.text, '')), 'A') ||
    setweight(to_tsvector('english',
      coalesce((SELECT name FROM quotes_speaker WHERE id = NEW.speaker_id), '') || ' ' ||
      coalesce(NEW.speaker_description, '')), 'B') ||
    setweight(to_tsvector('english',
      coalesce((SELECT name FROM quotes_organisation WHERE id = NEW.organisation_id), '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER quotes_quote_search_document_trg
  BEFORE INSERT OR UPDATE OF text, speaker_id, speaker_description, organisation_id ON quotes_quote
  FOR EACH ROW EXECUTE FUNCTION quotes_quote_search_document();

CREATE OR REPLACE FUNCTION quotes_speaker_renamed() RETURNS trigger AS $$
BEGIN
  UPDATE quotes_quote SET speaker_id = speaker_id WHERE speaker_id = NEW.id;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER quotes_speaker_renamed_trg
  AFTER UPDATE OF name ON quotes_speaker
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION quotes_speaker_renamed();

CREATE OR REPLACE FUNCTION quotes_organisation_renamed() RETURNS trigger AS $$
BEGIN
  UPDATE quotes_quote SET organisation_id = organisation_id WHERE organisation_id = NEW.id;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER quotes_organisation_renamed_trg
  AFTER UPDATE OF name ON quotes_organisation
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
  EXECUTE FUNCTION quotes_organisation_renamed();

UPDATE quotes_quote SET text = text;
CREATE INDEX quote_search_document_gin ON quotes_quote USING GIN (search_document);
"""

# The extension stays (as it always has): other objects or apps in the database may use it.
PG_BACKWARD = r"""
DROP INDEX IF EXISTS quote_search_document_gin;
DROP TRIGGER IF EXISTS quotes_organisation_renamed_trg ON quotes_organisation;
DROP TRIGGER IF EXISTS quotes_speaker_renamed_trg ON quotes_speaker;
DROP TRIGGER IF EXISTS quotes_quote_search_document_trg ON quotes_quote;
DROP FUNCTION IF EXISTS quotes_organisation_renamed();
DROP FUNCTION IF EXISTS quotes_speaker_renamed();
DROP FUNCTION IF EXISTS quotes_quote_search_document();
ALTER TABLE quotes_quote DROP COLUMN IF EXISTS search_document;
"""

# One statement per list item: SQLite's executescript is not used so triggers stay intact.
SQLITE_ROW = """
  NEW.id, NEW.text,
  coalesce((SELECT name FROM quotes_speaker WHERE id = NEW.speaker_id), ''),
  coalesce((SELECT name FROM quotes_organisation WHERE id = NEW.organisation_id), ''),
  coalesce(NEW.speaker_description, '')
"""
SQLITE_CREATE_TABLE = (
    "CREATE VIRTUAL TABLE quote_fts USING fts5("
    "text, speaker, organisation, description, tokenize = 'porter unicode61 remove_diacritics 2')"
)
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER quote_fts_ai AFTER INSERT ON quotes_quote BEGIN
      INSERT INTO quote_fts(rowid, text, speaker, organisation, description) VALUES ({SQLITE_ROW});
    END""",
    f"""CREATE TRIGGER quote_fts_au AFTER UPDATE OF text, speaker_id, speaker_description, organisation_id
    ON quotes_quote BEGIN
      DELETE FROM quote_fts WHERE rowid = OLD.id;
      INSERT INTO quote_fts(rowid, text, speaker, organisation, description) VALUES ({SQLITE_ROW});
    END""",
    """CREATE TRIGGER quote_fts_ad AFTER DELETE ON quotes_quote BEGIN
      DELETE FROM quote_fts WHERE rowid = OLD.id;
    END""",
    """CREATE TRIGGER quote_fts_speaker_au AFTER UPDATE OF name ON quotes_speaker BEGIN
      UPDATE quote_fts SET speaker = NEW.name
      WHERE rowid IN (SELECT id FROM quotes_quote WHERE speaker_id = NEW.id);
    END""",
    """CREATE TRIGGER quote_fts_organisation_au AFTER UPDATE OF name ON quotes_organisation BEGIN
      UPDATE quote_fts SET organisation = NEW.name
      WHERE rowid IN (SELECT id FROM quotes_quote WHERE organisation_id = NEW.id);
    END""",
]
SQLITE_REINDEX = f"""INSERT INTO quote_fts(rowid, text, speaker, organisation, description)
    SELECT {SQLITE_ROW.replace('NEW.', 'q.')} FROM quotes_quote q"""
SQLITE_FORWARD = [SQLITE_CREATE_TABLE, *SQLITE_TRIGGERS, SQLITE_REINDEX]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS quote_fts_organisation_au",
    "DROP TRIGGER IF EXISTS quote_fts_speaker_au",
    "DROP TRIGGER IF EXISTS quote_fts_ad",
    "DROP TRIGGER IF EXISTS quote_fts_au",
    "DROP TRIGGER IF EXISTS quote_fts_ai",
    "DROP TABLE IF EXISTS quote_fts",
]

# Names a test (or an operator) can look for after migrating.
PG_INDEXES = ("quote_search_document_gin", "speaker_name_trgm", "speakeralias_name_trgm")
PG_TRIGGERS = ("quotes_quote_search_document_trg", "quotes_speaker_renamed_trg", "quotes_organisation_renamed_trg")
SQLITE_TABLE = "quote_fts"
SQLITE_TRIGGER_NAMES = ("quote_fts_ai", "quote_fts_au", "quote_fts_ad", "quote_fts_speaker_au", "quote_fts_organisation_au")


def _run(schema_editor, postgres_sql: str, sqlite_statements: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres_sql)
    elif vendor == "sqlite":
        for statement in sqlite_statements:
            schema_editor.execute(statement)


def forwards(apps, schema_editor) -> None:
    """RunPython forward: create the search objects of the current database."""
    _run(schema_editor, PG_FORWARD, SQLITE_FORWARD)


def backwards(apps, schema_editor) -> None:
    """RunPython backward: drop them (the pg_trgm extension stays)."""
    _run(schema_editor, PG_BACKWARD, SQLITE_BACKWARD)


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
        for statement in SQLITE_TRIGGERS:
            cursor.execute(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))
        cursor.execute("DELETE FROM quote_fts")
        cursor.execute(SQLITE_REINDEX)
