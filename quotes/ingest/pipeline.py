"""Ingest a stream of source records: skip known articles before parsing, parse in batches
(in worker processes with workers > 1), store each article in its own transaction.

Memory stays flat: records are read lazily and at most a few batches are in flight.
"""
from __future__ import annotations

import hashlib
import multiprocessing
from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from quotes.ingest import store
from quotes.extraction import ArticleMeta, extract_from_cleaned
from quotes.extraction.batch import PreparedArticle, extract_many, worker_extract, worker_init
from quotes.extraction.clean import clean_article
from quotes.models import Article
from quotes.ingest.files import SourceError

BATCH_ARTICLES = 16


@dataclass
class IngestEvent:
    status: str  # "new" | "unchanged" | "failed"
    name: str
    reason: str = ""
    outcome: store.IngestOutcome | None = None


@dataclass
class IngestCounts:
    new: int = 0
    unchanged: int = 0
    failed: int = 0
    quotes: int = 0


def content_hash(body: str) -> str:
    """The article's identity: sha256 of the cleaned body with whitespace runs collapsed."""
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


def _apply_meta(meta: ArticleMeta, given: dict | None) -> ArticleMeta:
    """Metadata a file or a person gave beats what the cleaner read off the text."""
    for key, value in (given or {}).items():
        if value:
            setattr(meta, key, value)
    return meta


def prepare(text: str, *, name: str = "", meta: dict | None = None) -> PreparedArticle:
    """The first step of every way in: clean the text once and key it by its content."""
    parsed, body = clean_article(text)
    if not body.strip():
        raise ValueError("no article text found")
    return PreparedArticle(name, body, _apply_meta(parsed, meta), content_hash(body))


def article_ingest(article: PreparedArticle, *, meta: dict | None = None, nlp=None) -> store.IngestOutcome:
    """Extract and store one prepared article (the admin's paste); one already stored is left
    untouched. `meta` overrides what the cleaner read, as a file's metadata does."""
    existing = Article.objects.filter(content_hash=article.digest).first()
    if existing:
        return store.IngestOutcome("unchanged", existing)
    result = extract_from_cleaned(article.body, _apply_meta(article.meta, meta), nlp=nlp)
    return store.article_store(result, article.digest, article.name)


def _batches(records: Iterable, seen: dict[str, str], emit) -> Iterator[list[PreparedArticle]]:
    """New articles in batches; failures and already-stored articles are reported on the way.

    An article stored (or queued) under another file name is reported with that name, so the
    operator sees that the second copy was recognised rather than lost.
    """
    batch: list[PreparedArticle] = []
    for record in records:
        if isinstance(record, SourceError):
            emit(IngestEvent("failed", record.name, record.reason))
            continue
        try:
            article = prepare(record.text, name=record.name, meta=record.meta)
        except Exception as exc:
            emit(IngestEvent("failed", record.name, str(exc) or type(exc).__name__))
            continue
        known = seen.get(article.digest)
        if known is None:
            known = Article.objects.filter(content_hash=article.digest).values_list("source_file", flat=True).first()
        if known is not None:
            same_file = known == record.name or not known
            emit(IngestEvent("unchanged", record.name, "" if same_file else f"same article as {known}, stored once"))
            continue
        seen[article.digest] = record.name
        batch.append(article)
        if len(batch) >= BATCH_ARTICLES:
            yield batch
            batch = []
    if batch:
        yield batch


def _store(article: PreparedArticle, result, emit) -> None:
    if isinstance(result, str):
        emit(IngestEvent("failed", article.name, result))
        return
    try:
        outcome = store.article_store(result, article.digest, article.name)
    except Exception as exc:  # one article's database error never stops the others
        emit(IngestEvent("failed", article.name, (str(exc).splitlines() or [type(exc).__name__])[0]))
        return
    reason = ""
    if outcome.status == "unchanged" and outcome.article.source_file != article.name:
        # another ingest running at the same time stored it first
        reason = f"same article as {outcome.article.source_file}, stored once"
    emit(IngestEvent(outcome.status, article.name, reason, outcome=outcome if outcome.status == "new" else None))


def ingest_records(records: Iterable, workers: int = 1, nlp=None,
                   on_event: Callable[[IngestEvent], None] | None = None) -> IngestCounts:
    counts = IngestCounts()

    def emit(event: IngestEvent) -> None:
        setattr(counts, event.status, getattr(counts, event.status) + 1)
        if event.outcome is not None:
            counts.quotes += event.outcome.quotes
        if on_event:
            on_event(event)

    seen: dict[str, str] = {}
    batches = _batches(records, seen, emit)
    if workers <= 1:
        for batch in batches:
            for article, result in zip(batch, extract_many(batch, nlp)):
                _store(article, result, emit)
        return counts
    context = multiprocessing.get_context("spawn")  # workers import no Django and share no DB connection
    with context.Pool(workers, initializer=worker_init) as pool:
        in_flight: deque = deque()
        for batch in batches:
            in_flight.append((batch, pool.apply_async(worker_extract, (batch,))))
            while len(in_flight) > workers * 2:
                done_batch, pending = in_flight.popleft()
                for article, result in zip(done_batch, pending.get()):
                    _store(article, result, emit)
        while in_flight:
            done_batch, pending = in_flight.popleft()
            for article, result in zip(done_batch, pending.get()):
                _store(article, result, emit)
    return counts
