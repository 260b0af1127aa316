"""Article text shaped for reading: a quote's paragraph, an article's paragraphs with its
quotes marked, and two wordings of one statement diffed word by word."""
from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from quotes.models import Article, Quote

CONTEXT_CHARS = 700


def paragraph_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (blank-line separated) around body[start:end], capped for very long ones."""
    p_start = body.rfind("\n\n", 0, start)
    p_start = 0 if p_start < 0 else p_start + 2
    p_end = body.find("\n\n", end)
    p_end = len(body) if p_end < 0 else p_end
    return max(p_start, start - CONTEXT_CHARS), min(p_end, end + CONTEXT_CHARS)


def quote_context(quote: Quote) -> dict:
    body = quote.article.body or ""
    start, end = min(quote.start, len(body)), min(quote.end, len(body))
    p_start, p_end = paragraph_bounds(body, start, end)
    return {
        "before": ("…" if p_start > 0 and body[p_start - 1] not in "\n" else "") + body[p_start:start].lstrip(),
        "quoted": body[start:end],
        "after": body[end:p_end].rstrip() + ("…" if p_end < len(body) and body[p_end] != "\n" else ""),
    }


_DIFF_TOKEN = re.compile(r"\w+|[^\w\s]|\s+")


def word_diff(a: str, b: str) -> tuple[str, str]:
    """Two escaped HTML strings with the words/punctuation that differ wrapped in <del>/<ins>."""
    # A trailing comma belongs to the reporter's sentence, not to the statement.
    ta = _DIFF_TOKEN.findall(" ".join(a.split()).removesuffix(","))
    tb = _DIFF_TOKEN.findall(" ".join(b.split()).removesuffix(","))
    out_a, out_b = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        left, right = escape("".join(ta[i1:i2])), escape("".join(tb[j1:j2]))
        if op == "equal":
            out_a.append(left)
            out_b.append(right)
            continue
        if left:
            out_a.append(f"<del>{left}</del>")
        if right:
            out_b.append(f"<ins>{right}</ins>")
    return mark_safe("".join(out_a)), mark_safe("".join(out_b))


def statement_diffs(quote: Quote, others) -> list[dict]:
    """The other outlets' wording of the same statement, diffed against this quote."""
    versions = []
    for other in others:
        mine, theirs = word_diff(quote.text, other.text)
        versions.append({"quote": other, "mine": mine, "theirs": theirs, "same": quote.text.split() == other.text.split()})
    return versions


def article_paragraphs(article: Article, quotes) -> list[list[dict]]:
    """The body as paragraphs of segments; a segment is plain text or (part of) a quote."""
    body = article.body or ""
    spans, last_end = [], 0
    for q in sorted(quotes, key=lambda q: (q.start, -q.end)):
        if q.start >= last_end and q.end <= len(body):
            spans.append(q)
            last_end = q.end
    paragraphs = []
    pos = 0
    for m in list(re.finditer(r"\n\s*\n", body)) + [None]:
        p_start, p_end = pos, (m.start() if m else len(body))
        pos = m.end() if m else len(body)
        if not body[p_start:p_end].strip():
            continue
        segments, cursor = [], p_start
        for q in spans:
            if q.end <= p_start or q.start >= p_end:
                continue
            s, e = max(q.start, p_start), min(q.end, p_end)
            if s > cursor:
                segments.append({"text": body[cursor:s]})
            segments.append({"text": body[s:e], "quote": q, "first": s == q.start})
            cursor = e
        if cursor < p_end:
            segments.append({"text": body[cursor:p_end]})
        paragraphs.append(segments)
    return paragraphs
