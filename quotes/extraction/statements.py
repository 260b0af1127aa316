"""The same statement in several outlets: keys to find candidates, a test to confirm them.

Outlets re-punctuate, re-capitalise and trim quotations ("The Biden administration…" /
"The Biden Administration…"), so statements are compared on their lower-cased words.
"""
from __future__ import annotations

import hashlib
import re

from rapidfuzz import fuzz

LEAD_WORDS = 6  # a long quote's first words, enough to find its copies
LONG_QUOTE_WORDS = 8  # quotes this long are distinctive even when attributed differently


def quote_words(text: str) -> list[str]:
    return re.findall(r"\w+", (text or "").lower().replace("’", "'"))


def _digest(words: list[str]) -> str:
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def statement_keys(text: str) -> tuple[str, str]:
    """(key of all words, key of the first words when the quote is long, else "")."""
    words = quote_words(text)
    if not words:
        return "", ""
    lead = _digest(words[:LEAD_WORDS]) if len(words) >= LONG_QUOTE_WORDS else ""
    return _digest(words), lead


def same_statement(a: str, b: str, same_source: bool) -> bool:
    """Two reports of one statement: identical words from the same source, or long and near-identical.

    Short fragments ("hard line") are everyday words and only join when the source is the
    same; long quotations are distinctive enough to join even when outlets credit them
    differently (a spokesperson in one, the statement in another).
    """
    wa, wb = quote_words(a), quote_words(b)
    if not wa or not wb:
        return False
    if wa == wb:
        return same_source or len(wa) >= LONG_QUOTE_WORDS
    shorter = min(len(wa), len(wb))
    if shorter < LONG_QUOTE_WORDS:
        return False
    sa, sb = " ".join(wa), " ".join(wb)
    if fuzz.ratio(sa, sb) >= 90:
        return True
    return same_source and fuzz.partial_ratio(sa, sb) >= 92
