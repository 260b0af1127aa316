"""Curation: `Speaker.curated`, and the `curator` group with exactly what curation needs.

`Speaker.curated` protects a curator's edits of a speaker's name, role and organisation from
being overwritten by the next ingest that mentions the speaker (as `Quote.curated` does for
quotes).

Curators review quotes and reader reports, fix speakers and organisations (including merges,
which need only "change"), and add or re-extract articles. They delete nothing: a wrong quote
is rejected, not deleted, so the decision is kept. Alias rows are the exception, because a
wrong alias attached by the extractor must be removable.
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

CURATED_HELP = "A curator edited name, role or organisation; ingest no longer overwrites them"
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
        migrations.AddField(
            model_name="historicalspeaker",
            name="curated",
            field=models.BooleanField(default=False, help_text=CURATED_HELP),
        ),
        migrations.AddField(
            model_name="speaker",
            name="curated",
            field=models.BooleanField(default=False, help_text=CURATED_HELP),
        ),
        migrations.RunPython(create_curator_group, delete_curator_group),
    ]
