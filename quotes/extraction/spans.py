"""Find quotation spans in article text.

Works paragraph by paragraph, because news style closes every quotation before a paragraph
break except when the quotation continues (the next paragraph then opens with a mark).
Straight quotes toggle; curly and guillemet quotes pair by direction; single quotes count as
quotation marks only where an apostrophe cannot be (so States’ and don’t are left alone).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = {"“": "”", "«": "»", "„": "“", "\"": "\""}
CLOSERS = {"”", "»", "\""}
SINGLE_OPEN = {"‘", "'"}
SINGLE_CLOSE = {"’", "'"}
_LEFT_OK = set(" \t\n([{—–-/:;,") | {""}
# Every character _scan_paragraph acts on; the others leave its state unchanged, so it visits
# only these instead of every character of the paragraph.
_DOUBLE_MARKS = re.compile("[“”«»„\"]")


@dataclass
class Span:
    start: int  # first character inside the marks
    end: int  # just past the last character inside the marks
    paragraph: int  # index of the paragraph
    para_start: int  # offset of the paragraph in the text
    para_end: int
    open_mark: int  # offset of the opening mark
    close_mark: int | None  # offset of the closing mark, None when the paragraph ended first
    single: bool = False  # delimited by single quotes


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line block."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            out.append((m.start(), m.end()))
    return out


def _left(text: str, i: int) -> str:
    return text[i - 1] if i > 0 else ""


def _right(text: str, i: int) -> str:
    return text[i + 1] if i + 1 < len(text) else ""


def _can_open_single(text: str, i: int) -> bool:
    return (_left(text, i) in _LEFT_OK or _left(text, i) in "“\"") and _right(text, i).strip() != ""


def _can_close_single(text: str, i: int) -> bool:
    r = _right(text, i)
    return _left(text, i).strip() != "" and (not r.isalnum())


def _scan_paragraph(text: str, ps: int, pe: int, index: int) -> tuple[list[Span], bool]:
    """Spans in one paragraph, and whether its double quotes were well formed.

    Malformed: a mark that can only open appears while a quotation is already open (a stray
    or missing mark), or straight marks do not pair up.
    """
    spans: list[Span] = []
    open_at: int | None = None
    closer = ""
    well_formed = True
    nested = 0
    for m in _DOUBLE_MARKS.finditer(text, ps, pe):
        i = m.start()
        ch = text[i]
        left, right = _left(text, i), _right(text, i)
        if open_at is None:
            if ch in OPENERS and (ch != "\"" or left in _LEFT_OK or left in "“‘'" or i == ps):
                open_at, closer = i, OPENERS[ch]
            elif ch == "”" and i == ps:
                open_at, closer = i, "”"  # some pages use a closing mark to open
            continue
        opens_only = (ch == "“" and closer != "“") or (ch == "\"" and left.isspace() and right.strip() != "" and right not in ",.;:!?")
        if opens_only:
            if ch == "“" and text[open_at] == "“" and _nested(text, i, pe):
                nested += 1  # “… (“term”) …”: a quotation inside the open one stays inside it
                continue
            # A curly opening mark while one is open: the earlier mark lost its closing one, and
            # pairing starts afresh here (curly marks say which way they face). Straight marks
            # do not, so after a stray one nothing in the paragraph can be trusted.
            well_formed = well_formed and ch == "“" and text[open_at] == "“"
            open_at, closer = i, OPENERS.get(ch, "\"")
            continue
        if nested and ch == "”":
            nested -= 1
            continue
        mismatched_close = ch == "\"" and closer != "\"" and not left.isspace() and (not right or not right.isalnum())
        if ch == closer or (ch in CLOSERS and ch != "\"") or (closer == "\"" and ch == "”") or mismatched_close:
            if i > open_at + 1:
                spans.append(Span(open_at + 1, i, index, ps, pe, open_at, i))
            open_at = None
    if open_at is not None and pe > open_at + 1:
        spans.append(Span(open_at + 1, pe, index, ps, pe, open_at, None))
    if not spans and "'" not in text[ps:pe] and "‘" not in text[ps:pe]:
        return spans, well_formed
    if not any(not s.single for s in spans):
        spans.extend(_scan_single(text, ps, pe, index))
    return spans, well_formed


def _nested(text: str, i: int, pe: int) -> bool:
    """Whether the curly opening mark at i, met inside an open quotation, is a quotation within
    it: the next two marks after it are both closing ones."""
    marks = [m.group() for m in _DOUBLE_MARKS.finditer(text, i + 1, pe)][:2]
    return marks == ["”", "”"]


def _scan_single(text: str, ps: int, pe: int, index: int) -> list[Span]:
    """Single-quoted spans in a paragraph that has no double-quoted ones."""
    spans = []
    i = ps
    while i < pe:
        if text[i] in SINGLE_OPEN and _can_open_single(text, i):
            for j in range(i + 2, pe):
                if text[j] in SINGLE_CLOSE and _can_close_single(text, j):
                    # an apostrophe inside a word (don’t) is not a closing mark
                    spans.append(Span(i + 1, j, index, ps, pe, i, j, single=True))
                    i = j
                    break
        i += 1
    return spans


def find_spans(text: str) -> list[Span]:
    """All top-level quotation spans, trimmed of surrounding spaces.

    A paragraph with malformed straight double quotes (a stray mark) is not trusted and
    skipped; with curly marks, only the quotation that lost its closing mark is. A
    quotation left open at the end of a paragraph is kept when the next paragraph opens with
    a quotation mark (news style for a quotation running over several paragraphs), or when
    the paragraph itself opened with the quotation.
    """
    out: list[Span] = []
    paras = paragraphs(text)
    for index, (ps, pe) in enumerate(paras):
        spans, well_formed = _scan_paragraph(text, ps, pe, index)
        next_opens = index + 1 < len(paras) and text[paras[index + 1][0]] in "“\"«„"
        unclosed = [s for s in spans if s.close_mark is None and not s.single]
        if unclosed and not (next_opens or unclosed[0].open_mark == ps):
            continue
        if not well_formed:
            continue
        for s in spans:
            while s.start < s.end and text[s.start].isspace():
                s.start += 1
            while s.end > s.start and text[s.end - 1].isspace():
                s.end -= 1
            if s.end > s.start:
                out.append(s)
    return out
