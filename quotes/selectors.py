"""Reads from the quote database, shared by pages, API and exports."""
from __future__ import annotations

from django.db.models import QuerySet

from quotes.models import Quote

EXPORT_FIELDS = [
    "id", "quote", "kind", "speaker", "speaker_role", "speaker_description", "organisation", "cue",
    "method", "confidence", "status", "article_id", "article_title", "outlet", "published", "url",
    "start", "end", "statement_group",
]


def quotes_for_export(queryset: QuerySet | None = None) -> QuerySet:
    qs = Quote.objects.all() if queryset is None else queryset
    return qs.select_related("speaker", "organisation", "article").order_by("article_id", "start")


def quote_export_record(quote: Quote) -> dict:
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
        "start": quote.start,
        "end": quote.end,
        "statement_group": quote.statement_group_id,
    }
