"""Full-text search objects, one set per database; no model field changes.

PostgreSQL: a stored, weighted tsvector column on quotes_quote (quote words A, speaker name and
description B, organisation C) kept current by triggers, with a GIN index; pg_trgm with
trigram GIN indexes on speaker and alias names for spelling-tolerant name search.

SQLite: an FTS5 table `quote_fts` (rowid = quote id) kept current by triggers, ranked with bm25.

The column and the FTS table are not Django fields on purpose: they are written only by the
database and read only by quotes/search.py, so the ORM never loads them.
"""
from django.db import migrations

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
CREATE INDEX speaker_name_trgm ON quotes_speaker USING GIN (name gin_trgm_ops);
CREATE INDEX speakeralias_name_trgm ON quotes_speakeralias USING GIN (name gin_trgm_ops);
"""

PG_BACKWARD = r"""
DROP INDEX IF EXISTS speakeralias_name_trgm;
DROP INDEX IF EXISTS speaker_name_trgm;
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
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE quote_fts USING fts5("
    "text, speaker, organisation, description, tokenize = 'porter unicode61 remove_diacritics 2')",
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
    f"""INSERT INTO quote_fts(rowid, text, speaker, organisation, description)
    SELECT {SQLITE_ROW.replace('NEW.', 'q.')} FROM quotes_quote q""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS quote_fts_organisation_au",
    "DROP TRIGGER IF EXISTS quote_fts_speaker_au",
    "DROP TRIGGER IF EXISTS quote_fts_ad",
    "DROP TRIGGER IF EXISTS quote_fts_au",
    "DROP TRIGGER IF EXISTS quote_fts_ai",
    "DROP TABLE IF EXISTS quote_fts",
]


def _run(schema_editor, postgres_sql, sqlite_statements):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres_sql)
    elif vendor == "sqlite":
        for statement in sqlite_statements:
            schema_editor.execute(statement)
    # Other databases fall back to substring search in quotes/search.py.


def forwards(apps, schema_editor):
    _run(schema_editor, PG_FORWARD, SQLITE_FORWARD)


def backwards(apps, schema_editor):
    _run(schema_editor, PG_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("quotes", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
