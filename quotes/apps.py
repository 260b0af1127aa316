from django.apps import AppConfig
from django.db.models.signals import post_migrate


class QuotesConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'quotes'

    def ready(self):
        from quotes.search import ensure_sqlite_fts

        post_migrate.connect(ensure_sqlite_fts, sender=self, dispatch_uid="quotes.ensure_sqlite_fts")
