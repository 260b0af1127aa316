"""Extraction of many articles at once: one nlp.pipe over all their chunks, optionally in
worker processes. Pure Python (no Django), so worker processes start without the project.
"""
from __future__ import annotations

from dataclasses import dataclass

from quotes.extraction.pipeline import chunk_offsets, extract_from_cleaned, load_nlp
from quotes.extraction.spans import find_spans
from quotes.extraction.types import ArticleMeta, ExtractionResult

# Texts per nlp.pipe batch. spaCy pads a batch into arrays sized by its longest text, so peak
# memory grows with batch size x chunk size: 64 chunks of ~1,000 words took ~1.1 GB, 8 take
# ~0.3 GB at the same CPU time per word (measured with bench_ingest, see docs/scaling.md).
PIPE_BATCH_SIZE = 8


@dataclass
class PreparedArticle:
    name: str
    body: str
    meta: ArticleMeta
    digest: str


def extract_many(articles: list[PreparedArticle], nlp=None) -> list[ExtractionResult | str]:
    """One result per article (or the error message); bodies without quotation marks are not parsed."""
    nlp = nlp or load_nlp()
    chunks: list[tuple[int, int, int]] = []  # (article index, start, end)
    spans = [find_spans(article.body) for article in articles]  # found once, used twice
    for index, article in enumerate(articles):
        if spans[index]:
            chunks.extend((index, s, e) for s, e in chunk_offsets(article.body))
    docs: dict[int, list] = {}
    texts = (articles[i].body[s:e] for i, s, e in chunks)
    for (index, start, _), doc in zip(chunks, nlp.pipe(texts, batch_size=PIPE_BATCH_SIZE)):
        docs.setdefault(index, []).append((start, doc))
    results: list[ExtractionResult | str] = []
    for index, article in enumerate(articles):
        try:
            results.append(extract_from_cleaned(article.body, article.meta, nlp=nlp, docs=docs.get(index, []),
                                                spans=spans[index]))
        except Exception as exc:  # a bug on one article must not lose the batch
            results.append(f"extraction failed: {type(exc).__name__}: {exc}")
    return results


_worker_nlp = None


def worker_init() -> None:
    global _worker_nlp
    _worker_nlp = load_nlp()


def worker_extract(articles: list[PreparedArticle]) -> list[ExtractionResult | str]:
    return extract_many(articles, _worker_nlp)
