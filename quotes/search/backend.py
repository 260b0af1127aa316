"""Matching and highlighting, per database: PostgreSQL `websearch_to_tsquery` against the stored,
weighted `search_document` column; SQLite FTS5 (`quote_fts`); a plain substring match
elsewhere, so the site still works.

Highlights are produced with private-use marker characters and turned into <mark> only after
the text has been HTML-escaped, so quote text is always shown as text.
"""
from __future__ import annotations

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchVectorField
from django.db import connection, connections
from django.db.models import BooleanField, Expression, FloatField, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from quotes.models import Quote
from quotes.search.query import MARK_END, MARK_START, PG_CONFIG, ParsedQuery


def vendor_of(qs: QuerySet | None = None) -> str:
    return connections[qs.db].vendor if qs is not None else connection.vendor


class BaseTableSQL(Expression):
    """SQL that refers to the query's own quote table, whatever alias a subquery gives it."""

    def __init__(self, template: str, params=(), output_field=None):
        super().__init__(output_field=output_field or FloatField())
        self.template, self.params = template, list(params)

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.template.format(table=table), self.params


def search_document() -> BaseTableSQL:
    return BaseTableSQL("{table}.search_document", output_field=SearchVectorField())


def pg_query(parsed: ParsedQuery) -> SearchQuery:
    return SearchQuery(parsed.websearch(), search_type="websearch", config=PG_CONFIG)


def match(qs: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """Quotes matching the query; an empty or invalid query matches nothing."""
    if parsed.is_empty:
        return qs.none()
    vendor = vendor_of(qs)
    if vendor == "postgresql":
        return qs.alias(_document=search_document()).filter(_document=pg_query(parsed))
    if vendor == "sqlite":
        fts = BaseTableSQL(
            "{table}.id IN (SELECT rowid FROM quote_fts WHERE quote_fts MATCH %s)",
            [parsed.fts5()],
            output_field=BooleanField(),
        )
        return qs.filter(fts)
    condition = Q()
    for group in parsed.groups:
        sub = Q()
        for term in group:
            sub &= Q(text__icontains=" ".join(term.words))
        condition |= sub
    for term in parsed.excludes:
        condition &= ~Q(text__icontains=" ".join(term.words))
    return qs.filter(condition)


def marked_html(text: str) -> SafeString:
    """Escape `text`, then turn the highlight markers into <mark> elements."""
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    if html.count("<mark>") != html.count("</mark>"):
        html = escape(text.replace(MARK_START, "").replace(MARK_END, ""))
    return mark_safe(html)


def pg_headline(parsed: ParsedQuery) -> SearchHeadline:
    return SearchHeadline("text", pg_query(parsed), config=PG_CONFIG, start_sel=MARK_START,
                          stop_sel=MARK_END, highlight_all=True)


def headlines(quotes: list, parsed: ParsedQuery) -> dict[int, SafeString]:
    """The whole text of each quote with matched words marked, in one query (none when the
    quotes came from RankedResults on PostgreSQL, which loads the highlight with them)."""
    ids = [q.pk for q in quotes]
    if parsed.is_empty or not ids:
        return {}
    vendor = connection.vendor
    if vendor == "postgresql":
        if all(hasattr(q, "search_headline") for q in quotes):
            rows = [(q.pk, q.search_headline) for q in quotes]
        else:
            rows = (
                Quote.objects.filter(pk__in=ids)
                .order_by()  # the model's default order would join the articles for nothing
                .annotate(headline=pg_headline(parsed))
                .values_list("pk", "headline")
            )
    elif vendor == "sqlite":
        placeholders = ", ".join("%s" for _ in ids)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, highlight(quote_fts, 0, %s, %s) FROM quote_fts "
                f"WHERE quote_fts MATCH %s AND rowid IN ({placeholders})",
                [MARK_START, MARK_END, parsed.fts5(), *ids],
            )
            rows = cursor.fetchall()
    else:
        return {}
    return {pk: marked_html(text) for pk, text in rows if text}
