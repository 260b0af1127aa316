"""Index classes the models' Meta.indexes need because the index differs per database."""
import copy

from django.contrib.postgres.indexes import GinIndex
from django.db import models

class NullsLastIndex(models.Index):
    """A column index whose `nulls_last` columns sort NULLs last on PostgreSQL.

    `NullsLastIndex(fields=["-published", "-id"], nulls_last=["published"])` is
    `(published DESC NULLS LAST, id DESC)` on PostgreSQL and `(published DESC, id DESC)`
    elsewhere: SQLite has no NULLS clause in CREATE INDEX (it sorts NULL first ascending, so
    last descending). Django's expression form, `Index(F("published").desc(nulls_last=True))`,
    renders NULLS LAST on SQLite too, which SQLite rejects ("unsupported use of NULLS LAST").
    """

    def __init__(self, *expressions, nulls_last=(), **kwargs):
        super().__init__(*expressions, **kwargs)
        self.nulls_last = tuple(nulls_last)
        unknown = set(self.nulls_last) - {name for name, _ in self.fields_orders}
        if unknown:
            raise ValueError(f"NullsLastIndex.nulls_last names columns outside fields: {sorted(unknown)}")

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        if self.nulls_last:
            kwargs["nulls_last"] = self.nulls_last
        return path, args, kwargs

    def create_sql(self, model, schema_editor, using="", **kwargs):
        index = self
        if schema_editor.connection.vendor == "postgresql" and self.nulls_last:
            index = copy.copy(self)
            index.fields_orders = [
                (name, f"{order or 'ASC'} NULLS LAST" if name in self.nulls_last else order)
                for name, order in self.fields_orders
            ]
        return models.Index.create_sql(index, model, schema_editor, using=using, **kwargs)


class PostgreSQLGinIndex(GinIndex):
    """A GIN index that exists only on PostgreSQL (e.g. trigram name search with gin_trgm_ops,
    which needs the pg_trgm extension of migration 0002).

    On other databases its create and drop statements are an SQL comment: Django's schema
    editor executes whatever `create_sql` returns (there is no "skip" value for indexes, unlike
    constraints), and SQLite runs a comment as a no-op. SQLite and PostgreSQL are the databases
    this project runs on.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return f"-- {self.name}: PostgreSQL only"
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return f"-- {self.name}: PostgreSQL only"
        return super().remove_sql(model, schema_editor, **kwargs)
