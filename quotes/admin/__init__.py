"""The curation admin: find doubtful attributions fast, fix them in a few clicks, lose nothing.

Actions and forms stay thin; every write goes through quotes.curation, which marks quotes
curated and records history with the curator.
"""
from functools import lru_cache

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin


from quotes import curation
from quotes.ingest import pipeline, store
from quotes.admin.forms import (
    ArticlePasteForm,
    MergeForm,
    QuoteAdminForm,
    ReassignSpeakerForm,
    SetOrganisationForm,
)
from quotes.models import (
    Article,
    Organisation,
    OrganisationAlias,
    Quote,
    QuoteReport,
    Speaker,
    SpeakerAlias,
    SpeakerAppearance,
)

admin.site.site_header = "Quote database: curation"
admin.site.site_title = "Quote curation"
admin.site.index_title = "Curation"


@lru_cache(maxsize=1)
def shared_nlp():
    """The spaCy pipeline, loaded once per process: loading it per request takes seconds."""
    from quotes.extraction import load_nlp

    return load_nlp()


def plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


# --- Shared pieces --------------------------------------------------------------------------


CURATION_MEDIA = {"all": ["quotes/curation.css"]}


class RecentChangesMixin:
    """A read-only "Recent changes" box on the change page: who changed what, before → after."""

    history_limit = 10
    history_ignored = {"created_at", "updated_at"}

    @admin.display(description="Recent changes")
    def recent_changes(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        history = obj.history.select_related("history_user").order_by("-history_date", "-history_id")
        records = list(history[: self.history_limit + 1])
        rows = []
        for newer, older in zip(records, records[1:] + [None]):
            if len(rows) == self.history_limit:
                break
            if newer.history_type == "+":
                changes = [("created", "", "")]
            elif older is None:
                continue  # beyond the records fetched
            else:
                delta = newer.diff_against(older, foreign_keys_are_objs=True)
                changes = [
                    (obj._meta.get_field(c.field).verbose_name, _shown(c.old), _shown(c.new))
                    for c in delta.changes
                    if c.field not in self.history_ignored
                ]
            if not changes:
                continue
            who = newer.history_user.get_username() if newer.history_user else "extractor / system"
            rows.append(
                format_html(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    newer.history_date.strftime("%Y-%m-%d %H:%M"),
                    who,
                    newer.history_change_reason or "",
                    format_html_join(
                        "",
                        '<div class="diff"><b>{}</b> <del>{}</del> → <ins>{}</ins></div>',
                        changes,
                    )
                    if newer.history_type != "+"
                    else "created",
                )
            )
        if not rows:
            return "No changes recorded yet."
        return format_html(
            '<table class="recent-changes"><thead><tr><th>When</th><th>Who</th><th>Why</th>'
            "<th>Before → after</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join("", "{}", ((r,) for r in rows)),
        )


def _shown(value):
    if value is None or value == "":
        return "∅"
    return Truncator(str(value)).chars(120)


class IntermediateActionMixin:
    """Run an action through a confirmation form, the way Django's delete action does."""

    def action_form_response(self, request, queryset, form_class, title, submit_label, apply, **form_kwargs):
        data = request.POST if "apply" in request.POST else None
        form = form_class(data, admin_site=self.admin_site, queryset=queryset, **form_kwargs)
        if form.is_bound and form.is_valid():
            apply(form.cleaned_data)
            return None  # back to the changelist, with the action's message
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
            "queryset": queryset,
            "count": queryset.count(),
            "action": request.POST.get("action", ""),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "submit_label": submit_label,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/quotes/action_form.html", context)


# --- Filters --------------------------------------------------------------------------------


class ConfidenceBandFilter(admin.SimpleListFilter):
    title = "confidence"
    parameter_name = "confidence_band"
    bands = {
        "low": ("Low (below 0.5)", None, 0.5),
        "medium": ("Medium (0.5 to 0.8)", 0.5, 0.8),
        "high": ("High (0.8 and above)", 0.8, None),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _, _) in self.bands.items()]

    def queryset(self, request, queryset):
        if self.value() not in self.bands:
            return queryset
        _, low, high = self.bands[self.value()]
        if low is not None:
            queryset = queryset.filter(confidence__gte=low)
        if high is not None:
            queryset = queryset.filter(confidence__lt=high)
        return queryset


