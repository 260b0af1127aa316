"""One statement across outlets: each quote's statement keys, and a new quote joining the
StatementGroup of the same words reported by another article."""
from __future__ import annotations

from django.db import connection

from quotes.extraction.statements import same_statement, statement_keys
from quotes.models import (
    Quote,
    StatementGroup,
)


LINK_KEY_PAGE = 20  # candidates read per key (same words, same opening words), oldest first
LINK_SPEAKER_PAGE = 200  # the speaker's most recent quotes compared fuzzily
LINK_KEYS_PER_STATEMENT = 100  # SQLite allows 500 terms in a compound SELECT
_LINK_FIELDS = ("id", "text", "speaker_id", "organisation_id", "statement_group_id")


def quote_set_keys(quote: Quote) -> Quote:
    """Set `quote`'s statement keys from its text; every writer of Quote rows calls this."""
    quote.text_key, quote.lead_key = statement_keys(quote.text)
    return quote


class _LinkCandidate:
    """The columns of another article's quote that statement linking reads."""

    __slots__ = _LINK_FIELDS

    def __init__(self, id, text, speaker_id, organisation_id, statement_group_id):  # noqa: A002
        self.id, self.text, self.speaker_id = id, text, speaker_id
        self.organisation_id, self.statement_group_id = organisation_id, statement_group_id


class StatementLinker:
    """Statement linking for the quotes of one article.

    Cheapest evidence first: the same words (indexed key), then the same opening words of a
    long quote, then the speaker's recent quotes compared fuzzily. Each step reads a bounded
    page, so a speaker with thousands of quotes costs no more than one with ten. The first
    step's pages for all the article's quotes are read in one query (the first LINK_KEY_PAGE
    by id of each key, exactly the page a per-quote query reads); the other steps run per
    quote, only when needed. A candidate read twice is kept as one object, so a group given to
    it while linking one quote is seen when linking the next, as a fresh read would see it.
    """

    def __init__(self, article_id: int, quotes):
        self.others = Quote.objects.exclude(article_id=article_id)
        self.known: dict[int, _LinkCandidate] = {}
        self.exact: dict[str, list[_LinkCandidate]] = {}
        keys = sorted({q.text_key for q in quotes if q.text_key})
        for start in range(0, len(keys), LINK_KEYS_PER_STATEMENT):
            for key, *fields in sorted(self._exact_pages(keys[start:start + LINK_KEYS_PER_STATEMENT])):
                self.exact.setdefault(key, []).append(self._candidate(fields))

    def _exact_pages(self, keys: list[str]) -> list[tuple]:
        """(key, *_LINK_FIELDS) of the first LINK_KEY_PAGE candidates by id of each key, in one
        statement: the per-key page query (a bounded scan of the text_key index) once per key,
        joined by UNION ALL. A window function over the keys instead read every copy of a
        statement reported a hundred times, and a LIMIT inside a compound query needs the
        derived table on SQLite."""
        marker = "\x00text_key"
        page = self.others.filter(text_key=marker).order_by("id").values_list("text_key", *_LINK_FIELDS)
        sql, params = page[:LINK_KEY_PAGE].query.sql_with_params()
        union = " UNION ALL ".join(f"SELECT * FROM ({sql}) AS page{i}" for i in range(len(keys)))
        args = [key if param == marker else param for key in keys for param in params]
        with connection.cursor() as cursor:
            cursor.execute(union, args)
            return cursor.fetchall()

    def _candidate(self, fields) -> _LinkCandidate:
        known = self.known.get(fields[0])
        if known is None:
            known = self.known[fields[0]] = _LinkCandidate(*fields)
        return known

    def _page(self, queryset) -> list[_LinkCandidate]:
        return [self._candidate(fields) for fields in queryset.values_list(*_LINK_FIELDS)]

    def link(self, quote: Quote) -> bool:
        """Set `quote.statement_group_id` to the group of the same statement in another article
        (a new group when that quote had none). Writing the quote's own row is the caller's job."""
        if not quote.text_key:
            return False
        steps = [lambda: self.exact.get(quote.text_key, [])]
        if quote.lead_key:
            steps.append(lambda: self._page(self.others.filter(lead_key=quote.lead_key).order_by("id")[:LINK_KEY_PAGE]))
        if quote.speaker_id:
            steps.append(lambda: self._page(
                self.others.filter(speaker_id=quote.speaker_id).order_by("-id")[:LINK_SPEAKER_PAGE]))
        return any(_link_first_match(quote, step()) for step in steps)


def _link_first_match(quote: Quote, candidates) -> bool:
    for other in candidates:
        same_source = (quote.speaker_id and other.speaker_id == quote.speaker_id) or (
            not quote.speaker_id and not other.speaker_id and other.organisation_id == quote.organisation_id
        )
        if same_statement(quote.text, other.text, bool(same_source)):
            group_id = other.statement_group_id
            if group_id is None:
                group_id = StatementGroup.objects.create().pk
                Quote.objects.filter(pk=other.id).update(statement_group_id=group_id)
                other.statement_group_id = group_id
            quote.statement_group_id = group_id
            return True
    return False


