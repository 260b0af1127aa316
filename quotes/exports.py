"""Quotes as export records: JSONL and CSV for `export_quotes` and the search downloads.

A statement carried by several outlets is one record by default (its fullest report, naming the
others in `also_reported_by`), like Quotebank's quotation-centric records.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from django.db.models import F, QuerySet

from quotes.models import Quote

EXPORT_FIELDS = [
    "id", "quote", "kind", "speaker", "speaker_role", "speaker_description", "organisation", "cue",
    "method", "confidence", "status", "article_id", "article_title", "outlet", "published", "url",
    "source_file", "start", "end", "statement_group", "also_reported_by",
]


def quotes_for_export(queryset: QuerySet | None = None) -> QuerySet:
    """Quotes in reporting order: earliest publication first (undated last), then ingest order."""
    qs = Quote.objects.all() if queryset is None else queryset
    return qs.select_related("speaker", "organisation", "article").order_by(
        F("article__published").asc(nulls_last=True), "article_id", "start"
    )


def quote_export_record(quote: Quote, also_reported_by: list[dict] | None = None) -> dict:
    article = quote.article
    return {
        "id": quote.pk,
        "quote": quote.text,
        "kind": quote.kind,
        "speaker": quote.speaker.name if quote.speaker_id else None,
        "speaker_role": quote.speaker.role if quote.speaker_id else "",
        "speaker_description": quote.speaker_description,
        "organisation": quote.organisation.name if quote.organisation_id else None,
        "cue": quote.cue,
        "method": quote.method,
        "confidence": round(quote.confidence, 3),
        "status": quote.status,
        "article_id": article.pk,
        "article_title": article.title,
        "outlet": article.outlet,
        "published": article.published.isoformat() if article.published else None,
        "url": article.url,
        "source_file": article.source_file,
        "start": quote.start,
        "end": quote.end,
        "statement_group": quote.statement_group_id,
        "also_reported_by": also_reported_by or [],
    }


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_row(record: dict) -> dict:
    """An export record as a CSV row: other reports on one line, every text cell inert."""
    also = record.get("also_reported_by")
    if isinstance(also, list):
        record = {**record, "also_reported_by": "; ".join(f"{r['outlet']} {r['url']}".strip() for r in also)}
    return {key: csv_cell(value) for key, value in record.items()}


def export_records(queryset: QuerySet | None = None, per_article: bool = False) -> Iterator[dict]:
    """One record per statement (its fullest report, naming the others), or per article copy.

    A statement carried by several outlets is one statement: counting it once per outlet
    would inflate a speaker's quote count, so by default it is exported once, like
    Quotebank's quotation-centric records, with the other reports in `also_reported_by`.
    """
    qs = quotes_for_export(queryset)
    reports: dict[int, list[dict]] = defaultdict(list)
    grouped = qs.filter(statement_group__isnull=False).values(
        "id", "statement_group_id", "article_id", "article__outlet", "article__url", "article__published",
        "start", "end",
    )
    representative: dict[int, tuple[int, int]] = {}  # group -> (length, quote id); the fullest wins
    for row in grouped.iterator(chunk_size=2000):
        length = row["end"] - row["start"]
        best = representative.get(row["statement_group_id"])
        if best is None or length > best[0]:
            representative[row["statement_group_id"]] = (length, row["id"])
        reports[row["statement_group_id"]].append(
            {
                "quote_id": row["id"],
                "article_id": row["article_id"],
                "outlet": row["article__outlet"],
                "url": row["article__url"],
                "published": row["article__published"].isoformat() if row["article__published"] else None,
            }
        )
    for quote in qs.iterator(chunk_size=2000):
        group = quote.statement_group_id
        if group and not per_article and representative[group][1] != quote.pk:
            continue
        others = [r for r in reports.get(group, []) if r["quote_id"] != quote.pk] if group else []
        yield quote_export_record(quote, others)