class ReportFilter(admin.SimpleListFilter):
    """"Reported, not yet handled" turns the quote list into the reader-report queue."""

    title = "reader reports"
    parameter_name = "reports"

    def lookups(self, request, model_admin):
        return [("open", "Reported, not yet handled"), ("handled", "Reported, all handled"), ("none", "Never reported")]

    def queryset(self, request, queryset):
        any_report = QuoteReport.objects.filter(quote=OuterRef("pk"))
        open_report = any_report.filter(handled_at__isnull=True)
        if self.value() == "open":
            return queryset.filter(Exists(open_report))
        if self.value() == "handled":
            return queryset.filter(Exists(any_report)).exclude(Exists(open_report))
        if self.value() == "none":
            return queryset.exclude(Exists(any_report))
        return queryset


class HandledFilter(admin.SimpleListFilter):
    title = "handled"
    parameter_name = "handled"

    def lookups(self, request, model_admin):
        return [("no", "Not yet handled"), ("yes", "Handled")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(handled_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(handled_at__isnull=False)
        return queryset


# --- Quotes ---------------------------------------------------------------------------------


class QuoteReportInline(admin.TabularInline):
    """Reader reports on this quote; choosing a resolution closes the report."""

    model = QuoteReport
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["note", "created_at", "resolution", "handled_by", "handled_at"]
    readonly_fields = ["note", "created_at", "handled_by", "handled_at"]
    verbose_name_plural = "reader reports"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("handled_by")


@admin.register(Quote)
class QuoteAdmin(RecentChangesMixin, IntermediateActionMixin, SimpleHistoryAdmin):
    class Media:
        css = CURATION_MEDIA

    form = QuoteAdminForm
    list_display = ["excerpt", "speaker", "organisation", "outlet", "published", "confidence_shown", "status", "reported"]
    list_display_links = ["excerpt"]
    list_filter = [
        "status",
        "kind",
        ReportFilter,
        ConfidenceBandFilter,
        ("article__outlet", admin.AllValuesFieldListFilter),
        ("organisation", admin.RelatedOnlyFieldListFilter),
        ("article__published", admin.DateFieldListFilter),
        "reject_reason",
        "curated",
    ]
    search_fields = ["text", "speaker__name", "speaker__aliases__name", "article__title"]
    search_help_text = "Quote text, speaker names and aliases, article titles"
    ordering = ["confidence", "pk"]
    list_select_related = ["speaker", "organisation", "article"]
    list_per_page = 50
    autocomplete_fields = ["speaker", "organisation"]
    inlines = [QuoteReportInline]
    actions = ["verify", "reject", "mark_not_a_quote", "reassign_speaker", "set_organisation"]
    readonly_fields = [
        "article_link", "context", "text", "cue", "method", "confidence", "curated", "public_links", "recent_changes",
    ]
    fieldsets = [
        (None, {"fields": ["article_link", "context", "text", "cue", "method", "confidence"]}),
        ("Attribution", {"fields": ["speaker", "speaker_description", "organisation", "kind"]}),
        ("Review", {"fields": ["status", "reject_reason", "curated", "public_links"]}),
        ("History", {"fields": ["recent_changes"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        open_report = QuoteReport.objects.filter(quote=OuterRef("pk"), handled_at__isnull=True)
        return super().get_queryset(request).defer("article__body").annotate(has_open_report=Exists(open_report))

    def has_add_permission(self, request):
        return False  # quotes come from articles; a missed one is found by re-extraction

    def view_on_site(self, obj):
        """Rejected quotes have no public page, so no "View on site" button."""
        return obj.get_absolute_url() if obj.is_public else None

    # Columns

    @admin.display(description="quote", ordering="text")
    def excerpt(self, obj):
        return Truncator(obj.text).chars(90)

    @admin.display(description="outlet", ordering="article__outlet")
    def outlet(self, obj):
        return obj.article.outlet

    @admin.display(description="date", ordering="article__published")
    def published(self, obj):
        return obj.article.published

    @admin.display(description="confidence", ordering="confidence")
    def confidence_shown(self, obj):
        return f"{obj.confidence:.2f}"

    @admin.display(description="reports", ordering="-has_open_report")
    def reported(self, obj):
        return format_html('<span class="open-report">{}</span>', "open report") if obj.has_open_report else ""

    # Change page

    @admin.display(description="article")
    def article_link(self, obj):
        article = obj.article
        return format_html(
            '<a href="{}">{}</a> — {} {}',
            _admin_url(article),
            article.title,
            article.outlet or "unknown outlet",
            article.published or "",
        )

    @admin.display(description="in context")
    def context(self, obj):
        """The paragraph around the quote, the quote marked, and the cue marked where found."""
        body = obj.article.body
        start, end = max(0, min(obj.start, len(body))), max(0, min(obj.end, len(body)))
        para_start = body.rfind("\n", 0, start) + 1
        para_end = body.find("\n", end)
        para_end = len(body) if para_end == -1 else para_end
        before, quoted, after = body[para_start:start], body[start:end], body[end:para_end]
        cue = (obj.cue or "").strip()
        cue_html = _mark_cue(before, after, cue)
        if cue_html is None:
            cue_html = (before, after)
        return format_html(
            '<div class="quote-context">{}<mark class="quote">{}</mark>{}</div>{}',
            cue_html[0],
            quoted,
            cue_html[1],
            format_html('<div class="help">Cue: <mark class="cue">{}</mark> (method: {})</div>', cue, obj.method or "—")
            if cue
            else format_html('<div class="help">No cue recorded (method: {}).</div>', obj.method or "—"),
        )

    @admin.display(description="public pages")
    def public_links(self, obj):
        links = []
        if obj.is_public:
            links.append(("Quote", obj.get_absolute_url()))
        if obj.speaker_id:
            links.append((f"Speaker: {obj.speaker}", obj.speaker.get_absolute_url()))
        if obj.organisation_id:
            links.append((f"Organisation: {obj.organisation}", obj.organisation.get_absolute_url()))
        links.append(("Article", obj.article.get_absolute_url()))
        html = format_html_join(" · ", '<a href="{}" target="_blank">{}</a>', ((url, label) for label, url in links))
        if not obj.is_public:
            html = format_html("{} <span class='help'>(rejected quotes are not public)</span>", html)
        return html

    def save_model(self, request, obj, form, change):
        """Any curator edit marks the quote curated, so re-extraction leaves it alone."""
        if change and form.has_changed():
            obj.curated = True
            obj._change_reason = "Edited: " + ", ".join(form.changed_data)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is QuoteReport:
            for report in formset.save(commit=False):
                curation.reports_handle([QuoteReport.objects.get(pk=report.pk)], report.resolution, request.user)
            return
        super().save_formset(request, form, formset, change)

    # Actions

    def _report(self, request, changed, total, verb):
        unchanged = total - changed
        msg = f"{plural(changed, 'quote')} {verb}."
        if unchanged:
            msg += f" {unchanged} already {'was' if unchanged == 1 else 'were'}."
        self.message_user(request, msg, messages.SUCCESS if changed else messages.WARNING)

    @admin.action(description="Verify selected quotes", permissions=["change"])
    def verify(self, request, queryset):
        quotes = list(queryset)
        self._report(request, curation.quotes_verify(quotes, request.user), len(quotes), "verified")

    @admin.action(description="Reject selected quotes (wrong attribution)", permissions=["change"])
    def reject(self, request, queryset):
        quotes = list(queryset)
        self._report(request, curation.quotes_reject(quotes, request.user), len(quotes), "rejected")

    @admin.action(description="Mark selected as not a quote", permissions=["change"])
    def mark_not_a_quote(self, request, queryset):
        quotes = list(queryset)
        changed = curation.quotes_reject(quotes, request.user, Quote.RejectReason.NOT_A_QUOTE)
        self._report(request, changed, len(quotes), "marked as not a quote")

    @admin.action(description="Reassign selected quotes to another speaker…", permissions=["change"])
    def reassign_speaker(self, request, queryset):
        def apply(data):
            quotes = list(queryset)
            changed = curation.quotes_reassign(quotes, data["speaker"], request.user, data["use_organisation"])
            self._report(request, changed, len(quotes), f"reassigned to {data['speaker']}")

        return self.action_form_response(
            request, queryset, ReassignSpeakerForm, "Reassign quotes to another speaker", "Reassign", apply
        )

    @admin.action(description="Set or clear the organisation of selected quotes…", permissions=["change"])
    def set_organisation(self, request, queryset):
        def apply(data):
            quotes, org = list(queryset), data["organisation"]
            changed = curation.quotes_set_organisation(quotes, org, request.user)
            self._report(request, changed, len(quotes), f"set to {org}" if org else "cleared of their organisation")

        return self.action_form_response(
            request, queryset, SetOrganisationForm, "Set or clear the organisation", "Apply", apply
        )


def _mark_cue(before, after, cue):
    """(before, after) as HTML with the cue marked: first after the quote, else last before it."""
    if not cue:
        return None
    i = after.lower().find(cue.lower())
    if i >= 0:
        marked = format_html('{}<mark class="cue">{}</mark>{}', after[:i], after[i : i + len(cue)], after[i + len(cue) :])
        return (format_html("{}", before), marked)
    i = before.lower().rfind(cue.lower())
    if i >= 0:
        marked = format_html('{}<mark class="cue">{}</mark>{}', before[:i], before[i : i + len(cue)], before[i + len(cue) :])
        return (marked, format_html("{}", after))
    return None


def _admin_url(obj):
    from django.urls import reverse

    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


@admin.register(QuoteReport)
class QuoteReportAdmin(admin.ModelAdmin):
    """The reader-report queue on its own; the same reports show inline on each quote."""

    list_display = ["quote_excerpt", "note_excerpt", "created_at", "resolution", "handled_by", "handled_at"]
    list_filter = [HandledFilter, "resolution"]
    list_select_related = ["quote", "handled_by"]
    search_fields = ["note", "quote__text"]
    readonly_fields = ["quote", "note", "created_at", "handled_by", "handled_at"]
    fields = ["quote", "note", "created_at", "resolution", "handled_by", "handled_at"]
    ordering = ["handled_at", "-created_at"]
    actions = ["mark_fixed", "mark_no_change", "mark_spam"]

    def has_add_permission(self, request):
        return False  # readers file reports on the public site

    @admin.display(description="quote")
    def quote_excerpt(self, obj):
        return format_html('<a href="{}">{}</a>', _admin_url(obj.quote), Truncator(obj.quote.text).chars(60))

    @admin.display(description="note")
    def note_excerpt(self, obj):
        return Truncator(obj.note).chars(80)

    def save_model(self, request, obj, form, change):
        if "resolution" in form.changed_data:
            curation.reports_handle([QuoteReport.objects.get(pk=obj.pk)], obj.resolution, request.user)
        # Nothing else on the page is editable.

    def _close(self, request, queryset, resolution):
        n = curation.reports_handle(list(queryset), resolution, request.user)
        label = QuoteReport.Resolution(resolution).label.lower()
        self.message_user(request, f"{plural(n, 'report')} closed as “{label}”.")

    @admin.action(description="Close selected reports: fixed", permissions=["change"])
    def mark_fixed(self, request, queryset):
        self._close(request, queryset, QuoteReport.Resolution.FIXED)

    @admin.action(description="Close selected reports: no change needed", permissions=["change"])
    def mark_no_change(self, request, queryset):
        self._close(request, queryset, QuoteReport.Resolution.NO_CHANGE)

    @admin.action(description="Close selected reports: spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        self._close(request, queryset, QuoteReport.Resolution.SPAM)


# --- Speakers and organisations ---------------------------------------------------------------


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    extra = 1
    fields = ["name"]


class SpeakerAppearanceInline(admin.TabularInline):
    """How each article presented the speaker (read-only: that is what the article said)."""

    model = SpeakerAppearance
    extra = 0
    can_delete = False
    fields = ["article", "name_as_written", "role", "organisation"]
    readonly_fields = fields
    verbose_name_plural = "roles as given by articles"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "organisation").defer("article__body")


class QuoteCountColumn:
    """The `quote_count` column; the admin's get_queryset annotates it (no query per row)."""

    @admin.display(description="quotes", ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count


class PublicPageColumn:
    @admin.display(description="public page")
    def public_link(self, obj):
        return format_html('<a href="{0}" target="_blank">{0}</a>', obj.get_absolute_url()) if obj.pk else "—"


class MergeActionMixin(IntermediateActionMixin):
    merge_service = None
    merge_noun = ""

    @admin.action(description="Merge selected…", permissions=["change"])
    def merge(self, request, queryset):
        noun = self.merge_noun

        def apply(data):
            survivor = data["survivor"]
            outcome = type(self).merge_service(survivor, list(queryset), user=request.user)
            self.message_user(
                request,
                f"Merged {plural(outcome.merged, noun)} into {survivor}: "
                f"{plural(outcome.quotes, 'quote')} and {plural(outcome.aliases, 'alias')} moved.",
                messages.SUCCESS,
            )

        return self.action_form_response(
            request, queryset, MergeForm, f"Merge {noun}s", "Merge", apply
        )


@admin.register(Speaker)
class SpeakerAdmin(QuoteCountColumn, PublicPageColumn, RecentChangesMixin, MergeActionMixin, SimpleHistoryAdmin):
    class Media:
        css = CURATION_MEDIA

    merge_service = curation.speaker_merge
    merge_noun = "speaker"
    ordering = ["name"]  # aggregate queries drop Meta.ordering; autocomplete pages need one
    list_display = ["name", "role", "organisation", "quote_count", "verified_count"]
    list_select_related = ["organisation"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "gender"]
    search_fields = ["name", "aliases__name", "role"]
    autocomplete_fields = ["organisation"]
    readonly_fields = ["slug", "public_link", "curated", "recent_changes"]
    fields = [
        "name", "slug", "public_link", "role", "organisation", "gender", "wikidata_id", "curated", "recent_changes",
    ]
    inlines = [SpeakerAliasInline, SpeakerAppearanceInline]
    actions = ["merge"]

    def save_model(self, request, obj, form, change):
        """A curator's name, role or organisation wins over what later articles say."""
        if {"name", "role", "organisation"} & set(form.changed_data):
            obj.curated = True
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                quote_count=Count("quotes", distinct=True),
                verified_count=Count("quotes", filter=Q(quotes__status=Quote.Status.VERIFIED), distinct=True),
            )
        )

    @admin.display(description="verified", ordering="verified_count")
    def verified_count(self, obj):
        return obj.verified_count



class OrganisationAliasInline(admin.TabularInline):
    model = OrganisationAlias
    extra = 1
    fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(QuoteCountColumn, PublicPageColumn, RecentChangesMixin, MergeActionMixin, SimpleHistoryAdmin):
    class Media:
        css = CURATION_MEDIA

    merge_service = curation.organisation_merge
    merge_noun = "organisation"
    ordering = ["name"]
    list_display = ["name", "kind", "quote_count", "speaker_count"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__name"]
    readonly_fields = ["slug", "public_link", "recent_changes"]
    fields = ["name", "slug", "public_link", "kind", "wikidata_id", "recent_changes"]
    inlines = [OrganisationAliasInline]
    actions = ["merge"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(quote_count=Count("quotes", distinct=True), speaker_count=Count("speakers", distinct=True))
        )

    @admin.display(description="speakers", ordering="speaker_count")
    def speaker_count(self, obj):
        return obj.speaker_count



# --- Articles -------------------------------------------------------------------------------


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


@admin.register(Article)
class ArticleAdmin(QuoteCountColumn, admin.ModelAdmin):
    list_display = ["title", "outlet", "published", "quote_count", "unreviewed_count"]
    list_filter = ["outlet", ("published", admin.DateFieldListFilter)]
    search_fields = ["title", "url"]
    inlines = [QuoteInline]
    actions = ["reextract"]
    readonly_fields = ["body", "content_hash", "source_file", "created_at", "updated_at"]
    fields = ["title", "outlet", "byline", "published", "url", "body", "source_file", "content_hash", "created_at"]
    add_fieldsets = [(None, {"fields": ["title", "outlet", "url", "published", "text"]})]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        qs = super().get_queryset(request).annotate(
            quote_count=Count("quotes"),
            unreviewed_count=Count("quotes", filter=Q(quotes__status=Quote.Status.UNREVIEWED)),
        )
        return qs

    @admin.display(description="unreviewed", ordering="unreviewed_count")
    def unreviewed_count(self, obj):
        return obj.unreviewed_count

    # Add by pasting: the form holds the text; the service creates the article and its quotes.

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
        outcome = pipeline.article_ingest(form.prepared, meta=meta, nlp=shared_nlp())
        self.message_user(request, f"Extracted {plural(outcome.quotes, 'quote')}.", messages.SUCCESS)
        return outcome.article  # "unchanged" only if another request stored the same text just now

    def response_post_save_add(self, request, obj):
        """After pasting, show the article with its quotes rather than the list."""
        return HttpResponseRedirect(_admin_url(obj))

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        # On add the service has already stored the article.

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    def save_formset(self, request, form, formset, change):
        """Editing a quote's status inline is a curator edit like any other."""
        if formset.model is not Quote:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)  # fills changed_objects; quotes are saved one by one below
        for quote, changed in formset.changed_objects:
            quote.curated = True
            if quote.status != Quote.Status.REJECTED:
                quote.reject_reason = ""
            elif not quote.reject_reason:
                quote.reject_reason = Quote.RejectReason.WRONG
            quote._change_reason = "Edited on the article page: " + ", ".join(changed)
            quote.save()

    @admin.action(description="Re-extract quotes (keeps curator decisions)", permissions=["change"])
    def reextract(self, request, queryset):
        kept = found = 0
        articles = list(queryset)
        for article in articles:
            k, f = store.article_reextract(article, nlp=shared_nlp())
            kept, found = kept + k, found + f
        self.message_user(
            request,
            f"Re-extracted {plural(len(articles), 'article')}: {plural(kept, 'reviewed quote')} kept as they were, "
            f"{plural(found, 'quote')} found by the extractor.",
            messages.SUCCESS,
        )
