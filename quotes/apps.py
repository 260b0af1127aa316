from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class QuotesConfig(AppConfig):
    default_auto_field = 'django.db.models.BigAutoField'
    name = 'quotes'

    def ready(self):
        from quotes.models import Article
        from quotes.search_schema import ensure_sqlite_fts
        from quotes.selectors import outlets_forget

        post_migrate.connect(ensure_sqlite_fts, sender=self, dispatch_uid="quotes.ensure_sqlite_fts")
        for signal in (post_save, post_delete):
            signal.connect(outlets_forget, sender=Article, dispatch_uid=f"quotes.outlets_forget.{signal}")
