"""Quote extraction: plain text in, plain dataclasses out. Imports nothing from Django.

    from quotes.extraction import extract_article
    result = extract_article(raw_text)          # ExtractionResult
"""
from quotes.extraction.types import ArticleMeta, ExtractedQuote, ExtractionResult, SpeakerMention
from quotes.extraction.pipeline import extract_article, extract_from_cleaned, load_nlp

__all__ = [
    "ArticleMeta",
    "ExtractedQuote",
    "ExtractionResult",
    "SpeakerMention",
    "extract_article",
    "extract_from_cleaned",
    "load_nlp",
]
