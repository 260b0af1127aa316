"""Who a cue's subject stands for: a name, a pronoun, a title ("the spokesperson"), a statement
("the statement said") or a description ("one trader"), resolved against the referents the
article has introduced so far."""
from __future__ import annotations

import re

from quotes.extraction.cues import SUBJECT_DEPS
from quotes.extraction.lexicon import (
    HEAD_SYNONYMS,
    NAME_PARTICLES,
    ORGANISATION_NOUNS,
    PLURAL_PRONOUNS,
    PRONOUN_GENDER,
    PRONOUNS,
    STATEMENT_NOUNS,
    TITLE_WORDS,
)
from quotes.extraction.mentions import org_in
from quotes.extraction.names import looks_like_person_name
from quotes.extraction.parsed import ArticleText
from quotes.extraction.referents import Referent, Registry
from quotes.extraction.tokens import (
    entity_text,
    is_person_noun,
    joined,
    name_tokens,
    noun_phrase,
    tidy_possessives,
    words_text,
)

ORG_LABELS = {"ORG", "GPE", "NORP", "FAC"}
# (referent, method, confidence, the words the article used for the source)
Resolved = tuple[Referent | None, str, float, str]


def _agrees(ref: Referent, gender: str, plural: bool) -> bool:
    """Number and gender agreement of a pronoun with a person or unnamed source."""
    if plural:
        return ref.plural or ref.kind == "anon"
    return not ref.plural and (not gender or not ref.gender or ref.gender == gender)


def _same_gender_person(ref: Referent, gender: str) -> bool:
    return ref.kind == "person" and (not ref.gender or ref.gender == gender)


