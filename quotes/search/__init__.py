"""Quote search: one entrance for the pages, the API and the downloads.

`quote_search(data, base=...)` validates the parameters (search/filters.py), narrows `base`
with every filter (words through the database's full-text search, search/backend.py), then
orders: relevance over the newest RANK_CANDIDATES matches (search/ranking.py), or newest or
oldest first. The answer, a `QuoteSearch`, holds the ordered results and what a result page
shows besides them: the count (search/counting.py), the facets (search/facets.py) and the
highlights. Nothing here renders HTML beyond the <mark> of a highlight.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from quotes.search import ranking
from quotes.search.backend import headlines, match
from quotes.search.counting import COUNT_CAP, capped_count, estimated_count, round_estimate
from quotes.search.facets import quote_facets
from quotes.search.filters import QuoteFilter
from quotes.search.query import MAX_QUERY_LENGTH, ParsedQuery, parse_query
from quotes.search.names import organisation_ids_like, speaker_ids_like

__all__ = [
    "COUNT_CAP", "MAX_QUERY_LENGTH", "ParsedQuery", "QuoteSearch", "capped_count", "match", "newest_first",
    "organisation_ids_like", "parse_query", "quote_search", "speaker_ids_like",
]


def newest_first(qs: QuerySet) -> QuerySet:
    """The lists' default order: newest article first (undated last), then position."""
    return ranking.by_date(qs, "newest")


@dataclass
class QuoteSearch:
    """A search's answer. `results` is every match in result order (a queryset, or for
    relevance a RankedResults that loads only the rows of the slice taken)."""

    filterset: QuoteFilter
    parsed: ParsedQuery
    sort: str
    results: QuerySet | ranking.RankedResults
    matched: QuerySet  # the matches, unordered: counts and facets read them
    candidates: list[ranking.Candidate] | None = None  # set when ranked by relevance

    @property
    def form(self):
        return self.filterset.form

    @property
    def errors(self):
        return self.filterset.errors if self.filterset.is_bound else {}

    @property
    def is_valid(self) -> bool:
        return not self.filterset.is_bound or self.filterset.is_valid()

    @property
    def message(self) -> str:
        return self.parsed.message

    @property
    def active(self) -> bool:
        """Whether any filter but the order narrows the result (an empty date range does not)."""
        data = getattr(self.filterset.form, "cleaned_data", {}) or {}
        return self.filterset.is_bound and self.is_valid and any(
            v not in (None, "", [], ()) for k, v in data.items()
            if k != "sort" and not (hasattr(v, "start") and v.start is None and v.stop is None)
        )

    def size(self, listed: int) -> tuple[int, bool]:
        """(how many quotes match, whether that is an estimate). `listed` is the length of the
        ordered list; a relevance list holds only the rank candidates, so a full one means
        more matches than it shows."""
        if self.candidates is None or len(self.candidates) < ranking.RANK_CANDIDATES:
            return listed, False
        count, estimated = estimated_count(self.matched)
        return max(count, listed), estimated

    def shown_count(self, listed: int) -> tuple[int, bool, bool]:
        """(count to show, whether there are more than that, whether it is an estimate)."""
        count, estimated = self.size(listed)
        if estimated:
            return round_estimate(count), False, True
        return min(count, COUNT_CAP), count > COUNT_CAP, False

    def facets(self) -> dict:
        """Speakers, outlets and organisations among the matches (from the ranked candidates'
        keys when there are candidates: no second query)."""
        window = None if self.candidates is None else [c.facet_key for c in self.candidates]
        return quote_facets(self.matched, window=window)

    def highlights(self, quotes) -> dict:
        """quote id -> the quote's text, escaped, with the matched words in <mark>."""
        return headlines(list(quotes), self.parsed)


def quote_search(data, *, base: QuerySet, filterset_class: type[QuoteFilter] = QuoteFilter,
                 rank: bool = True) -> QuoteSearch:
    """Filter `base` by the parameters in `data` (a QueryDict or dict; empty means none) and
    order it. Invalid parameters give no results and the form's errors. `rank=False` (the
    downloads) orders every match newest first instead of ranking the candidates."""
    filterset = filterset_class(data or None, queryset=base)
    if filterset.is_bound and not filterset.is_valid():
        none = base.none()
        return QuoteSearch(filterset, ParsedQuery(), "newest", none, none)
    cleaned = getattr(filterset.form, "cleaned_data", {}) or {}
    parsed = parse_query(cleaned.get("q")) if cleaned.get("q") else ParsedQuery()
    sort = cleaned.get("sort") or ("relevance" if not parsed.is_empty else "newest")
    matched = filterset.qs
    if sort == "relevance" and not parsed.is_empty and rank:
        results, candidates = ranking.ranked(matched, parsed)
        return QuoteSearch(filterset, parsed, sort, results, matched, candidates)
    # relevance with nothing to rank by, or a download that holds every match: newest first
    return QuoteSearch(filterset, parsed, sort, ranking.by_date(matched, sort), matched)
