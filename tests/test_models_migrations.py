"""The migration history: models and migrations agree, and a migrated database holds what the
models cannot declare (the search objects of quotes/search/schema.py, the order and trigram
indexes in their per-database form, the curator group).

The test database is built by running the migrations, so these tests look at a freshly
migrated database of the vendor the suite runs on. The curator group's policy (no auth
permissions, no deleting quotes) is tested in test_admin.py; here it is the migration's own
CURATOR_PERMISSIONS, exactly.
"""
import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from quotes.search import schema as search_schema

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def curator_permissions() -> dict[str, list[str]]:
    """CURATOR_PERMISSIONS of the migration that creates the group, found without importing
    a migration module by name."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = [
        sys.modules[migration.__module__].CURATOR_PERMISSIONS
        for (app, _), migration in loader.disk_migrations.items()
        if app == "quotes" and hasattr(sys.modules[migration.__module__], "CURATOR_PERMISSIONS")
    ]
    assert len(found) == 1, "one quotes migration defines CURATOR_PERMISSIONS"
    return found[0]


def test_models_and_migrations_agree():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"makemigrations --check found model changes without a migration:\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()


def test_history_is_linear_from_0001():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    nodes = sorted(name for app, name in loader.disk_migrations if app == "quotes")
    assert nodes[0] == "0001_initial"
    assert len(loader.graph.leaf_nodes("quotes")) == 1
    for name in nodes:
        migration = loader.disk_migrations["quotes", name]
        parents = [dep for dep in migration.dependencies if dep[0] == "quotes"]
        assert len(parents) <= 1, f"{name} is a merge migration"
        assert migration.operations, f"{name} is empty"


def test_curator_group_has_exactly_the_migrations_permissions():
    from django.contrib.auth.models import Group

    expected = {f"{action}_{model}" for model, actions in curator_permissions().items() for action in actions}
    perms = Group.objects.get(name="curator").permissions.all()
    assert {(p.content_type.app_label, p.codename) for p in perms} == {("quotes", c) for c in expected}


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_search_objects_exist():
    objects = dict(rows("SELECT name, type FROM sqlite_master WHERE name LIKE 'quote_fts%'"))
    assert objects[search_schema.SQLITE_TABLE] == "table"
    for trigger in search_schema.SQLITE_TRIGGER_NAMES:
        assert objects.get(trigger) == "trigger", trigger
    (fts_sql,) = rows("SELECT sql FROM sqlite_master WHERE name = 'quote_fts'")[0]
    assert "fts5" in fts_sql and "porter unicode61 remove_diacritics 2" in fts_sql


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_indexes_are_the_plain_forms():
    indexes = dict(rows("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"))
    assert indexes["article_newest_idx"].endswith('("published" DESC, "id" DESC)')
    assert indexes["article_oldest_idx"].endswith('("published", "id")')
    assert "speaker_name_trgm" not in indexes and "speakeralias_name_trgm" not in indexes


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_search_objects_exist():
    assert rows("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
    assert rows(
        "SELECT udt_name FROM information_schema.columns "
        "WHERE table_name = 'quotes_quote' AND column_name = 'search_document'"
    ) == [("tsvector",)]
    indexes = dict(rows("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"))
    for name in search_schema.PG_INDEXES:
        assert "USING gin" in indexes.get(name, ""), name
    assert indexes["quote_search_document_gin"].endswith("(search_document)")
    assert indexes["speaker_name_trgm"].endswith("(name gin_trgm_ops)")
    assert indexes["speakeralias_name_trgm"].endswith("(name gin_trgm_ops)")
    triggers = {name for (name,) in rows("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
    assert set(search_schema.PG_TRIGGERS) <= triggers


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_article_order_indexes_sort_nulls_last():
    indexes = dict(rows("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'quotes_article'"))
    assert indexes["article_newest_idx"].endswith("(published DESC NULLS LAST, id DESC)")
    # ASC NULLS LAST is PostgreSQL's default, which it shows as the plain column order.
    assert indexes["article_oldest_idx"].endswith("(published, id)")


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_migrates_down_to_zero_and_back(tmp_path):
    """A file database of its own: migrate, unapply every quotes migration, migrate again."""
    path = tmp_path / "zero.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}"}

    def manage(*args):
        subprocess.run([sys.executable, "manage.py", *args, "-v0"], cwd=ROOT, env=env, check=True)

    def schema():
        with sqlite3.connect(path) as db:
            return db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()

    manage("migrate")
    migrated = schema()
    manage("migrate", "quotes", "zero")
    assert not [name for _, name, _ in schema() if name.startswith(("quotes_", "quote_fts"))]
    manage("migrate")
    assert schema() == migrated
