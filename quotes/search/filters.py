"""The search parameters shared by /quotes/, speaker and organisation pages, downloads and the
API: each filter narrows the quotes; ranking and order are the search entrance's job
(quotes/search/__init__.py)."""
from __future__ import annotations

from html import escape

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from quotes.models import Quote
from quotes.search.backend import match
from quotes.search.query import MAX_QUERY_LENGTH, parse_query
from quotes.search.names import organisation_ids_like, speaker_ids_like
from quotes.selectors import outlet_choices

SORT_CHOICES = [("relevance", "Relevance"), ("newest", "Newest first"), ("oldest", "Oldest first")]
PUBLIC_STATUSES = [(Quote.Status.UNREVIEWED, "Unreviewed"), (Quote.Status.VERIFIED, "Verified")]


class QuickSelect(forms.Select):
    """A single <select> built by joining strings. Django renders each <option> through a
    template: 113 ms a page for 300 outlets (bench_search profile); this takes about 1 ms."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if v in selected else ""}>{escape(label)}</option>'
            for v, label in ((str(v), str(label)) for v, label in self.choices)
        )
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe(options))


class QuoteFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Words",
        method="filter_q",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": 'e.g. "diplomatic path" -nato'}),
        help_text='Words, "exact phrase", -exclude, or',
    )
    speaker = django_filters.CharFilter(
        label="Speaker", method="filter_speaker", widget=forms.TextInput(attrs={"placeholder": "Name or spelling variant"})
    )
    organisation = django_filters.CharFilter(label="Organisation", method="filter_organisation")
    outlet = django_filters.ChoiceFilter(
        label="Outlet", field_name="article__outlet", choices=outlet_choices, empty_label="All outlets",
        widget=QuickSelect,
    )
    date = django_filters.DateFromToRangeFilter(
        label="Published between",
        field_name="article__published",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    kind = django_filters.ChoiceFilter(label="Quote", choices=Quote.Kind.choices, empty_label="Full and partial")
    status = django_filters.ChoiceFilter(label="Review status", choices=PUBLIC_STATUSES, empty_label="Any")

    class Meta:
        model = Quote
        fields: list[str] = []

    def get_form_class(self):
        """The filters' form plus `sort`, a field and not a filter: the search entrance orders
        after every filter has narrowed."""
        return type("QuoteSearchForm", (super().get_form_class(),), {
            "sort": forms.ChoiceField(label="Sort by", choices=SORT_CHOICES, required=False),
        })

    def filter_queryset(self, queryset):
        """Each filter narrows in turn (`sort` is no filter)."""
        for name, value in self.form.cleaned_data.items():
            if name in self.filters:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def filter_q(self, queryset, name, value):
        return match(queryset, parse_query(value))  # an unusable query matches nothing

    def filter_speaker(self, queryset, name, value):
        # Ids, not a join on the speaker's slug: the planner can then combine the speaker
        # index with the search index instead of walking every quote.
        return queryset.filter(speaker_id__in=speaker_ids_like(value.strip()[:MAX_QUERY_LENGTH]))

    def filter_organisation(self, queryset, name, value):
        orgs = organisation_ids_like(value.strip()[:MAX_QUERY_LENGTH])
        return queryset.filter(Q(organisation__in=orgs) | Q(speaker__organisation__in=orgs))


class SpeakerQuoteFilter(QuoteFilter):
    """The same filters on a speaker's own page (the speaker is fixed)."""

    speaker = None


class OrganisationQuoteFilter(QuoteFilter):
    organisation = None