class Resolver:
    """Resolves subjects against the registry; remembers the last speaker for pronouns."""

    def __init__(self, text: ArticleText, registry: Registry):
        self.text = text
        self.registry = registry
        self.last_speaker: tuple[int, Referent] | None = None  # (paragraph, referent) of the last attribution

    def resolve_subject(self, subj, pos: int, para: int) -> Resolved:
        """(referent, method, confidence, description) for the subject token of a speech verb."""
        low = subj.lower_
        if low in ("it", "there", "this", "what"):
            return None, "none", 0.2, ""
        if subj.pos_ == "PRON" or low in PRONOUNS:
            if low in ("who", "that", "which") and subj.head.dep_ == "relcl":
                return self.resolve_subject(subj.head.head, pos, para)
            ref, conf = self.resolve_pronoun(low, pos, para)
            return ref, "pronoun", conf, ""
        appos = next((c for c in subj.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if appos is not None and subj.pos_ == "NOUN":
            return self._named_in_apposition(subj, appos, pos)
        phrase = noun_phrase(subj)
        phrase_text = tidy_possessives(words_text(phrase))
        named = self._named(subj, phrase, pos)
        if named is not None:
            return named
        if subj.ent_type_ in ORG_LABELS:
            return self.registry.organisation(entity_text(subj), pos), "organisation", 0.8, ""
        if subj.text[:1].isupper() and subj.pos_ == "NOUN":
            known = self.registry.known_surname(subj.text)  # a surname the tagger took for a noun
            if known is not None:
                known.positions.append(pos)
                return known, "explicit", 0.9, ""
        if low in STATEMENT_NOUNS or (low in ORGANISATION_NOUNS and any(t.lower_ == "the" for t in phrase)):
            return self._statement_source(subj, phrase_text, pos)
        return self._described(subj, phrase, phrase_text, pos)

    def _named_in_apposition(self, subj, appos, pos: int) -> Resolved:
        """"the trade minister, Jonas Weber, said": the name, with the noun as its role."""
        name = words_text(name_tokens(appos))
        ref = self.registry.find_person(name) or self.registry.person(name, pos)
        ref.positions.append(pos)
        ref.add_role(words_text(t for t in noun_phrase(subj) if t.dep_ != "det"))
        return ref, "explicit", 0.95, ""

    def _named(self, subj, phrase, pos: int) -> Resolved | None:
        """A proper-noun subject (or a person named in its phrase): a known person, an
        organisation, or a new person; None when the words are not a name after all."""
        person_ent = next((t for t in phrase if t.ent_type_ == "PERSON" and t.pos_ == "PROPN"), None)
        if subj.pos_ != "PROPN" and person_ent is None:
            return None
        name_toks = name_tokens(subj if subj.pos_ == "PROPN" else person_ent)
        name = joined(name_toks)
        known = self.registry.find_person(name) or (self.registry.known_surname(name) if len(name_toks) == 1 else None)
        if known is not None:
            known.positions.append(pos)
            if name not in known.forms:
                known.forms.append(name)
            return known, "explicit", 0.95, ""
        if len(name_toks) == 1:
            full = self._full_name_written_elsewhere(name)
            if full is not None:  # the tagger took a surname for an organisation
                return self.registry.person(full, pos), "explicit", 0.85, ""
        if name_toks[-1].ent_type_ in ORG_LABELS or subj.ent_type_ in ORG_LABELS:
            return self.registry.organisation(entity_text(subj) or name, pos), "organisation", 0.8, ""
        if all(t.pos_ == "PROPN" and (t.text[:1].isupper() or t.lower_ in NAME_PARTICLES) for t in name_toks) \
                and not any(t.lower_ in TITLE_WORDS or t.ent_type_ == "NORP" for t in name_toks):
            return self.registry.person(name, pos), "explicit", 0.85, ""
        return None

    def _full_name_written_elsewhere(self, word: str) -> str | None:
        """"Fleming said" where the article writes "Rick Fleming" somewhere, even inside a
        quotation that the list of mentions leaves out: that full name, when it is the only one
        ending in the word and opens with a known given name."""
        if not word[:1].isupper() or len(word) < 3:
            return None
        found = {m.group(1) for m in re.finditer(r"\b([A-Z][a-z]+) " + re.escape(word) + r"\b", self.text.body)}
        people = [f"{given} {word}" for given in found if looks_like_person_name([given, word])]
        return people[0] if len(people) == 1 else None

    def _statement_source(self, subj, phrase_text: str, pos: int) -> Resolved:
        """"the statement said", "the company said": the organisation introduced before."""
        owner = next((c for c in subj.children if c.dep_ == "poss"), None)
        if owner is not None and owner.ent_type_ in ORG_LABELS:
            return self.registry.organisation(entity_text(owner), pos), "organisation", 0.8, phrase_text
        org = self.statement_owner(pos, subj)
        return org, "organisation", 0.7 if org else 0.3, phrase_text

    def _described(self, subj, phrase, phrase_text: str, pos: int) -> Resolved:
        """A description: "the spokesperson", "a senior US administration official"."""
        low = subj.lower_
        det = next((t.lower_ for t in phrase if t.dep_ in ("det", "nummod", "poss") and t.i < subj.i), "")
        definite = det in ("the", "this", "that", "these", "those")
        plural = subj.tag_ in ("NNS", "NNPS")
        if low in HEAD_SYNONYMS or subj.pos_ == "NOUN":
            if definite:
                ref = self.registry.by_description(phrase_text, pos)
                if ref is not None:
                    ref.positions.append(pos)
                    return ref, "title", 0.8 if ref.kind == "person" else 0.75, phrase_text
            if low in HEAD_SYNONYMS or is_person_noun(subj):  # "one trader said", "residents said"
                ref = self.registry.anonymous(phrase_text, pos, definite=definite, plural=plural)
                org = org_in(phrase)
                if org and not ref.organisation:
                    ref.organisation = org
                return ref, "title", 0.7, phrase_text
        return None, "none", 0.2, phrase_text

    def statement_owner(self, pos: int, subj=None) -> Referent | None:
        """Whose words: "the ministry" is the latest organisation with "ministry" in its name,
        else ("the statement", "the company") the latest organisation that spoke."""
        if subj is not None and subj.lower_ in ORGANISATION_NOUNS:
            for ref in reversed(self.registry.items):
                if ref.kind == "org" and ref.last <= pos and subj.lower_ in ref.name.lower():
                    return ref
        return self.registry.latest_organisation(pos)

    # -- pronouns ------------------------------------------------------------------------------
    def resolve_pronoun(self, pronoun: str, pos: int, para: int) -> tuple[Referent | None, float]:
        """he/she/they to the nearest compatible referent, preferring the last sentence's subject."""
        gender = PRONOUN_GENDER.get(pronoun, "")
        plural = pronoun in PLURAL_PRONOUNS

        def compatible(ref: Referent) -> bool:
            if ref.kind == "org":
                return plural or pronoun == "it"
            return pronoun not in ("i", "we") and _agrees(ref, gender, plural)

        # 1. a subject earlier in the same paragraph
        for subj_ref in reversed(self.subjects_before(pos)):
            if compatible(subj_ref):
                return subj_ref, 0.85
        # 2. a subject of the paragraph before (a narrative paragraph introducing the speaker)
        prev_start, prev_end = self.text.previous_paragraph(pos)
        if prev_start is not None:
            for subj_ref in reversed(self.subjects_before(prev_end, start=prev_start)):
                if compatible(subj_ref) and subj_ref.kind != "org":
                    return subj_ref, 0.75
        # 3. the speaker of the previous attribution, if close
        if self.last_speaker is not None:
            last_para, ref = self.last_speaker
            if para - last_para <= 2 and compatible(ref):
                return ref, 0.7
        ref, conf = self.nearest_mention(pronoun, pos)
        return (ref, conf) if ref is not None else (None, 0.2)

    def nearest_mention(self, pronoun: str, pos: int) -> tuple[Referent | None, float]:
        """The person mentioned last before `pos` that the pronoun can refer to, a known gender
        before an unknown one."""
        gender = PRONOUN_GENDER.get(pronoun, "")
        plural = pronoun in PLURAL_PRONOUNS
        best = None
        for ref in self.registry.items:
            before = max((p for p in ref.positions if p < pos), default=None)
            if before is not None and _agrees(ref, gender, plural) and ref.kind != "org":
                rank = (bool(ref.gender) or not gender, before)
                if best is None or rank > best[1]:
                    best = (ref, rank)
        if best is not None:
            distance = pos - best[1][1]
            return best[0], 0.6 if distance < 400 else 0.45
        return None, 0.2

    def subjects_before(self, pos: int, start: int | None = None, pronouns: bool = True) -> list[Referent]:
        """Referents that are subjects of clauses earlier in the paragraph (outside quotes)."""
        para_start = self.text.paragraph_start(pos) if start is None else start
        out = []
        for tok in self.text.tokens_between(para_start, pos):
            according = tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.i > 0 \
                and tok.doc[tok.head.i - 1].lower_ == "according"
            if tok.dep_ not in SUBJECT_DEPS and not according:
                continue
            if tok.dep_ == "nsubjpass":
                continue  # "Putin was accused": the one talked about, not a speaker
            ref = self._subject_referent(tok, pronouns)
            if ref is not None:
                out.append(ref)
        return out

    def subject_referent(self, tok) -> Referent | None:
        """The known referent a subject token names, pronouns resolved (registers nothing)."""
        return self._subject_referent(tok, pronouns=True)

    def _subject_referent(self, tok, pronouns: bool) -> Referent | None:
        """The known referent a subject token in narrative names, if any (registers nothing)."""
        if tok.pos_ == "PROPN":
            name = words_text(name_tokens(tok))
            return self.registry.find_person(name) or self.registry.known_surname(name)
        if tok.pos_ == "NOUN":
            appos = next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
            if appos is not None:  # "The mayor, Ines Carvalho, said": the person named beside the title
                return self.registry.find_person(words_text(name_tokens(appos)))
            if tok.lower_ in HEAD_SYNONYMS:
                return self.registry.by_description(words_text(noun_phrase(tok)), self.text.offset(tok))
        if pronouns and tok.lower_ in PRONOUN_GENDER:
            return self.resolve_pronoun_shallow(tok.lower_, self.text.offset(tok))[0]
        return None

    def resolve_pronoun_shallow(self, pronoun: str, pos: int) -> tuple[Referent | None, float]:
        """A subject pronoun in narrative: the nearest gender-compatible person named before."""
        gender = PRONOUN_GENDER.get(pronoun, "")
        for subj_ref in reversed(self.subjects_before(pos, pronouns=False)):
            if _same_gender_person(subj_ref, gender):
                return subj_ref, 0.7
        prev_start, prev_end = self.text.previous_paragraph(pos)
        if prev_start is not None:
            for subj_ref in reversed(self.subjects_before(prev_end, start=prev_start, pronouns=False)):
                if _same_gender_person(subj_ref, gender):
                    return subj_ref, 0.6
        if self.last_speaker is not None:
            ref = self.last_speaker[1]
            if _same_gender_person(ref, gender):
                return ref, 0.6
        return None, 0.2
