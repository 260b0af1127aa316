"""Indexes for every filter and sort the pages offer.

Already indexed: published and outlet on articles (0001); kind, status, confidence, speaker,
organisation, statement group, text/lead keys on quotes; the search document (0002_search).

Added here:
- a quote's speaker or organisation with its article, for speaker and organisation pages
  (filter by one, join and order by the article);
- the article order of the quote lists, newest (published DESC NULLS LAST, id DESC) and
  oldest (published ASC NULLS LAST, id ASC): the lists order by article, so a page of the
  newest quotes walks this index instead of sorting every quote. The NULLS LAST form is
  PostgreSQL's; SQLite sorts NULL first ascending and has no NULLS clause in indexes, so it
  gets the plain column order.
"""
from django.db import migrations, models

PG_FORWARD = [
    "CREATE INDEX IF NOT EXISTS article_newest_idx ON quotes_article (published DESC NULLS LAST, id DESC)",
    "CREATE INDEX IF NOT EXISTS article_oldest_idx ON quotes_article (published ASC NULLS LAST, id ASC)",
]
SQLITE_FORWARD = [
    "CREATE INDEX IF NOT EXISTS article_newest_idx ON quotes_article (published DESC, id DESC)",
    "CREATE INDEX IF NOT EXISTS article_oldest_idx ON quotes_article (published, id)",
]
BACKWARD = ["DROP INDEX IF EXISTS article_newest_idx", "DROP INDEX IF EXISTS article_oldest_idx"]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor, []):
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor in ("postgresql", "sqlite"):
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("quotes", "0004_merge_search")]

    operations = [
        migrations.AddIndex(
            model_name="quote",
            index=models.Index(fields=["speaker", "article"], name="quote_speaker_article_idx"),
        ),
        migrations.AddIndex(
            model_name="quote",
            index=models.Index(fields=["organisation", "article"], name="quote_org_article_idx"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
