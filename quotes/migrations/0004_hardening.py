"""Organisation alias keys become globally unique (race-safe organisation resolution).

Existing duplicates (the same key on two organisations) are removed first, keeping the oldest
alias: the organisation itself keeps its name, only the second alias row goes.
"""
from django.db import migrations, models


def drop_duplicate_alias_keys(apps, schema_editor):
    OrganisationAlias = apps.get_model("quotes", "OrganisationAlias")
    seen = set()
    duplicates = []
    for pk, key in OrganisationAlias.objects.order_by("id").values_list("id", "key"):
        if key in seen:
            duplicates.append(pk)
        seen.add(key)
    OrganisationAlias.objects.filter(pk__in=duplicates).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("quotes", "0003_merge_0002_curation_0002_statement_keys"),
    ]

    operations = [
        migrations.RunPython(drop_duplicate_alias_keys, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="organisationalias", name="uniq_org_alias_key"),
        migrations.AddConstraint(
            model_name="organisationalias",
            constraint=models.UniqueConstraint(fields=["key"], name="uniq_org_alias_key_global"),
        ),
    ]
