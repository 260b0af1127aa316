"""Turn a saved news page into article text plus metadata.

Pages saved as text keep their chrome: menus, share buttons, photo captions, copyright lines,
newsletter prompts. We drop lines by their shape (short, no sentence punctuation, credit
markers) rather than by any one site's wording, and read title, outlet, byline and date from
the lines that show them.
"""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse

from quotes.extraction.lexicon import REPORTING_WORD_FORMS
from quotes.extraction.types import ArticleMeta

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
DATE_PATTERNS = [
    re.compile(_MONTH + r"\s*(?P<day>\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(?P<year>(?:19|20)\d\d)", re.I),
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s*(?P<year>(?:19|20)\d\d)", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)(?!\d)"),
    re.compile(r"\b(?P<day>\d{1,2})[./](?P<mnum>\d{1,2})[./](?P<year>(?:19|20)\d\d)\b"),
]

# Lines that are page furniture wherever they appear.
CHROME_LINE = re.compile(
    r"""^(?:
        (?:\d+\.\s*)?skip\ to\b.*
      | share\ this\ (?:article|story|page).*
      | copy/paste\b.* | copy\ to\ clipboard.* | copy\ link.*
      | published\ on\b.{0,40}updated.{0,40}
      | (?:photo|image|picture|video)\s*(?:credit|source)?\s*:.*
      | (?:[\w.&-]+\s){0,3}(?:images|photos?|pictures|via\s\w+)  # photo credits: "Getty Images"
      | (?:copyright\b|©|\(c\)\s*\d{4}).* | .{0,80}\ball\ rights\ reserved\b.*
      | (?:advertisement|sponsored|related(?:\ articles?|\ stories|\ content)?|read\ more|more\ on\ this\ topic|you\ might\ also\ like|most\ read|recommended|comments?|sign\ up.*|subscribe.*)
      | \d+\s+users?\ have\ voted\.?
      | get\ (?:top\ stories|the\ .{1,60}delivered).*
      | .{0,80}\bhas\ a\ new\ (?:mobile\ )?app\b.*
      | (?:https?://|www\.)\S+
      | \d+\s*min\.?(?:\s+read)?\b.{0,60}
      | .{0,80}\s(?:»|›)\s.*  # breadcrumbs
      | this\ article\ (?:was\ first\ published|is\ more\ than)\b.*
      | [a-z]{1,4}(?:/[a-z]{1,4})+\s*\([A-Za-z]+(?:,\s*[A-Za-z]+)*\)  # DW-style sign-off "ar/rt (AFP, AP)"
    )$""",
    re.I | re.X,
)
# A link to another story, whatever its headline says ("Read more: Minister says ‘no deal’").
STORY_LINK = re.compile(r"^(?:read\ more|related|see\ also|more\ from\ [\w\ ]{1,40}|watch|listen)\s*:\s*\S.{0,200}$", re.I | re.X)
# A heading of a recirculation box ("Related stories", "More from Europe"): the box's links
# follow it, and the article may go on after the box.
TAIL_MARKER = re.compile(
    r"^(?:you\ might\ also\ like|more\ on\ this\ topic|related\ (?:articles|stories|coverage)|read\ more|most\ read|recommended(?:\ for\ you)?|more\ from\b.*|latest\ news)\s*:?$",
    re.I | re.X,
)
CAPTION_CREDIT = re.compile(
    r"(?:\[[^\]]*(?:via|/|photo|file|reuters|ap|afp|getty|epa)[^\]]*\]\s*$"
    r"|\((?:[A-Z]{2,6}\s+)?photo\)\s*$|image:\s*\S.*$|\bphoto:\s*\S.*$)",
    re.I,
)
BYLINE = re.compile(r"^by\s+(?P<who>[^-–—|]+?)(?:\s*[-–—|]\s*(?P<rest>.*))?$", re.I)
SOURCE_LINE = re.compile(r"^source\s*:\s*(?P<who>.+?)(?:\s+and\s+(?:news\s+)?agencies)?\.?$", re.I)
SKIP_TO_SITE = re.compile(r"skip to more (?P<who>.+?) sites", re.I)
APP_PROMO = re.compile(r"^(?:the\s+)?(?P<who>[A-Z][\w.&' ]{1,60}?) has a new (?:mobile )?app", re.I)
DELIVERED = re.compile(r"get the (?P<who>[A-Z][\w.&' ]{1,60}?) delivered", re.I)
COPYRIGHT_OWNER = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*)?(?P<who>[A-Z][^/|]{1,60}?)(?:\s+L\.?P\.?|\s+Ltd\.?|\s+Inc\.?)?\s*$", re.I)
SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*\s*$|["”’]\s*$""")
QUOTE_MARKS = "\"“”«»„"


def parse_date(text: str) -> dt.date | None:
    """The first calendar date written in `text`, in any of the forms news pages use."""
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            g = m.groupdict()
            month = int(g["mnum"]) if g.get("mnum") else MONTHS.get(g["month"].lower().rstrip("."))
            try:
                return dt.date(int(g["year"]), int(month), int(g["day"]))
            except (TypeError, ValueError):
                continue
    return None


