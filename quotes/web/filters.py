"""The quote filters shared by /quotes/, speaker and organisation pages, exports and the API."""
from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q

from quotes import search
from quotes.web.forms import QuickSelect
from quotes.models import Organisation, Quote
from quotes.selectors import outlet_choices

SORT_CHOICES = [("relevance", "Relevance"), ("newest", "Newest first"), ("oldest", "Oldest first")]
PUBLIC_STATUSES = [(Quote.Status.UNREVIEWED, "Unreviewed"), (Quote.Status.VERIFIED, "Verified")]


class DateInput(forms.DateInput):
    input_type = "date"


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
    sort = django_filters.ChoiceFilter(label="Sort by", choices=SORT_CHOICES, method="filter_sort", empty_label=None)

    class Meta:
        model = Quote
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parsed = search.ParsedQuery()
        self.matched = self.queryset
        self.candidates: list[search.Candidate] | None = None  # set when ranked by relevance

    # Each filter narrows; ranking and order are applied once, after all of them.
    def filter_q(self, queryset, name, value):
        self.parsed = search.parse_query(value)
        if self.parsed.is_empty:
            return queryset.none() if self.parsed.raw else queryset
        return search.match(queryset, self.parsed)

    def filter_speaker(self, queryset, name, value):
        value = value.strip()[: search.MAX_QUERY_LENGTH]
        # Ids, not a join on the speaker's slug: the planner can then combine the speaker
        # index with the search index instead of walking every quote.
        return queryset.filter(speaker_id__in=search.speaker_ids_like(value))

    def filter_organisation(self, queryset, name, value):
        value = value.strip()[: search.MAX_QUERY_LENGTH]
        orgs = Organisation.objects.filter(
            Q(slug=value) | Q(name__icontains=value) | Q(aliases__key__contains=search.name_key(value) or value)
        ).values("pk")
        return queryset.filter(Q(organisation__in=orgs) | Q(speaker__organisation__in=orgs))

    def filter_sort(self, queryset, name, value):
        return queryset

    @property
    def sort_order(self) -> str:
        data = getattr(self.form, "cleaned_data", {}) or {}
        if data.get("sort"):
            return data["sort"]
        return "relevance" if not self.parsed.is_empty else "newest"

    # Downloads set this off: a file holds every match, not only the rank candidates.
    rank_by_relevance = True

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        self.matched = queryset
        sort = self.sort_order
        if sort == "relevance" and not self.parsed.is_empty:
            if not self.rank_by_relevance:
                return search.order(queryset, "newest", self.parsed)
            ordered, self.candidates = search.ranked(queryset, self.parsed)
            return ordered
        return search.order(queryset, sort, self.parsed)

    def result_size(self, listed: int) -> tuple[int, bool]:
        """(how many quotes match, whether that is an estimate). `listed` is the length of the
        ordered list; a relevance list holds only the rank candidates, so a full one means
        more matches than it shows."""
        if self.candidates is None or len(self.candidates) < search.RANK_CANDIDATES:
            return listed, False
        count, estimated = search.estimated_count(self.matched)
        return max(count, listed), estimated

    def facet_window(self) -> list[tuple] | None:
        """The ranked candidates' facet keys, when there are candidates (no second query)."""
        return None if self.candidates is None else [c.facet_key for c in self.candidates]

    @property
    def active(self) -> bool:
        return any(v not in (None, "", [], ()) for k, v in (getattr(self.form, "cleaned_data", {}) or {}).items()
                   if k != "sort" and not (hasattr(v, "start") and v.start is None and v.stop is None))


class QuoteDownloadFilter(QuoteFilter):
    """The same filters for CSV/JSONL downloads: every match, newest first under relevance."""

    rank_by_relevance = False


class SpeakerQuoteFilter(QuoteFilter):
    """The same filters on a speaker's own page (the speaker is fixed)."""

    speaker = None


class OrganisationQuoteFilter(QuoteFilter):
    organisation = None
