"""The parsed body: spaCy tokens found by character offset, quoted ranges, sentence and
paragraph bounds. Everything else in attribution reads the article through this."""
from __future__ import annotations

import bisect
import re

from quotes.extraction.spans import Span

SENTENCE_END = re.compile(r"[.!?](?=[\s\"”’']|$)")
ABBREVIATION = re.compile(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Capt|Prof|Jr|Sr|No|vs|etc|Inc|Ltd|Co|Corp|U\.S|a\.m|p\.m)\.)$")


class ArticleText:
    """The parsed body: spaCy docs over paragraphs plus a map from characters to tokens.

    Lookups are by binary search, so attributing every quote of a long article stays linear
    in its length rather than quadratic.
    """

    def __init__(self, body: str, docs: list[tuple[int, object]], spans: list[Span]):
        self.body = body
        self.docs = docs
        self.spans = spans
        self.tokens = [(offset + tok.idx, tok) for offset, doc in docs for tok in doc]
        self.positions = [pos for pos, _ in self.tokens]
        self.quoted = sorted((s.open_mark, (s.close_mark if s.close_mark is not None else s.end - 1) + 1) for s in spans)
        self.quote_starts = [a for a, _ in self.quoted]
        self.doc_offsets = {id(doc): off for off, doc in docs}

    def offset(self, tok) -> int:
        return self.doc_offsets.get(id(tok.doc), 0) + tok.idx

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self.quote_starts, pos) - 1
        return i >= 0 and self.quoted[i][0] <= pos < self.quoted[i][1]

    def tokens_between(self, start: int, end: int, outside_quotes: bool = True):
        lo = bisect.bisect_left(self.positions, start)
        hi = bisect.bisect_left(self.positions, end)
        return [tok for pos, tok in self.tokens[lo:hi] if not (outside_quotes and self.in_quote(pos))]

    def paragraph_start(self, pos: int) -> int:
        return self.body.rfind("\n", 0, pos) + 1

    def previous_paragraph(self, pos: int) -> tuple[int | None, int]:
        """(start, end) of the paragraph before the one holding `pos`; (None, 0) for the first."""
        body = self.body
        end = self.paragraph_start(pos) - 1
        while end > 0 and body[end - 1] == "\n":
            end -= 1
        if end <= 0:
            return None, 0
        return body.rfind("\n", 0, end) + 1, end


def sentence_bounds(text: str, start: int, end: int, para_start: int, para_end: int, quoted) -> tuple[int, int]:
    """The sentence around [start, end): sentence ends inside quotation marks do not count."""

    def counts(m) -> bool:
        i = m.start()
        return not any(a <= i < b for a, b in quoted) and not ABBREVIATION.search(text[max(para_start, i - 5): i + 1])

    left = para_start
    for m in SENTENCE_END.finditer(text, para_start, start):
        if counts(m):
            left = m.end()
    right = para_end
    for m in SENTENCE_END.finditer(text, end, para_end):
        if counts(m):
            right = m.end()
            break
    return left, right