def _words(line: str) -> int:
    return len(line.split())


# A reporting cue beside a quotation mark: a block holding one is what the article is about.
SPEECH_CUE = re.compile(
    r"\b(?:according to|" + "|".join(sorted(REPORTING_WORD_FORMS, key=len, reverse=True)) + r")\b", re.I
)


def _reports_speech(line: str) -> bool:
    """A quotation with a reporting cue: never dropped as furniture, whatever its shape."""
    return any(q in line for q in QUOTE_MARKS) and bool(SPEECH_CUE.search(line)) and _words(line) >= 5


def _resumes_article(line: str) -> bool:
    """After a recirculation box, the first line of prose (a sentence of some length, or a
    reported quotation ending like a sentence) is the article going on; the box's headlines
    before it are not, even one that quotes somebody."""
    return _is_sentence(line) and (_words(line) >= 12 or _reports_speech(line))


def _is_sentence(line: str) -> bool:
    return bool(SENTENCE_END.search(line)) and _words(line) >= 6


def _outlet_from_url(url: str) -> str:
    host = urlparse(url).hostname or ""
    parts = [p for p in host.split(".") if p not in {"www", "p", "m", "amp", "edition"}]
    if len(parts) >= 2:
        name = parts[-2]
        return name.upper() if len(name) <= 3 else name.capitalize()
    return ""


def clean_article(raw: str) -> tuple[ArticleMeta, str]:
    """Split a saved page into (metadata, cleaned body). The body keeps article paragraphs only."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\ufeff", "")
    lines = [ln.strip() for ln in text.split("\n")]
    meta = ArticleMeta()
    agency = _page_meta(lines, meta)
    body_lines = _body_lines(lines, meta)
    body = "\n\n".join(p for p in _paragraphs(body_lines))
    _count_prose(lines, body_lines, meta)
    if not meta.outlet and meta.url:
        meta.outlet = _outlet_from_url(meta.url)
    if not meta.outlet and agency:
        meta.outlet = agency
    if agency and not meta.byline:
        meta.byline = agency
    return meta, body


def _count_prose(lines: list[str], body_lines: list[str], meta: ArticleMeta) -> None:
    """The page's prose (its distinct sentence lines other than the headline) and how much of it
    the cleaner dropped as furniture, in characters."""
    prose = {ln for ln in lines if _is_sentence(ln)} - {meta.title}
    kept = set(body_lines)
    meta.prose_chars = sum(len(ln) for ln in prose)
    meta.dropped_prose_chars = sum(len(ln) for ln in prose - kept)


def _page_meta(lines: list[str], meta: ArticleMeta) -> str:
    """Outlet and URL from the page's furniture lines; returns the copyright owner ("" if none)."""
    agency = ""
    for ln in lines:
        if not ln:
            continue
        if not meta.outlet:
            for pattern in (SKIP_TO_SITE, APP_PROMO, DELIVERED):
                m = pattern.search(ln)
                if m:
                    meta.outlet = m.group("who").strip()
                    break
        m = SOURCE_LINE.match(ln)
        if m and _words(ln) <= 10:
            meta.outlet = meta.outlet or m.group("who").strip()
        if not meta.url:
            m = re.match(r"^(https?://\S+)$", ln)
            if m:
                meta.url = m.group(1)
        m = COPYRIGHT_OWNER.search(ln)
        if m and _words(ln) <= 8 and not agency:
            agency = m.group("who").strip(" .")
    return agency


def _body_lines(lines: list[str], meta: ArticleMeta) -> list[str]:
    """The article's lines (blank lines between paragraphs), filling title, byline and date."""
    anchored = _title_before_dateline(lines)
    body_lines: list[str] = []
    seen: set[str] = set()
    title_found = in_box = False
    for i, ln in enumerate(lines):
        if anchored is not None and not title_found:
            if i < anchored:
                continue  # page furniture above the headline
            if i == anchored:
                meta.title, title_found = ln, True
                seen.add(ln)
                continue
        if not ln:
            if body_lines and body_lines[-1] != "":
                body_lines.append("")
            continue
        if STORY_LINK.match(ln):
            continue
        if TAIL_MARKER.match(ln) and title_found:
            in_box = True  # a recirculation box: its links follow, until the article's prose resumes
            continue
        if in_box:
            if not (_resumes_article(ln)):
                continue
            in_box = False
        by = BYLINE.match(ln)
        if by and _words(ln) <= 14 and not _is_sentence(ln):
            _read_byline(by, meta)
            continue
        m = SOURCE_LINE.match(ln)
        if m and _words(ln) <= 10:
            continue
        if CHROME_LINE.match(ln) and not _reports_speech(ln):
            if not meta.published and _words(ln) <= 12:
                meta.published = parse_date(ln)
            continue
        if not title_found:
            found = _headline(lines, i, meta)
            if found == "not yet":
                continue
            title_found = True
            if found == "headline":
                seen.add(ln)
                continue
        if ln in seen:  # repeated headline or caption
            continue
        seen.add(ln)
        if _words(ln) <= 6 and parse_date(ln) and not _is_sentence(ln):
            meta.published = meta.published or parse_date(ln)
            continue
        if (CAPTION_CREDIT.search(ln) or any(other != ln and other.startswith(ln) for other in lines[i + 1: i + 3])) \
                and not _reports_speech(ln):
            continue
        if not _is_sentence(ln) and not any(q in ln for q in QUOTE_MARKS) and _looks_like_caption(lines, i):
            continue
        body_lines.append(ln)
    return body_lines


