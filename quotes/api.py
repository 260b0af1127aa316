"""Read-only JSON API with an OpenAPI document at /api/openapi.json (docs at /api/docs).

django-ninja: pydantic schemas give the OpenAPI schema for free and it is lighter than DRF for
a read-only API. Quote filtering reuses the page's FilterSet, so /api/quotes/?q=… returns what
/quotes/?q=… shows, ranked the same way.
"""
from __future__ import annotations

import datetime as dt
from typing import Generic, Literal, TypeVar

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from pydantic import Field

from quotes import search, selectors
from quotes.web.caching import public_page_cache
from quotes.web.cards import QuoteCard, quote_cards
from quotes.models import Article, Organisation, Speaker

api = NinjaAPI(
    title="Quote database API",
    version="1.0",
    description="Quotations from news articles with their speakers and sources. Read-only.",
    urls_namespace="api",
)

PAGE_SIZE = 20
# Free text in a query parameter: anything but NUL, which no stored text contains and
# PostgreSQL cannot compare (validated here, so it is a 422 and never reaches the database).
TEXT = r"^[^\x00]*$"
T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int
    count_estimated: bool = Field(False, description="count is the database's estimate (large search results)")
    page: int
    pages: int
    items: list[T]


def paginate(qs, page: int, transform=lambda items: items, size=None) -> dict:
    """A page of `qs`; `count` stops at search.COUNT_CAP + 1 or is `size(listed)`'s
    (count, estimated) when given."""
    listed = search.capped_count(qs)
    count, estimated = size(listed) if size else (listed, False)
    pages = max(1, -(-listed // PAGE_SIZE))
    page = min(max(page, 1), pages)
    items = list(qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return {"count": count, "count_estimated": estimated, "page": page, "pages": pages, "items": transform(items)}


class OrganisationRef(Schema):
    name: str
    slug: str
    url: str


class SpeakerRef(Schema):
    name: str
    slug: str
    url: str


class ArticleRef(Schema):
    id: int
    title: str
    outlet: str
    published: dt.date | None
    url: str = Field(description="The article at its publisher ('' when unknown)")
    page: str = Field(description="The article text with its quotes marked, on this site")


class QuoteOut(Schema):
    id: int
    text: str
    kind: str
    status: str
    speaker: SpeakerRef | None
    speaker_description: str
    role: str = Field(description="The speaker's role as this article gave it")
    organisation: OrganisationRef | None
    cue: str
    article: ArticleRef
    statement_group: int | None
    also_reported_by: list[str]
    attribution: str = Field(description="Plain-text quote with its attribution line, ready to paste")
    permalink: str
    highlight: str | None = Field(None, description="HTML: the text, escaped, with <mark> around matches")


class SpeakerOut(Schema):
    name: str
    slug: str
    role: str
    organisation: OrganisationRef | None
    wikidata_id: str
    quotes: int
    url: str


class SpeakerDetailOut(SpeakerOut):
    aliases: list[str]


class OrganisationOut(Schema):
    name: str
    slug: str
    kind: str
    wikidata_id: str
    quotes: int
    url: str


class ArticleOut(ArticleRef):
    byline: str
    quotes: int


class ArticleDetailOut(ArticleOut):
    body: str


class QuoteParams(Schema):
    q: str | None = Field(None, pattern=TEXT, description='Words, "exact phrase", -exclude, or')
    speaker: str | None = Field(None, pattern=TEXT, description="Speaker slug or name (spelling variants tolerated)")
    organisation: str | None = Field(None, pattern=TEXT)
    outlet: str | None = Field(None, pattern=TEXT)
    date_after: dt.date | None = None
    date_before: dt.date | None = None
    kind: Literal["full", "partial"] | None = None
    status: Literal["unreviewed", "verified"] | None = None
    sort: Literal["relevance", "newest", "oldest"] | None = None
    page: int = 1


def _org_ref(request, org) -> dict | None:
    if org is None:
        return None
    return {"name": org.name, "slug": org.slug, "url": request.build_absolute_uri(org.get_absolute_url())}


def _article_ref(request, article: Article) -> dict:
    return {
        "id": article.pk, "title": article.title, "outlet": article.outlet, "published": article.published,
        "url": article.public_url, "page": request.build_absolute_uri(article.get_absolute_url()),
    }


def _quote_out(request, card: QuoteCard, highlight=None) -> dict:
    quote = card.quote
    speaker = quote.speaker
    return {
        "id": quote.pk,
        "text": quote.text,
        "kind": quote.kind,
        "status": quote.status,
        "speaker": {"name": speaker.name, "slug": speaker.slug,
                    "url": request.build_absolute_uri(speaker.get_absolute_url())} if speaker else None,
        "speaker_description": quote.speaker_description,
        "role": card.role,
        "organisation": _org_ref(request, card.role_organisation),
        "cue": quote.cue,
        "article": _article_ref(request, quote.article),
        "statement_group": quote.statement_group_id,
        "also_reported_by": [o.article.outlet or o.article.title for o in card.also_reported],
        "attribution": card.copy["plain"],
        "permalink": request.build_absolute_uri(quote.get_absolute_url()),
        "highlight": str(highlight) if highlight else None,
    }


@api.get("/quotes/", response=Page[QuoteOut], tags=["quotes"])
@decorate_view(public_page_cache)
def list_quotes(request: HttpRequest, params: Query[QuoteParams]):
    """Public quotes, filtered and ranked like the /quotes/ page."""
    data = {k: v.isoformat() if isinstance(v, dt.date) else v
            for k, v in params.dict().items() if v is not None and k != "page"}
    public = selectors.public_quotes().defer("article__body")  # the API shows no context
    found = search.quote_search(data, base=public)
    if not found.is_valid:
        raise HttpError(400, "; ".join(f"{k}: {' '.join(v)}" for k, v in found.errors.items()))

    def transform(items):
        marks = found.highlights(items)
        return [_quote_out(request, card, marks.get(card.quote.pk)) for card in quote_cards(items, full=False)]

    return paginate(found.results, params.page, transform, size=found.size)


@api.get("/quotes/{int:quote_id}/", response=QuoteOut, tags=["quotes"])
@decorate_view(public_page_cache)
def get_quote(request: HttpRequest, quote_id: int):
    quote = get_object_or_404(selectors.public_quotes(), pk=quote_id)
    return _quote_out(request, quote_cards([quote], full=False)[0])


def _speaker_out(request, s: Speaker) -> dict:
    return {
        "name": s.name, "slug": s.slug, "role": s.role, "organisation": _org_ref(request, s.organisation),
        "wikidata_id": s.wikidata_id, "quotes": s.n_quotes,
        "url": request.build_absolute_uri(s.get_absolute_url()),
    }


@api.get("/speakers/", response=Page[SpeakerOut], tags=["speakers"])
@decorate_view(public_page_cache)
def list_speakers(request: HttpRequest, q: str | None = Query(None, pattern=TEXT), page: int = 1):
    """Speakers with their number of public quotes; `q` matches names and spelling variants."""
    qs = selectors.speaker_directory()
    if q:
        qs = qs.filter(pk__in=search.speaker_ids_like(q[: search.MAX_QUERY_LENGTH]))
    return paginate(qs, page, lambda items: [_speaker_out(request, s) for s in items])


@api.get("/speakers/{slug:slug}/", response=SpeakerDetailOut, tags=["speakers"])
@decorate_view(public_page_cache)
def get_speaker(request: HttpRequest, slug: str):
    speaker = get_object_or_404(selectors.speaker_directory().prefetch_related("aliases"), slug=slug)
    return {**_speaker_out(request, speaker), "aliases": sorted({a.name for a in speaker.aliases.all()})}


def _organisation_out(request, o: Organisation) -> dict:
    return {"name": o.name, "slug": o.slug, "kind": o.kind, "wikidata_id": o.wikidata_id, "quotes": o.n_quotes,
            "url": request.build_absolute_uri(o.get_absolute_url())}


@api.get("/organisations/", response=Page[OrganisationOut], tags=["organisations"])
@decorate_view(public_page_cache)
def list_organisations(request: HttpRequest, q: str | None = Query(None, pattern=TEXT), page: int = 1):
    qs = selectors.organisation_directory()
    if q:
        qs = qs.filter(name__icontains=q[: search.MAX_QUERY_LENGTH])
    return paginate(qs, page, lambda items: [_organisation_out(request, o) for o in items])


@api.get("/organisations/{slug:slug}/", response=OrganisationOut, tags=["organisations"])
@decorate_view(public_page_cache)
def get_organisation(request: HttpRequest, slug: str):
    return _organisation_out(request, get_object_or_404(selectors.organisation_directory(), slug=slug))


def _article_out(request, a: Article) -> dict:
    return {**_article_ref(request, a), "byline": a.byline, "quotes": a.n_quotes}


@api.get("/articles/", response=Page[ArticleOut], tags=["articles"])
@decorate_view(public_page_cache)
def list_articles(request: HttpRequest, outlet: str | None = Query(None, pattern=TEXT), page: int = 1):
    qs = selectors.article_directory().defer("body")
    if outlet:
        qs = qs.filter(outlet=outlet)
    return paginate(qs, page, lambda items: [_article_out(request, a) for a in items])


@api.get("/articles/{int:article_id}/", response=ArticleDetailOut, tags=["articles"])
@decorate_view(public_page_cache)
def get_article(request: HttpRequest, article_id: int):
    article = get_object_or_404(selectors.article_directory(), pk=article_id)
    return {**_article_out(request, article), "body": article.body}
