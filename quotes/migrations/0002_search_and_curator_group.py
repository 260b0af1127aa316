"""What the models cannot declare: the search objects, and the `curator` group.

Search (the SQL and why it is SQL: quotes/search/schema.py): on PostgreSQL the pg_trgm
extension, the `search_document` tsvector column with its triggers and GIN index; on SQLite the
FTS5 table `quote_fts` with its triggers. Then the trigram GIN indexes on speaker and alias
names, declared in the models (PostgreSQL only) and added here because they need pg_trgm.

Curators review quotes and reader reports, fix speakers and organisations (including merges,
which need only "change"), and add or re-extract articles. They delete nothing: a wrong quote
is rejected, not deleted, so the decision is kept. Alias rows are the exception, because a
wrong alias attached by the extractor must be removable.
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations

import quotes.indexes
from quotes.search import schema as search_schema

CURATOR_GROUP = "curator"
CURATOR_PERMISSIONS = {
    "quote": ["view", "change"],
    "quotereport": ["view", "change"],
    "speaker": ["view", "add", "change"],
    "speakeralias": ["view", "add", "change", "delete"],
    "speakerappearance": ["view"],
    "organisation": ["view", "add", "change"],
    "organisationalias": ["view", "add", "change", "delete"],
    "article": ["view", "add", "change"],
}


def create_curator_group(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=CURATOR_GROUP)
    codenames = [f"{action}_{model}" for model, actions in CURATOR_PERMISSIONS.items() for action in actions]
    perms = list(Permission.objects.filter(content_type__app_label="quotes", codename__in=codenames))
    missing = set(codenames) - {p.codename for p in perms}
    if missing:
        raise RuntimeError(f"permissions not found: {sorted(missing)}")
    group.permissions.set(perms)


def delete_curator_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CURATOR_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("quotes", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(search_schema.forwards, search_schema.backwards),
        migrations.AddIndex(
            model_name="speaker",
            index=quotes.indexes.PostgreSQLGinIndex(
                fields=["name"], name="speaker_name_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.AddIndex(
            model_name="speakeralias",
            index=quotes.indexes.PostgreSQLGinIndex(
                fields=["name"], name="speakeralias_name_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.RunPython(create_curator_group, delete_curator_group),
    ]