def _read_byline(by: re.Match, meta: ArticleMeta) -> None:
    who = by.group("who").strip()
    meta.byline = meta.byline or who
    outlet = re.split(r"\s+(?:with|and|/)\s+", who)[0].strip()
    if not meta.outlet and outlet and outlet[0].isupper():
        meta.outlet = outlet
    if not meta.published:
        meta.published = parse_date(by.group("rest") or "")


def _headline(lines: list[str], i: int, meta: ArticleMeta) -> str:
    """Whether line i, met before any headline, is "not yet" the headline (menu crumbs, a date),
    the "headline", or the "first paragraph" of a page saved without one (titled by its first sentence)."""
    ln = lines[i]
    # Menu crumbs above the headline are short and unpunctuated.
    following = next((x for x in lines[i + 1 :] if x), "")
    if _words(ln) < 4 and not any(q in ln for q in QUOTE_MARKS) and not _is_sentence(following):
        return "not yet"
    date = parse_date(ln)
    if date and _words(ln) <= 6:
        meta.published = meta.published or date
        return "not yet"
    if (_words(ln) >= 12 and re.search(r"[.!]$", ln)) or _words(ln) >= 25:
        # No headline saved: the page opens with the first paragraph. Keep it in the
        # body and title the article with its opening sentence.
        meta.title = _first_sentence(ln)
        return "first paragraph"
    meta.title = ln
    return "headline"


BREADCRUMB = re.compile(r"\s(?:»|›|>)\s")
HEADLINE_START = re.compile(r"[\"'“‘«\d]|[^\W\d_](?<=[A-Z]|[^\x00-\x7f])")  # a capital, a digit or a quote mark
CREDIT_OR_DATELINE = re.compile(r"\s/\s|^[A-Z][A-Z .,'-]{2,40}\s[—–]\s")
EMBED_SIGNATURE = re.compile(r"^[—–-]\s|\(@\w+\)")


def _title_before_dateline(lines: list[str]) -> int | None:
    """Index of the headline when the page shows it right above its date or byline.

    App promos and breadcrumbs often sit above the headline; the line directly above a
    dateline ("July 09, 2022 22:11 IST", "By AFP - Dec 29,2021") is the headline: a capitalised
    line, not a menu item ("watch us on video"). Everything above the headline is dropped (and
    counted), so an embedded post's signature ("— Name (@handle) November 9, 2018") is no
    dateline: the post's text above it is no headline.
    """
    content = [(i, ln) for i, ln in enumerate(lines[:80]) if ln][:20]
    for n, (i, ln) in enumerate(content):
        dateline = (parse_date(ln) and _words(ln) <= 12) or (BYLINE.match(ln) and _words(ln) <= 14)
        if not dateline or n == 0 or EMBED_SIGNATURE.search(ln):
            continue
        for j, prev in content[max(0, n - 3): n]:  # the earliest: standfirsts sit below the headline
            if _looks_like_headline(prev):
                return j
        return None
    return None


def _looks_like_headline(line: str) -> bool:
    """A headline's shape: 4 to 25 words, capitalised, no full stop at the end, and not a
    breadcrumb, a credit ("Name / Agency"), a dateline ("CITY — Outlet") or other furniture."""
    return 4 <= _words(line) <= 25 and bool(HEADLINE_START.match(line)) and not line.endswith(".") \
        and not BREADCRUMB.search(line) and not CHROME_LINE.match(line) and not CAPTION_CREDIT.search(line) \
        and not CREDIT_OR_DATELINE.search(line)


def _first_sentence(text: str, limit: int = 120) -> str:
    m = re.match(r"(.+?[.!?])(?:\s+[A-Z“\"]|$)", text)
    sentence = m.group(1) if m else text
    if len(sentence) > limit:
        sentence = sentence[:limit].rsplit(" ", 1)[0] + "…"
    return sentence


def _looks_like_caption(lines: list[str], i: int) -> bool:
    """An unpunctuated line beside another caption-like line, or one that is a name only.

    Sub-headings are kept (they are short questions or phrases between paragraphs); captions
    come in runs next to credits or repeat the line before them.
    """
    ln = lines[i]
    if ln.endswith("?"):
        return False
    neighbours = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines) and lines[j]]
    for other in neighbours:
        if other == ln or CAPTION_CREDIT.search(other) or other.startswith(ln) or ln.startswith(other):
            return True
        if not _is_sentence(other) and not other.endswith("?") and _words(other) >= 4 and not any(q in other for q in QUOTE_MARKS):
            return True
    return False


def _paragraphs(body_lines: list[str]):
    for ln in body_lines:
        if ln:
            yield ln
