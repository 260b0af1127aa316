"""Articles: add one by pasting its text (the extractor runs at once), re-extract, and review
an article's quotes in place."""
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.utils.text import Truncator

from quotes import curation
from quotes.admin import common
from quotes.admin.common import QuoteCountColumn, admin_url, plural
from quotes.admin.forms import ArticlePasteForm
from quotes.ingest import pipeline, store
from quotes.models import Article, Quote


class QuoteInline(admin.TabularInline):
    """The article's quotes; status is editable here, the rest on each quote's page."""

    model = Quote
    extra = 0
    fields = ["excerpt", "speaker", "organisation", "confidence", "status", "curated"]
    readonly_fields = ["excerpt", "speaker", "organisation", "confidence", "curated"]
    show_change_link = True
    can_delete = False
    ordering = ["start"]

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker", "organisation")

    @admin.display(description="quote")
    def excerpt(self, obj):
        return Truncator(obj.text).chars(120)


class PasteToAddMixin:
    """The add page is a paste form: saving it runs the extractor and stores the article with
    its quotes (the pipeline does both), so the usual add-page saves are skipped."""

    add_fieldsets = [(None, {"fields": ["title", "outlet", "url", "published", "text"]})]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ArticlePasteForm
            kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        return [] if obj is None else super().get_inlines(request, obj)

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        data = form.cleaned_data
        meta = {"title": data["title"], "outlet": data["outlet"], "url": data["url"], "published": data["published"]}
        outcome = pipeline.article_ingest(form.prepared, meta=meta, nlp=common.shared_nlp())
        self.message_user(request, f"Extracted {plural(outcome.quotes, 'quote')}.", messages.SUCCESS)
        return outcome.article  # "unchanged" only if another request stored the same text just now

    def response_post_save_add(self, request, obj):
        """After pasting, show the article with its quotes rather than the list."""
        return HttpResponseRedirect(admin_url(obj))

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        # On add the service has already stored the article.

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)


class LostProseFilter(admin.SimpleListFilter):
    """Articles whose body kept under half of the page's prose (the cleaner's report)."""

    title = "prose kept"
    parameter_name = "prose"

    def lookups(self, request, model_admin):
        return [("lost", "Under half (check the text)")]

    def queryset(self, request, queryset):
        if self.value() == "lost":
            return queryset.filter(dropped_prose_chars__gt=models.F("prose_chars") / 2.0)
        return queryset


@admin.register(Article)
class ArticleAdmin(PasteToAddMixin, QuoteCountColumn, admin.ModelAdmin):
    list_display = ["title", "outlet", "published", "quote_count", "unreviewed_count", "prose_kept"]
    list_filter = [LostProseFilter, "outlet", ("published", admin.DateFieldListFilter)]
    search_fields = ["title", "url"]
    inlines = [QuoteInline]
    actions = ["reextract"]
    readonly_fields = ["body", "prose_kept", "content_hash", "source_file", "created_at", "updated_at"]
    fields = ["title", "outlet", "byline", "published", "url", "body", "prose_kept", "source_file", "content_hash",
              "created_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            quote_count=Count("quotes"),
            unreviewed_count=Count("quotes", filter=Q(quotes__status=Quote.Status.UNREVIEWED)),
        )

    @admin.display(description="prose kept")
    def prose_kept(self, obj):
        """How much of the page's prose the cleaner kept; under half is flagged for a look."""
        if obj.prose_kept_percent is None:
            return "—"
        shown = f"{obj.prose_kept_percent}%"
        return f"⚠ {shown}: most of the page's prose was dropped as furniture" if obj.lost_most_prose else shown

    @admin.display(description="unreviewed", ordering="unreviewed_count")
    def unreviewed_count(self, obj):
        return obj.unreviewed_count

    def save_formset(self, request, form, formset, change):
        """Editing a quote's status inline is a curator edit like any other."""
        if formset.model is not Quote:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # fills changed_objects; quotes are saved one by one below
        for quote, changed in formset.changed_objects:
            curation.quote_save_by_curator(
                quote, user=request.user, form_changed=changed, reason="Edited on the article page"
            )

    @admin.action(description="Re-extract quotes (keeps curator decisions)", permissions=["change"])
    def reextract(self, request, queryset):
        kept = found = 0
        articles = list(queryset)
        for article in articles:
            k, f = store.article_reextract(article, nlp=common.shared_nlp())
            kept, found = kept + k, found + f
        self.message_user(
            request,
            f"Re-extracted {plural(len(articles), 'article')}: {plural(kept, 'reviewed quote')} kept as they were, "
            f"{plural(found, 'quote')} found by the extractor.",
            messages.SUCCESS,
        )
