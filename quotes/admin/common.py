"""Pieces every curation admin page shares: the site's titles, the spaCy pipeline, the "Recent
changes" box, intermediate action pages, widened search, and the count and public-page columns."""
from functools import lru_cache

from django.contrib import admin
from django.contrib.admin import helpers
from django.db.models import Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

admin.site.site_header = "Quote database: curation"
admin.site.site_title = "Quote curation"
admin.site.index_title = "Curation"

CURATION_MEDIA = {"all": ["quotes/curation.css"]}


@lru_cache(maxsize=1)
def shared_nlp():
    """The spaCy pipeline, loaded once per process: loading it per request takes seconds.

    Callers look it up here at call time (`common.shared_nlp()`), so tests can replace it."""
    from quotes.extraction import load_nlp

    return load_nlp()


def plural(n, word):
    return f"{n} {word}{'' if n == 1 else 's'}"


def admin_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _shown(value):
    if value is None or value == "":
        return "∅"
    return Truncator(str(value)).chars(120)


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
            row = self._history_row(obj, newer, older)
            if row is not None:
                rows.append(row)
        if not rows:
            return "No changes recorded yet."
        return format_html(
            '<table class="recent-changes"><thead><tr><th>When</th><th>Who</th><th>Why</th>'
            "<th>Before → after</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join("", "{}", ((r,) for r in rows)),
        )

    def _history_row(self, obj, newer, older):
        """One table row for the history record `newer`; None when it shows no change."""
        if newer.history_type == "+":
            changes = [("created", "", "")]
        elif older is None:
            return None  # beyond the records fetched
        else:
            delta = newer.diff_against(older, foreign_keys_are_objs=True)
            changes = [
                (obj._meta.get_field(c.field).verbose_name, _shown(c.old), _shown(c.new))
                for c in delta.changes
                if c.field not in self.history_ignored
            ]
        if not changes:
            return None
        who = newer.history_user.get_username() if newer.history_user else "extractor / system"
        return format_html(
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


class WidenedSearchMixin:
    """The search box finds rows the way `search_condition` says; where it says nothing (None),
    Django's substring search over `search_fields` runs as usual. The condition is a filter on
    keys and subqueries, so a row is listed once however many ways it was found."""

    def search_condition(self, request, search_term: str) -> Q | None:
        return None

    def get_search_results(self, request, queryset, search_term):
        condition = self.search_condition(request, search_term) if search_term.strip() else None
        if condition is None:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(condition), False

    def substring_found(self, request, search_term: str) -> Q:
        """Django's own search over `search_fields`, as a condition on the primary key."""
        found, _ = super().get_search_results(request, self.model._default_manager.all(), search_term)
        return Q(pk__in=found.values("pk"))


class QuoteCountColumn:
    """The `quote_count` column; the admin's get_queryset annotates it (no query per row)."""

    @admin.display(description="quotes", ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count


class PublicPageColumn:
    @admin.display(description="public page")
    def public_link(self, obj):
        return format_html('<a href="{0}" target="_blank">{0}</a>', obj.get_absolute_url()) if obj.pk else "—"
