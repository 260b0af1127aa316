"""Attribute each quotation span to a speaker, the way a careful reader would.

For every span we look for the reporting cue nearest to it: first the words after the
closing mark in the same sentence ("…,” Ushakov said), then the words before the opening
mark ("Peskov added, “…"), then the rest of the sentence. The cue is a speech verb (say,
tell, add, warn, go on …) or "according to" (cues.py); its grammatical subject is the
source. A subject that is a pronoun, a description ("the spokesperson") or a statement is
resolved against the referents the article has introduced so far (resolution.py,
referents.py). A quotation with no cue of its own continues the previous speaker when it
follows their quote, or is given to the person the text around it is about.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from quotes.extraction.cues import cue_text, find_cue, find_cues, governs, is_passive, is_reporting, subject_of
from quotes.extraction.lexicon import PRONOUN_GENDER
from quotes.extraction.mentions import register_mentions
from quotes.extraction.names import looks_like_person_name
from quotes.extraction.parsed import SENTENCE_END, ArticleText, sentence_bounds
from quotes.extraction.referents import Referent, Registry
from quotes.extraction.resolution import Resolver
from quotes.extraction.spans import Span
from quotes.extraction.tokens import joined, name_tokens


@dataclass
class Attribution:
    referent: Referent | None
    cue: str
    method: str
    confidence: float
    description: str = ""  # the words the article used for the source here


class Attributor:
    """Attributes the spans of one article in order; `remember` each kept attribution."""

    def __init__(self, text: ArticleText):
        self.text = text
        self.registry = Registry()
        self.resolver = Resolver(text, self.registry)
        register_mentions(text, self.registry)

    def remember(self, paragraph: int, att: Attribution) -> None:
        """The speaker of a stored quote, whom a later "he said" may mean."""
        self.resolver.last_speaker = (paragraph, att.referent)

    # -- a cue and its source --------------------------------------------------------------
    def first_attribution(self, toks, nearest_last: bool, para: int, quote_tok=None) -> Attribution | None:
        """The attribution given by the nearest cue that names a source.

        For words inside a sentence (`quote_tok` given), a speech verb must govern them:
        in "the CDC recommends …, and a law requires schools to adhere “to the extent …”"
        the CDC recommends nothing of the quoted words.
        """
        window_ids = {t.i for t in toks}
        for kind, tok in find_cues(toks, nearest_last):
            if quote_tok is not None and kind == "verb" and not governs(tok, quote_tok):
                continue
            att = self.attribute_with_cue(kind, tok, window_ids, para)
            if att is not None:
                return att
        return None

    def attribute_with_cue(self, kind: str, tok, window_ids: set[int], para: int) -> Attribution | None:
        pos = self.text.offset(tok)
        if kind == "according":
            return self._according_to(tok, window_ids, pos, para)
        if kind == "noun":
            return self._speech_noun(tok, pos, para)
        return self._speech_verb(tok, window_ids, pos, para)

    def _according_to(self, tok, window_ids: set[int], pos: int, para: int) -> Attribution | None:
        to = tok.doc[tok.i + 1]
        obj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if obj is None and tok.i + 2 < len(tok.doc):
            obj = tok.doc[tok.i + 2]
            while obj.head.i > obj.i and obj.head.i in window_ids and obj.dep_ in ("compound", "amod", "det", "nummod"):
                obj = obj.head
        if obj is None:
            return None
        ref, method, conf, desc = self.resolver.resolve_subject(obj, pos, para)
        if ref is None and method == "none":
            return None
        return Attribution(ref, "according to", "according_to" if method in ("explicit", "title") else method, min(conf, 0.85), desc)

    def _speech_noun(self, tok, pos: int, para: int) -> Attribution | None:
        """"was the initial reaction of Teresa Nelson", "his remarks that …"."""
        prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "from", "by")), None)
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
        obj = obj if obj is not None else next((c for c in tok.children if c.dep_ == "poss"), None)
        if obj is None:
            return None
        if obj.lower_ in PRONOUN_GENDER:  # a possessive points back to the nearest mention
            ref, conf = self.resolver.nearest_mention(obj.lower_, pos)
            return Attribution(ref, tok.text, "pronoun", min(conf, 0.7)) if ref is not None else None
        ref, method, conf, desc = self.resolver.resolve_subject(obj, pos, para)
        if ref is None:
            return None
        return Attribution(ref, tok.text, method, min(conf, 0.8), desc)

    def _speech_verb(self, verb, window_ids: set[int], pos: int, para: int) -> Attribution | None:
        outside = lambda t: not self.text.in_quote(self.text.offset(t))  # noqa: E731
        subj = subject_of(verb, outside=outside)
        att = None
        if subj is not None:
            ref, method, conf, desc = self.resolver.resolve_subject(subj, pos, para)
            if not (ref is None and method == "none"):
                att = Attribution(ref, cue_text(verb), method, conf, desc)
        if subj is None and is_passive(verb):
            # "was accused of being “reckless”": words of someone unnamed
            att = Attribution(None, cue_text(verb), "passive", 0.3)
        if att is None or att.referent is None or att.referent.kind != "person":
            # "Blinken …, saying Washington condemns “…”": the reporting verb above speaks
            head = verb
            while head.dep_ in ("ccomp", "xcomp", "advcl", "conj") and head.head.i != head.i and head.head.i in window_ids:
                head = head.head
                if is_reporting(head):
                    upper = subject_of(head, outside=outside)
                    if upper is not None:
                        ref, method, conf, desc = self.resolver.resolve_subject(upper, pos, para)
                        if ref is not None and ref.kind == "person":
                            return Attribution(ref, cue_text(head), method, round(conf * 0.9, 3), desc)
        return att

    # -- a span: the windows around it, then the text around it ----------------------------
    def attribute(self, span: Span, prev: tuple[Span, Attribution] | None) -> Attribution | None:
        close = span.close_mark if span.close_mark is not None else span.end
        sent_start, sent_end = sentence_bounds(self.text.body, span.open_mark, close + 1, span.para_start,
                                               span.para_end, self.text.quoted)
        return (self._cue_in_sentence(span, close, sent_start, sent_end)
                or self._pull_quote_credit(span, close)
                or self._introduced_with_colon(span)
                or self._headline_name_colon(span)
                or self._continuation(span, prev)
                or self._named_in_next_sentence(span, sent_end)
                or self._subject_before(span, sent_start)
                or self._previous_paragraph_subject(span))

    def _cue_in_sentence(self, span: Span, close: int, sent_start: int, sent_end: int) -> Attribution | None:
        """The nearest cue in the quotation's own sentence, after it first, then before it."""
        text, body = self.text, self.text.body
        next_open = min([s.open_mark for s in text.spans if s.open_mark > close and s.paragraph == span.paragraph] or [sent_end])
        prev_close = max([((s.close_mark or s.end) + 1) for s in text.spans if s.open_mark < span.open_mark and s.paragraph == span.paragraph] or [sent_start])
        windows = [
            (close + 1, min(sent_end, next_open), False, 1.0),  # "…,” X said.
            (max(sent_start, prev_close), span.open_mark, True, 1.0),  # X said: “…
            (sent_start, span.open_mark, True, 0.9),  # the whole sentence before
            (close + 1, sent_end, False, 0.9),  # the whole sentence after
        ]
        quote_ends_sentence = re.search(r"[.!?…][\"”’']*$", body[span.start:span.end]) is not None
        quote_toks = text.tokens_between(span.start, span.end, outside_quotes=False)
        quote_tok = quote_toks[0] if quote_toks else None
        partial = span.open_mark > span.para_start and not body[span.start:span.start + 1].isupper()
        for n, (start, end, nearest_last, factor) in enumerate(windows):
            if end <= start:
                continue
            if n in (0, 3) and quote_ends_sentence and end == next_open and body[start:end].rstrip().endswith((",", ":")):
                continue  # '… opportunity." He added, "…': the cue introduces the next quotation
            toks = text.tokens_between(start, end)
            if not toks:
                continue
            att = self.first_attribution(toks, nearest_last, span.paragraph, quote_tok if partial else None)
            if att is not None:
                att.confidence = round(att.confidence * factor, 3)
                return att
        return None

    def _pull_quote_credit(self, span: Span, close: int) -> Attribution | None:
        """A pull-quote credit: “…” Fed Chair Janet Yellen (a name and nothing else after it)."""
        tail = self.text.body[close + 1: span.para_end].strip(" ,—–-")
        if not tail or len(tail.split()) > 8 or SENTENCE_END.search(tail[:-1] if tail.endswith(".") else tail):
            return None
        toks = self.text.tokens_between(close + 1, span.para_end)
        if not toks or any(t.pos_ in ("VERB", "AUX") for t in toks):
            return None
        head = next((t for t in reversed(toks) if t.pos_ == "PROPN"), None)
        if head is None:
            return None
        name = joined(name_tokens(head))
        ref = self.registry.find_person(name) or (
            self.registry.person(name, close + 1) if looks_like_person_name(name.split()) else None)
        return Attribution(ref, "", "credit", 0.8) if ref is not None else None

    def _introduced_with_colon(self, span: Span) -> Attribution | None:
        """"Smith said:" closing the previous paragraph introduces a quotation paragraph."""
        if not (span.open_mark == span.para_start and span.para_start >= 2):
            return None
        body = self.text.body
        before = body[: span.para_start].rstrip()
        if not before.endswith(":"):
            return None
        p_start = body.rfind("\n", 0, len(before)) + 1
        s_start, _ = sentence_bounds(body, len(before) - 1, len(before), p_start, len(before), self.text.quoted)
        toks = self.text.tokens_between(s_start, len(before))
        kind, tok = find_cue(toks, nearest_last=True)
        if tok is None:
            return None
        att = self.attribute_with_cue(kind, tok, {t.i for t in toks}, span.paragraph)
        if att is not None:
            att.confidence = round(att.confidence * 0.9, 3)
        return att

    def _headline_name_colon(self, span: Span) -> Attribution | None:
        """A headline that opens with a person's name and ends with their words after a colon:
        "Courtney Love, 58, bares abs in bikini: ‘Living well is the best revenge’"."""
        body = self.text.body
        lead = body[span.para_start:span.open_mark].rstrip()
        rest = body[(span.close_mark if span.close_mark is not None else span.end) + 1:span.para_end].strip()
        if not lead.endswith(":") or len(lead.split()) > 20 or SENTENCE_END.search(lead[:-1]) or len(rest.split()) > 3:
            return None
        words = re.match(r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){1,3}", lead)
        if words is None:
            return None
        name = words.group().rstrip(".")
        ref = self.registry.find_person(name)
        if ref is None and looks_like_person_name(name.split()):
            ref = self.registry.person(name, span.para_start)
        return Attribution(ref, "", "colon", 0.6) if ref is not None else None

    def _continuation(self, span: Span, prev: tuple[Span, Attribution] | None) -> Attribution | None:
        """No cue of its own: the quotation continues the previous speaker's words."""
        if prev is None:
            return None
        prev_span, prev_att = prev
        same_para = prev_span.paragraph == span.paragraph
        next_para = prev_span.paragraph == span.paragraph - 1
        paragraph_is_quote = self.text.body[span.para_start] in "\"“”‘'«" and span.open_mark == span.para_start
        if not (same_para or (next_para and paragraph_is_quote)):
            return None
        conf = 0.85 if same_para else 0.75
        return Attribution(prev_att.referent, prev_att.cue, "continuation", round(min(conf, prev_att.confidence), 3),
                           prev_att.description)

    def _named_in_next_sentence(self, span: Span, sent_end: int) -> Attribution | None:
        """A paragraph that opens with the quotation and names the speaker in the next sentence:
        “…”. In an interview, Juncker expressed his disagreement …"""
        if not (span.open_mark <= span.para_start + 12 and sent_end < span.para_end):
            return None
        _, next_end = sentence_bounds(self.text.body, sent_end + 1, sent_end + 1, span.para_start, span.para_end,
                                      self.text.quoted)
        toks = self.text.tokens_between(sent_end, next_end)
        kind, tok = find_cue(toks, nearest_last=False)
        if tok is None:
            return None
        att = self.attribute_with_cue(kind, tok, {t.i for t in toks}, span.paragraph)
        if att is None or att.referent is None or att.referent.kind != "person":
            return None
        att.confidence, att.method = 0.5, "context"
        return att

    def _subject_before(self, span: Span, sent_start: int) -> Attribution | None:
        """The person the sentence before it, in the same paragraph, was about."""
        if sent_start <= span.para_start:
            return None
        subjects = [r for r in self.resolver.subjects_before(sent_start) if r.kind == "person"]
        return Attribution(subjects[-1], "", "context", 0.5) if subjects else None

    def _previous_paragraph_subject(self, span: Span) -> Attribution | None:
        """A paragraph that is only a quotation, after a narrative paragraph about someone,
        or after a sub-heading that is a person's name (sports round-ups)."""
        if span.open_mark != span.para_start:
            return None
        prev_start, prev_end = self.text.previous_paragraph(span.para_start)
        if prev_start is None:
            return None
        line = self.text.body[prev_start:prev_end].strip()
        words = line.split()
        if 1 < len(words) <= 4 and not SENTENCE_END.search(line) and looks_like_person_name(words):
            ref = self.registry.find_person(line) or self.registry.person(line, prev_start)
            return Attribution(ref, "", "context", 0.6)
        if self.text.in_quote(prev_start):
            return None
        reporter = self._reporter_in(prev_start, prev_end)
        if reporter is not None:  # "He said Isaac had chosen …": he, not Isaac, goes on speaking
            return Attribution(reporter, "", "context", 0.6)
        subjects = [r for r in self.resolver.subjects_before(prev_end, start=prev_start) if r.kind == "person"]
        return Attribution(subjects[-1], "", "context", 0.55) if subjects else None

    def _reporter_in(self, start: int, end: int) -> Referent | None:
        """The person whose words a narrative paragraph reports ("She said the evidence was
        weak"): the subject of its last reporting verb, when that is a known person."""
        for tok in reversed(list(self.text.tokens_between(start, end))):
            if not is_reporting(tok):
                continue
            subj = subject_of(tok, lambda t: not self.text.in_quote(self.text.offset(t)))
            if subj is None:
                continue
            ref = self.resolver.subject_referent(subj)
            return ref if ref is not None and ref.kind == "person" else None
        return None
