"""Reader reports: the queue of their own, and the inline that shows them on each quote.
Choosing a resolution closes a report through quotes.curation."""
from django.contrib import admin
from django.utils.html import format_html
from django.utils.text import Truncator

from quotes import curation
from quotes.admin.common import admin_url, plural
from quotes.models import QuoteReport


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
        return format_html('<a href="{}">{}</a>', admin_url(obj.quote), Truncator(obj.quote.text).chars(60))

    @admin.display(description="note")
    def note_excerpt(self, obj):
        return Truncator(obj.note).chars(80)

    def save_model(self, request, obj, form, change):
        if "resolution" in form.changed_data:
            curation.report_handle_by_curator(obj, user=request.user)
        # Nothing else on the page is editable.

    def _close(self, request, queryset, resolution):
        n = curation.reports_handle(list(queryset), resolution=resolution, user=request.user)
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
