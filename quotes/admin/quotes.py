"""Quotes: the review list (weakest first), its filters, the change page with the quote in
context, and the bulk actions. Every write goes through quotes.curation."""
from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from simple_history.admin import SimpleHistoryAdmin

from quotes import curation, search
from quotes.admin.common import (
    CURATION_MEDIA,
    IntermediateActionMixin,
    RecentChangesMixin,
    WidenedSearchMixin,
    admin_url,
    plural,
)
from quotes.admin.forms import QuoteAdminForm, ReassignSpeakerForm, SetOrganisationForm
from quotes.admin.reports import QuoteReportInline
from quotes.models import Article, Quote, QuoteReport


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


class QuoteColumns:
    """The quote list's columns and the change page's read-only panels."""

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

    @admin.display(description="article")
    def article_link(self, obj):
        article = obj.article
        return format_html(
            '<a href="{}">{}</a> — {} {}',
            admin_url(article),
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


@admin.register(Quote)
class QuoteAdmin(QuoteColumns, WidenedSearchMixin, RecentChangesMixin, IntermediateActionMixin, SimpleHistoryAdmin):
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
    search_fields = ["text", "speaker__name", "speaker__aliases__name", "article__title"]  # the fallback
    search_help_text = "Quote text (words, \"phrases\", -exclusions, or), speaker names and aliases, article titles"
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

    def search_condition(self, request, search_term):
        """The site's full-text search (text, speaker, organisation, description), plus speakers
        by name, alias or spelling variant, plus article titles holding every word. Input the
        parser can make nothing of (a lone quote mark, only exclusions, too long) falls back to
        the substring search over `search_fields`."""
        parsed = search.parse_query(search_term)
        if parsed.is_empty:
            return None
        titled = Article.objects.all()
        for word in parsed.words():
            titled = titled.filter(title__icontains=word)
        return (
            Q(pk__in=search.match(Quote.objects.all(), parsed).values("pk"))
            | Q(speaker_id__in=search.speaker_ids_like(search_term))
            | Q(article_id__in=titled.values("pk"))
        )

    def save_model(self, request, obj, form, change):
        curation.quote_save_by_curator(obj, user=request.user, form_changed=form.changed_data if change else [])

    def save_formset(self, request, form, formset, change):
        if formset.model is QuoteReport:
            for report in formset.save(commit=False):
                curation.report_handle_by_curator(report, user=request.user)
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
        self._report(request, curation.quotes_verify(quotes, user=request.user), len(quotes), "verified")

    @admin.action(description="Reject selected quotes (wrong attribution)", permissions=["change"])
    def reject(self, request, queryset):
        quotes = list(queryset)
        self._report(request, curation.quotes_reject(quotes, user=request.user), len(quotes), "rejected")

    @admin.action(description="Mark selected as not a quote", permissions=["change"])
    def mark_not_a_quote(self, request, queryset):
        quotes = list(queryset)
        changed = curation.quotes_reject(quotes, user=request.user, reason=Quote.RejectReason.NOT_A_QUOTE)
        self._report(request, changed, len(quotes), "marked as not a quote")

    @admin.action(description="Reassign selected quotes to another speaker…", permissions=["change"])
    def reassign_speaker(self, request, queryset):
        def apply(data):
            quotes, speaker = list(queryset), data["speaker"]
            changed = curation.quotes_reassign(
                quotes, speaker=speaker, user=request.user, with_organisation=data["use_organisation"]
            )
            self._report(request, changed, len(quotes), f"reassigned to {speaker}")

        return self.action_form_response(
            request, queryset, ReassignSpeakerForm, "Reassign quotes to another speaker", "Reassign", apply
        )

    @admin.action(description="Set or clear the organisation of selected quotes…", permissions=["change"])
    def set_organisation(self, request, queryset):
        def apply(data):
            quotes, org = list(queryset), data["organisation"]
            changed = curation.quotes_set_organisation(quotes, organisation=org, user=request.user)
            self._report(request, changed, len(quotes), f"set to {org}" if org else "cleared of their organisation")

        return self.action_form_response(
            request, queryset, SetOrganisationForm, "Set or clear the organisation", "Apply", apply
        )
