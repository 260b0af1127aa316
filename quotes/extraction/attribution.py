"""Attribute each quotation span to a speaker, the way a careful reader would.

For every span we look for the reporting cue nearest to it: first the words after the
closing mark in the same sentence ("…,” Ushakov said), then the words before the opening
mark ("Peskov added, “…"), then the rest of the sentence. The cue is a speech verb (say,
tell, add, warn, go on …) or "according to"; its grammatical subject is the source. A
subject that is a pronoun, a description ("the spokesperson") or a statement is resolved
against the referents the article has introduced so far (see referents.py). A quotation
with no cue of its own continues the previous speaker when it follows their quote.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from quotes.extraction.referents import (
    HEAD_SYNONYMS,
    looks_like_person_name,
    PLURAL_PRONOUNS,
    PRONOUN_GENDER,
    STATEMENT_NOUNS,
    Referent,
    Registry,
    clean_org_name,
)
from quotes.extraction.spans import Span

SPEECH_VERBS = {
    "say", "tell", "add", "state", "note", "explain", "insist", "argue", "claim", "warn", "urge",
    "affirm", "reaffirm", "reiterate", "write", "tweet", "post", "announce", "declare", "confirm",
    "deny", "vow", "promise", "pledge", "stress", "emphasize", "emphasise", "underline", "underscore",
    "acknowledge", "admit", "ask", "answer", "reply", "respond", "recall", "suggest", "describe",
    "call", "maintain", "assert", "contend", "comment", "remark", "observe", "concede", "complain",
    "predict", "caution", "threaten", "demand", "accuse", "characterize", "characterise", "dub",
    "brand", "label", "repeat", "conclude", "agree", "shout", "joke", "quip", "testify", "reveal",
    "disclose", "indicate", "express", "mention", "inform", "assure", "reassure", "signal", "charge",
    "allege", "lament", "boast", "recount", "tout", "praise", "criticize", "criticise", "condemn",
    "welcome", "point", "specify", "clarify", "elaborate", "continue", "hint", "muse", "plead",
    "concur", "counter", "retort", "snap", "scoff", "sigh", "whisper", "yell", "cry", "exclaim",
    "proclaim", "pronounce", "advise", "recommend", "propose", "told", "rule", "highlight",
    "reason", "estimate", "believe", "think", "feel", "hope", "fear", "worry", "wonder", "acknowledge",
    "brief", "quote", "cite", "speak", "insist", "report", "congratulate", "thank", "hail", "slam",
    "blast", "dismiss", "apologise", "apologize", "blame", "denounce", "rebuke",
    "laud", "applaud", "mock", "ridicule", "lambast", "decry", "deride", "scold", "chide", "implore",
    "vow", "swear", "tell", "confess", "whine", "grumble", "murmur", "mutter", "instruct", "beg",
}
# Verbs that report speech only with a complement, not on their own ("speak", "think" …).
WEAK_SPEECH_VERBS = {"believe", "think", "feel", "hope", "fear", "worry", "wonder", "speak", "report",
                     "brief", "quote", "cite", "rule", "reason", "estimate", "express", "continue", "point"}
PARTICLE_SPEECH = {("go", "on"), ("carry", "on"), ("point", "out"), ("lash", "out"), ("chime", "in"),
                   ("weigh", "in"), ("spell", "out"), ("hit", "back"), ("fire", "back")}
HONORIFIC_WORDS = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "madam", "cllr", "councillor"}
INVERTING_VERBS = {"say", "add", "write", "explain", "note", "ask", "recall", "insist", "reply", "respond",
                   "tweet", "declare", "state", "argue", "continue", "conclude", "observe", "remark"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
SENTENCE_END = re.compile(r"[.!?](?=[\s\"”’']|$)")
ABBREVIATION = re.compile(r"(?:\b[A-Z]\.|\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Capt|Prof|Jr|Sr|No|vs|etc|Inc|Ltd|Co|Corp|U\.S|a\.m|p\.m)\.)$")
ORG_LABELS = {"ORG", "GPE", "NORP", "FAC"}
PRONOUNS = set(PRONOUN_GENDER) | PLURAL_PRONOUNS | {"i", "it", "who", "which", "that", "you"}


@dataclass
class Attribution:
    referent: Referent | None
    cue: str
    method: str
    confidence: float
    description: str = ""  # the words the article used for the source here


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


def sentence_bounds(text: str, start: int, end: int, para_start: int, para_end: int, quoted) -> tuple[int, int]:
    """The sentence around [start, end): sentence ends inside quotation marks do not count."""

    def outside(i):
        return not any(a <= i < b for a, b in quoted)

    left = para_start
    for m in SENTENCE_END.finditer(text, para_start, start):
        if outside(m.start()) and not ABBREVIATION.search(text[max(para_start, m.start() - 5): m.start() + 1]):
            left = m.end()
    right = para_end
    for m in SENTENCE_END.finditer(text, end, para_end):
        if outside(m.start()) and not ABBREVIATION.search(text[max(para_start, m.start() - 5): m.start() + 1]):
            right = m.end()
            break
    return left, right


def is_speech_verb(tok) -> bool:
    if tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBD", "VBZ", "VBP", "VBG", "VBN", "VB"):
        return False
    lemma = tok.lemma_.lower()
    for child in tok.children:
        if child.dep_ == "prt" and (lemma, child.lower_) in PARTICLE_SPEECH:
            return True
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and (lemma, nxt.lower_) in PARTICLE_SPEECH:
        return True
    return lemma in SPEECH_VERBS and lemma not in WEAK_SPEECH_VERBS


SPEECH_NOUNS = {"reaction", "response", "reply", "message", "verdict", "answer", "assessment", "words",
                "warning", "plea", "advice", "retort", "comment", "comments", "remark", "remarks"}
MODALS = {"will", "would", "'ll", "’ll", "'d", "’d", "may", "might", "could", "should", "shall", "can", "must"}


REQUEST_VERBS = {"challenge", "ask", "urge", "call", "invite", "dare", "tell", "want", "refuse", "decline",
                 "demand", "press", "push", "encourage", "order", "instruct", "beg", "implore", "pressure"}


def is_hypothetical(verb) -> bool:
    """"Biden will tell Putin …", "challenged him to say …": what someone is to say or was asked
    to say, not what they said."""
    if any(c.dep_ == "aux" and c.lower_ in MODALS for c in verb.children):
        return True
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    return infinitive and verb.head.lemma_.lower() in REQUEST_VERBS


def governs(verb, tok) -> bool:
    """Whether `tok` lies in the clause of `verb` (verb is an ancestor, or they share a clause)."""
    if tok.doc is not verb.doc:
        return False
    node = tok
    for _ in range(40):
        if node.i == verb.i:
            return True
        if node.head.i == node.i or node.dep_ == "conj" and node.head.i == verb.i and node.pos_ in ("VERB", "AUX"):
            return False  # a clause coordinated with the cue ("X recommends …, and a law requires …")
        node = node.head
    return False


def is_person_entity(ent) -> bool:
    if not any(t.pos_ == "PROPN" for t in ent):
        return False
    if ent.label_ == "PERSON":
        return True
    return ent.label_ in ("ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART") and looks_like_person_name(
        [t.text for t in ent if t.text not in ("the", "The")])


ORGANISATION_NOUNS = {
    "company", "firm", "group", "ministry", "agency", "government", "department", "party", "club",
    "bank", "council", "university", "board", "airline", "carmaker", "automaker", "retailer", "union",
    "organisation", "organization", "charity", "institute", "court", "committee", "commission",
    "authority", "regulator", "embassy", "office", "campaign", "team", "league", "federation",
    "association", "army", "military", "police", "hospital", "school", "network", "broadcaster",
    "newspaper", "publisher", "platform", "startup", "manufacturer", "operator", "insurer", "lender",
}
PERSON_NOUNS = {
    "people", "person", "resident", "residents", "witness", "witnesses", "police", "family", "relative",
    "friend", "colleague", "critic", "supporter", "opponent", "campaigner", "activist", "lawmaker", "mp",
    "mps", "voter", "fan", "parent", "neighbour", "neighbor", "villager", "student", "teacher", "doctor",
    "nurse", "farmer", "survivor", "victim", "spokesman", "spokeswoman", "spokesperson", "official",
    "source", "aide", "staff", "crew", "union", "chief", "head", "boss", "expert", "analyst", "insider",
    "diplomat", "minister", "secretary", "president", "envoy", "adviser", "advisor", "lawyer", "attorney",
    "judge", "prosecutor", "officer", "commander", "general", "leader", "member", "members", "owner",
    "customer", "passenger", "patient", "guest", "tourist", "shopper", "investor", "trader", "economist",
    "scientist", "researcher", "historian", "journalist", "reporter", "editor", "executive", "founder",
    "director", "manager", "coach", "player", "captain", "daughter", "son", "mother", "father", "wife",
    "husband", "sister", "brother", "man", "woman", "men", "women", "child", "children", "mayor", "governor",
    "senator", "councillor", "organiser", "organizer", "protester", "protestor", "demonstrator", "worker",
    "employee", "representative", "negotiator", "mediator", "observer", "monitor", "citizen", "local",
}
PERSON_SUFFIXES = ("ist", "ian", "ant", "ent", "eer", "ier", "ee", "or", "er", "ess")


def is_person_noun(tok) -> bool:
    """A common noun that names people ("trader", "residents"), not things ("spacecraft")."""
    if tok.pos_ != "NOUN":
        return False
    lemma = tok.lemma_.lower()
    return lemma in PERSON_NOUNS or tok.lower_ in PERSON_NOUNS or (len(lemma) > 4 and lemma.endswith(PERSON_SUFFIXES))


def untagged_name_runs(doc):
    """Runs of proper nouns that NER left unlabelled but that open with a known given name."""
    runs, i = [], 0
    while i < len(doc):
        if doc[i].pos_ != "PROPN" or doc[i].ent_type_:
            i += 1
            continue
        j = i
        while j < len(doc) and doc[j].pos_ == "PROPN" and not doc[j].ent_type_:
            j += 1
        start = i
        while start < j and (doc[start].lower_ in TITLE_WORDS or doc[start].lower_ in HEAD_SYNONYMS):
            start += 1
        if looks_like_person_name([t.text for t in doc[start:j]]):
            runs.append(doc[start:j])
        i = j
    return runs


def cue_text(verb) -> str:
    """"said", "told Euronews", "went on", "said in a statement"."""
    words = [verb.text]
    for child in verb.children:
        if child.dep_ == "prt":
            words.append(child.text)
    if verb.lemma_.lower() == "tell":
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "dative", "iobj")), None)
        if obj is not None:
            words.append(" ".join(t.text for t in obj.subtree if not t.is_punct))
    return " ".join(words)


def subject_of(verb, outside=lambda tok: True):
    """The subject of a speech verb, inherited through conjunctions and participles.

    Of several subjects (spaCy sometimes attaches a country or a word inside the quotation
    as a second subject) the one nearest the verb and outside quotation marks wins.
    """
    tok = verb
    for _ in range(6):
        subjects = [c for c in tok.children if c.dep_ in SUBJECT_DEPS and c.dep_ != "nsubjpass" and outside(c)]
        if tok.i == verb.i and any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children) and not subjects:
            # "Varadkar was accused of being “notorious”": the one accused is not the speaker
            agent = next((c for c in tok.children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            return pobj
        subj = min(subjects, key=lambda c: abs(c.i - tok.i)) if subjects else None
        if subj is not None:
            if subj.lower_ in ("it", "there") and tok.i != verb.i:
                break  # "It will be …, with Biden warning": not the speaker
            return subj
        # inverted "said Emily Horne": spaCy may attach the name as an object or attr
        if tok.lemma_.lower() in INVERTING_VERBS:
            after = [c for c in tok.children if tok.i < c.i <= tok.i + 6 and c.dep_ in ("dobj", "attr", "npadvmod", "appos", "dative") and c.pos_ in ("PROPN", "NOUN")]
            if after:
                return after[0]
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        if agent is not None:
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return pobj
        if tok.dep_ == "relcl":
            return tok.head
        if tok.dep_ == "acl" and (tok.head.pos_ in ("PROPN", "PRON") or is_person_noun(tok.head)):
            return tok.head
        if tok.dep_ == "acl" and tok.head.head.i != tok.head.i:
            tok = tok.head.head  # "called the attack a “crime”, saying …": the caller says it
            continue
        if tok.dep_ == "xcomp":
            obj = next((c for c in tok.head.children if c.dep_ in ("dobj", "obj") and c.i < tok.i), None)
            if obj is not None and obj.pos_ in ("PROPN", "NOUN", "PRON"):
                return obj  # "prompted Burley to say": Burley says it
        if tok.dep_ in ("conj", "advcl", "xcomp", "pcomp") and tok.head.i != tok.i:
            tok = tok.head
            continue
        break
    # "with Biden in early December warning Putin": the object of "with" does the warning
    if verb.tag_ == "VBG":
        for prev in reversed(verb.doc[max(0, verb.i - 8): verb.i]):
            if prev.is_punct or prev.pos_ in ("VERB", "AUX"):
                break
            if prev.dep_ == "pobj" and prev.head.lower_ == "with" and prev.pos_ in ("PROPN", "NOUN"):
                return prev
    return None


def noun_phrase(head):
    """Tokens of the phrase headed by `head`: the contiguous modifiers on its left (up to a comma
    or a clause boundary) and an "of/for/at" complement, without relative clauses or appositions."""
    doc = head.doc
    subtree = {t.i for t in head.subtree}
    start = head.i
    while start > 0 and (start - 1) in subtree and doc[start - 1].text not in (",", ";", ":", "(", ")", "—", "–") \
            and doc[start - 1].pos_ not in ("VERB", "AUX", "SCONJ"):
        start -= 1
    toks = list(doc[start: head.i + 1])
    for child in head.rights:
        if child.dep_ == "prep" and child.i == head.i + 1 and child.lower_ in ("of", "for", "at"):
            toks.extend(child.subtree)
    return toks


class Attributor:
    def __init__(self, text: ArticleText):
        self.text = text
        self.registry = Registry()
        self.last_attribution: tuple[int, Attribution] | None = None  # (paragraph, attribution)
        self._register_mentions()

    # -- mentions ------------------------------------------------------------------------
    def _register_mentions(self) -> None:
        """Named people outside quotation marks, with the role words around the name, and
        organisations that speak (subjects of speech verbs), so "the statement" can find them."""
        for offset, doc in self.text.docs:
            for ent in doc.ents:
                pos = offset + ent.start_char
                if self.text.in_quote(pos):
                    continue
                if is_person_entity(ent):
                    role, org = self.role_for(ent)
                    honorific = doc[ent.start - 1].text if ent.start > 0 else ""
                    self.registry.person(ent.text, pos, role, org, honorific)
                elif ent.label_ in ("ORG", "GPE", "NORP") and ent.root.dep_ in SUBJECT_DEPS and is_speech_verb(ent.root.head):
                    self.registry.organisation(ent.text, pos)
            for run in untagged_name_runs(doc):
                pos = offset + run.start_char
                if not self.text.in_quote(pos):
                    role, org = self.role_for(run)
                    self.registry.person(run.text, pos, role, org)

    def role_for(self, ent) -> tuple[str, str]:
        """Role words before a name ("Kremlin spokesman") or in apposition after it."""
        doc = ent.doc
        root = ent.root
        role_toks = []
        i = ent.start - 1
        anchor = root  # "US President Joe Biden" may parse with the title as head
        while anchor.dep_ in ("appos", "compound", "flat") and ent.start - 8 <= anchor.head.i < ent.start:
            anchor = anchor.head
        subtree = {t.i for t in anchor.subtree}
        while i >= 0:
            tok = doc[i]
            if tok.i not in subtree or tok.dep_ in ("det", "punct", "cc", "predet") or tok.pos_ in ("VERB", "AUX", "DET", "PRON", "NUM"):
                break
            if tok.ent_type_ == "PERSON" or tok.ent_type_ in ("DATE", "TIME", "CARDINAL"):
                break
            if tok.lower_.rstrip(".") in HONORIFIC_WORDS:
                i -= 1
                continue
            role_toks.insert(0, tok)
            i -= 1
        while role_toks and role_toks[0].dep_ in ("prep", "case") or role_toks and role_toks[0].text in ("'s", "’s"):
            role_toks.pop(0)
        role = " ".join(t.text for t in role_toks).replace(" 's", "'s").replace(" ’s", "’s")
        org = self._org_in(role_toks)
        if not role:
            appos = next((c for c in root.children if c.dep_ == "appos" and c.i > root.i), None)
            if appos is not None and appos.pos_ in ("NOUN", "PROPN") and appos.ent_type_ not in ("PERSON", "GPE", "DATE"):
                toks = [t for t in appos.subtree if not (t.dep_ == "relcl" or t.dep_ == "punct" and t.i == appos.right_edge.i)]
                toks = [t for t in toks if t.i <= appos.right_edge.i and not self._beyond_clause(t, appos)]
                role = " ".join(t.text for t in toks).strip(" ,").replace(" 's", "'s").replace(" ’s", "’s")
                if len(role.split()) > 12:
                    role = ""
                org = self._org_in(toks) if role else ""
        if role and not org:
            org = self._sentence_org(ent)
        return role, org

    @staticmethod
    def _beyond_clause(tok, appos) -> bool:
        return any(a.dep_ in ("relcl", "acl") and a.i > appos.i for a in tok.ancestors if a.i != appos.i and a in appos.subtree)

    @staticmethod
    def _org_in(toks) -> str:
        """An organisation named inside role words: an ORG entity, or capitalised non-title words."""
        ents = []
        for tok in toks:
            if tok.ent_type_ in ("ORG", "FAC") and tok.ent_iob_ == "B":
                j = tok.i + 1
                while j < len(tok.doc) and tok.doc[j].ent_iob_ == "I":
                    j += 1
                span = tok.doc[tok.i: j]
                if all(t in toks for t in span) and not all(t.lower_ in TITLE_WORDS for t in span):
                    ents.append(span.text)
        if ents:
            return clean_org_name(ents[-1])
        words = []
        for tok in toks:
            low = tok.lower_
            if tok.pos_ == "PROPN" and low not in HEAD_SYNONYMS and low not in TITLE_WORDS and tok.ent_type_ not in ("GPE", "NORP", "PERSON"):
                words.append(tok)
            elif words:
                break
        if len(words) == 1 and words[0].ent_type_ not in ("ORG", "FAC"):
            return ""  # "Economy Minister": a portfolio, not an organisation
        return clean_org_name(" ".join(t.text for t in words)) if words else ""

    def _sentence_org(self, ent) -> str:
        """"At the United Nations, Russian envoy X": an organisation that opens the sentence."""
        sent = ent.sent
        first = sent[0]
        if first.lower_ in ("at", "from") and first.i < ent.start:
            for e in sent.ents:
                if e.label_ in ("ORG", "FAC") and e.start < ent.start and e.start - sent.start <= 5:
                    return clean_org_name(e.text)
        return ""

    # -- resolving a subject ---------------------------------------------------------------
    def resolve_subject(self, subj, pos: int, para: int) -> tuple[Referent | None, str, float, str]:
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
            # "the trade minister, Jonas Weber, said"
            name = " ".join(t.text for t in self._name_tokens(appos))
            ref = self.registry.find_person(name) or self.registry.person(name, pos)
            ref.positions.append(pos)
            ref.add_role(" ".join(t.text for t in noun_phrase(subj) if t.dep_ != "det"))
            return ref, "explicit", 0.95, ""
        phrase = noun_phrase(subj)
        phrase_text = " ".join(t.text for t in phrase).replace(" 's", "'s").replace(" ’s", "’s")
        # a named person
        person_ent = next((t for t in phrase if t.ent_type_ == "PERSON" and t.pos_ == "PROPN"), None)
        if subj.pos_ == "PROPN" or person_ent is not None:
            name_toks = self._name_tokens(subj if subj.pos_ == "PROPN" else person_ent)
            name = self._joined(name_toks)
            known = self.registry.find_person(name) or (self.registry.known_surname(name) if len(name_toks) == 1 else None)
            if known is not None:
                known.positions.append(pos)
                if name not in known.forms:
                    known.forms.append(name)
                return known, "explicit", 0.95, ""
            label = name_toks[-1].ent_type_
            if label in ORG_LABELS or (subj.ent_type_ in ORG_LABELS):
                return self.registry.organisation(self._ent_text(subj) or name, pos), "organisation", 0.8, ""
            if all(t.pos_ == "PROPN" for t in name_toks) and not any(t.lower_ in TITLE_WORDS for t in name_toks):
                return self.registry.person(name, pos), "explicit", 0.85, ""
        if subj.ent_type_ in ORG_LABELS:
            return self.registry.organisation(self._ent_text(subj), pos), "organisation", 0.8, ""
        if subj.text[:1].isupper() and subj.pos_ == "NOUN":
            known = self.registry.known_surname(subj.text)  # a surname the tagger took for a noun
            if known is not None:
                known.positions.append(pos)
                return known, "explicit", 0.9, ""
        if low in STATEMENT_NOUNS or (low in ORGANISATION_NOUNS and any(t.lower_ == "the" for t in phrase)):
            # "the statement said", "the company said": the organisation introduced before
            owner = next((c for c in subj.children if c.dep_ == "poss"), None)
            if owner is not None and owner.ent_type_ in ORG_LABELS:
                return self.registry.organisation(self._ent_text(owner), pos), "organisation", 0.8, phrase_text
            org = self.statement_owner(pos, subj)
            return org, "organisation", 0.7 if org else 0.3, phrase_text
        # a description: "the spokesperson", "a senior US administration official"
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
                org = self._org_in(phrase)
                if org and not ref.organisation:
                    ref.organisation = org
                return ref, "title", 0.7, phrase_text
        return None, "none", 0.2, phrase_text

    @staticmethod
    def _ent_text(tok) -> str:
        if tok.ent_iob_ in ("B", "I"):
            start = tok.i
            while start > 0 and tok.doc[start].ent_iob_ == "I":
                start -= 1
            end = tok.i + 1
            while end < len(tok.doc) and tok.doc[end].ent_iob_ == "I":
                end += 1
            return tok.doc[start:end].text
        return tok.text

    @staticmethod
    def _name_tokens(tok):
        """The proper-noun run that ends at `tok` ("Dmitry Peskov"), without title words."""
        doc = tok.doc
        start = tok.i
        while start > 0:
            prev = doc[start - 1]
            if prev.text in ("-", "‑") and not prev.whitespace_ and start > 1 and doc[start - 2].pos_ == "PROPN" \
                    and not doc[start - 2].whitespace_:
                start -= 2  # "Jean-Pierre"
                continue
            if prev.pos_ == "PROPN" and prev.lower_ not in TITLE_WORDS and prev.ent_type_ not in ("ORG", "GPE", "NORP") \
                    and prev.lower_ not in HEAD_SYNONYMS and prev.lower_.rstrip(".") not in HONORIFIC_WORDS:
                start -= 1
                continue
            break
        return list(doc[start: tok.i + 1])

    @staticmethod
    def _joined(toks) -> str:
        return "".join(t.text_with_ws for t in toks).strip()

    def resolve_pronoun(self, pronoun: str, pos: int, para: int) -> tuple[Referent | None, float]:
        """he/she/they to the nearest compatible referent, preferring the last sentence's subject."""
        gender = PRONOUN_GENDER.get(pronoun, "")
        plural = pronoun in PLURAL_PRONOUNS

        def compatible(ref: Referent) -> bool:
            if ref.kind == "org":
                return plural or pronoun == "it"
            if pronoun in ("i", "we"):
                return False
            if plural:
                return ref.plural or ref.kind == "anon"
            if ref.plural:
                return False
            return not gender or not ref.gender or ref.gender == gender

        # 1. a subject earlier in the same paragraph
        for subj_ref in reversed(self._subjects_before(pos)):
            if compatible(subj_ref):
                return subj_ref, 0.85
        # 2. a subject of the paragraph before (a narrative paragraph introducing the speaker)
        prev_start, prev_end = self._prev_para_bounds(pos)
        if prev_start is not None:
            for subj_ref in reversed(self._subjects_before(prev_end, start=prev_start)):
                if compatible(subj_ref) and subj_ref.kind != "org":
                    return subj_ref, 0.75
        # 3. the speaker of the previous attribution, if close
        if self.last_attribution is not None:
            last_para, att = self.last_attribution
            if att.referent is not None and para - last_para <= 2 and compatible(att.referent):
                return att.referent, 0.7
        ref, conf = self.nearest_mention(pronoun, pos)
        return (ref, conf) if ref is not None else (None, 0.2)

    def nearest_mention(self, pronoun: str, pos: int) -> tuple[Referent | None, float]:
        """The person mentioned last before `pos` that the pronoun can refer to."""
        gender = PRONOUN_GENDER.get(pronoun, "")
        plural = pronoun in PLURAL_PRONOUNS

        def compatible(ref: Referent) -> bool:
            if plural:
                return ref.plural or ref.kind == "anon"
            return not ref.plural and (not gender or not ref.gender or ref.gender == gender)

        # 4. the nearest compatible mention before, a known gender before an unknown one
        best = None
        for ref in self.registry.items:
            before = max((p for p in ref.positions if p < pos), default=None)
            if before is not None and compatible(ref) and ref.kind != "org":
                rank = (bool(ref.gender) or not gender, before)
                if best is None or rank > best[1]:
                    best = (ref, rank)
        if best is not None:
            distance = pos - best[1][1]
            return best[0], 0.6 if distance < 400 else 0.45
        return None, 0.2

    def _subjects_before(self, pos: int, start: int | None = None, pronouns: bool = True) -> list[Referent]:
        """Referents that are subjects of clauses earlier in the paragraph (outside quotes)."""
        para_start = self._para_start(pos) if start is None else start
        out = []
        for tok in self.text.tokens_between(para_start, pos):
            according = tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.i > 0 \
                and tok.doc[tok.head.i - 1].lower_ == "according"
            if tok.dep_ not in SUBJECT_DEPS and not according:
                continue
            if tok.dep_ == "nsubjpass":
                continue  # "Putin was accused": the one talked about, not a speaker
            tpos = self.text.offset(tok)
            if tok.pos_ == "PROPN":
                name = " ".join(t.text for t in self._name_tokens(tok))
                ref = self.registry.find_person(name) or self.registry.known_surname(name)
                if ref is not None:
                    out.append(ref)
            elif tok.pos_ == "NOUN" and tok.lower_ in HEAD_SYNONYMS:
                ref = self.registry.by_description(" ".join(t.text for t in noun_phrase(tok)), tpos)
                if ref is not None:
                    out.append(ref)
            elif pronouns and tok.lower_ in PRONOUN_GENDER:
                ref, _ = self.resolve_pronoun_shallow(tok.lower_, tpos)
                if ref is not None:
                    out.append(ref)
        return out

    def resolve_pronoun_shallow(self, pronoun: str, pos: int) -> tuple[Referent | None, float]:
        """A subject pronoun in narrative: the nearest gender-compatible person named before."""
        gender = PRONOUN_GENDER.get(pronoun, "")
        for subj_ref in reversed(self._subjects_before(pos, pronouns=False)):
            if subj_ref.kind == "person" and (not subj_ref.gender or subj_ref.gender == gender):
                return subj_ref, 0.7
        prev_start, prev_end = self._prev_para_bounds(pos)
        if prev_start is not None:
            for subj_ref in reversed(self._subjects_before(prev_end, start=prev_start, pronouns=False)):
                if subj_ref.kind == "person" and (not subj_ref.gender or subj_ref.gender == gender):
                    return subj_ref, 0.6
        if self.last_attribution is not None:
            ref = self.last_attribution[1].referent
            if ref is not None and ref.kind == "person" and (not ref.gender or ref.gender == gender):
                return ref, 0.6
        return None, 0.2

    def _prev_para_bounds(self, pos: int) -> tuple[int | None, int]:
        body = self.text.body
        start = self._para_start(pos)
        end = start - 1
        while end > 0 and body[end - 1] == "\n":
            end -= 1
        if end <= 0:
            return None, 0
        return body.rfind("\n", 0, end) + 1, end

    def _para_start(self, pos: int) -> int:
        start = self.text.body.rfind("\n", 0, pos)
        return start + 1

    def statement_owner(self, pos: int, subj=None) -> Referent | None:
        """Whose words: "the ministry" is the latest organisation with "ministry" in its name,
        else ("the statement", "the company") the latest organisation that spoke."""
        if subj is not None and subj.lower_ in ORGANISATION_NOUNS:
            for ref in reversed(self.registry.items):
                if ref.kind == "org" and ref.last <= pos and subj.lower_ in ref.name.lower():
                    return ref
        return self.registry.latest_organisation(pos)

    # -- cues -------------------------------------------------------------------------------
    def find_cues(self, toks, nearest_last: bool):
        """Speech verbs, "according to" and "reaction of" among `toks`, nearest the quotation first."""
        ordered = list(reversed(toks)) if nearest_last else list(toks)
        for tok in ordered:
            if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
                yield "according", tok
            elif is_speech_verb(tok) and not is_hypothetical(tok):
                yield "verb", tok
            elif tok.lower_ in SPEECH_NOUNS and tok.pos_ == "NOUN" and any(
                    c.dep_ == "prep" and c.lower_ in ("of", "from", "by") or c.dep_ == "poss" for c in tok.children):
                yield "noun", tok

    def find_cue(self, toks, nearest_last: bool):
        return next(self.find_cues(toks, nearest_last), (None, None))

    def first_attribution(self, toks, nearest_last: bool, para: int, quote_tok=None) -> Attribution | None:
        """The attribution given by the nearest cue that names a source.

        For words inside a sentence (`quote_tok` given), a speech verb must govern them:
        in "the CDC recommends …, and a law requires schools to adhere “to the extent …”"
        the CDC recommends nothing of the quoted words.
        """
        window_ids = {t.i for t in toks}
        for kind, tok in self.find_cues(toks, nearest_last):
            if quote_tok is not None and kind == "verb" and not governs(tok, quote_tok):
                continue
            att = self.attribute_with_cue(kind, tok, window_ids, para)
            if att is not None:
                return att
        return None

    def attribute_with_cue(self, kind: str, tok, window_ids: set[int], para: int) -> Attribution | None:
        pos = self.text.offset(tok)
        if kind == "according":
            to = tok.doc[tok.i + 1]
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
            if obj is None and tok.i + 2 < len(tok.doc):
                obj = tok.doc[tok.i + 2]
                while obj.head.i > obj.i and obj.head.i in window_ids and obj.dep_ in ("compound", "amod", "det", "nummod"):
                    obj = obj.head
            if obj is None:
                return None
            ref, method, conf, desc = self.resolve_subject(obj, pos, para)
            if ref is None and method == "none":
                return None
            return Attribution(ref, "according to", "according_to" if method in ("explicit", "title") else method, min(conf, 0.85), desc)
        if kind == "noun":  # "was the initial reaction of Teresa Nelson", "his remarks that …"
            prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "from", "by")), None)
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            obj = obj if obj is not None else next((c for c in tok.children if c.dep_ == "poss"), None)
            if obj is None:
                return None
            if obj.lower_ in PRONOUN_GENDER:  # a possessive points back to the nearest mention
                ref, conf = self.nearest_mention(obj.lower_, pos)
                return Attribution(ref, tok.text, "pronoun", min(conf, 0.7)) if ref is not None else None
            ref, method, conf, desc = self.resolve_subject(obj, pos, para)
            if ref is None:
                return None
            return Attribution(ref, tok.text, method, min(conf, 0.8), desc)
        outside = lambda t: not self.text.in_quote(self.text.offset(t))  # noqa: E731
        verb = tok
        subj = subject_of(verb, outside=outside)
        att = None
        if subj is not None:
            ref, method, conf, desc = self.resolve_subject(subj, pos, para)
            if not (ref is None and method == "none"):
                att = Attribution(ref, cue_text(verb), method, conf, desc)
        if subj is None and any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            # "was accused of being “reckless”": words of someone unnamed
            att = Attribution(None, cue_text(verb), "passive", 0.3)
        if att is None or att.referent is None or att.referent.kind != "person":
            # "Blinken …, saying Washington condemns “…”": the reporting verb above speaks
            head = verb
            while head.dep_ in ("ccomp", "xcomp", "advcl", "conj") and head.head.i != head.i and head.head.i in window_ids:
                head = head.head
                if is_speech_verb(head) and not is_hypothetical(head):
                    upper = subject_of(head, outside=outside)
                    if upper is not None:
                        ref, method, conf, desc = self.resolve_subject(upper, pos, para)
                        if ref is not None and ref.kind == "person":
                            return Attribution(ref, cue_text(head), method, round(conf * 0.9, 3), desc)
        return att

    def attribute(self, span: Span, prev: tuple[Span, Attribution] | None) -> Attribution | None:
        text = self.text
        body = text.body
        close = span.close_mark if span.close_mark is not None else span.end
        sent_start, sent_end = sentence_bounds(body, span.open_mark, close + 1, span.para_start, span.para_end, text.quoted)
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
        # A pull-quote credit: “…” Fed Chair Janet Yellen (a name and nothing else after it).
        tail = body[close + 1: span.para_end].strip(" ,—–-")
        if tail and len(tail.split()) <= 8 and not SENTENCE_END.search(tail[:-1] if tail.endswith(".") else tail):
            toks = text.tokens_between(close + 1, span.para_end)
            if toks and not any(t.pos_ in ("VERB", "AUX") for t in toks):
                head = next((t for t in reversed(toks) if t.pos_ == "PROPN"), None)
                if head is not None:
                    name = self._joined(self._name_tokens(head))
                    ref = self.registry.find_person(name) or (
                        self.registry.person(name, close + 1) if looks_like_person_name(name.split()) else None)
                    if ref is not None:
                        return Attribution(ref, "", "credit", 0.8)
        # "Smith said:" closing the previous paragraph introduces a quotation paragraph.
        if span.open_mark == span.para_start and span.para_start >= 2:
            before = body[: span.para_start].rstrip()
            if before.endswith(":"):
                p_start = body.rfind("\n", 0, len(before)) + 1
                s_start, _ = sentence_bounds(body, len(before) - 1, len(before), p_start, len(before), text.quoted)
                toks = text.tokens_between(s_start, len(before))
                kind, tok = self.find_cue(toks, nearest_last=True)
                if tok is not None:
                    att = self.attribute_with_cue(kind, tok, {t.i for t in toks}, span.paragraph)
                    if att is not None:
                        att.confidence = round(att.confidence * 0.9, 3)
                        return att
        # No cue of its own: the quotation continues the previous speaker's words.
        if prev is not None:
            prev_span, prev_att = prev
            same_para = prev_span.paragraph == span.paragraph
            next_para = prev_span.paragraph == span.paragraph - 1
            paragraph_is_quote = body[span.para_start] in "\"“”‘'«" and span.open_mark == span.para_start
            if same_para or (next_para and paragraph_is_quote):
                conf = 0.85 if same_para else 0.75
                return Attribution(prev_att.referent, prev_att.cue, "continuation", round(min(conf, prev_att.confidence), 3), prev_att.description)
        # A paragraph that opens with the quotation and names the speaker in the next sentence:
        # “…”. In an interview, Juncker expressed his disagreement …
        if span.open_mark <= span.para_start + 12 and sent_end < span.para_end:
            _, next_end = sentence_bounds(body, sent_end + 1, sent_end + 1, span.para_start, span.para_end, text.quoted)
            toks = text.tokens_between(sent_end, next_end)
            kind, tok = self.find_cue(toks, nearest_last=False)
            if tok is not None:
                att = self.attribute_with_cue(kind, tok, {t.i for t in toks}, span.paragraph)
                if att is not None and att.referent is not None and att.referent.kind == "person":
                    att.confidence, att.method = 0.5, "context"
                    return att
        # Otherwise the person the sentence before it, in the same paragraph, was about.
        if sent_start > span.para_start:
            subjects = [r for r in self._subjects_before(sent_start) if r.kind == "person"]
            if subjects:
                return Attribution(subjects[-1], "", "context", 0.5)
        # A paragraph that is only a quotation, after a narrative paragraph about someone,
        # or after a sub-heading that is a person's name (sports round-ups).
        if span.open_mark == span.para_start:
            prev_start, prev_end = self._prev_para_bounds(span.para_start)
            if prev_start is not None:
                line = body[prev_start:prev_end].strip()
                words = line.split()
                if 1 < len(words) <= 4 and not SENTENCE_END.search(line) and looks_like_person_name(words):
                    ref = self.registry.find_person(line) or self.registry.person(line, prev_start)
                    return Attribution(ref, "", "context", 0.6)
                subjects = [r for r in self._subjects_before(prev_end, start=prev_start)
                            if r.kind == "person"]
                if subjects and not self.text.in_quote(prev_start):
                    return Attribution(subjects[-1], "", "context", 0.55)
        return None


TITLE_WORDS = {
    "president", "minister", "secretary", "spokesman", "spokeswoman", "spokesperson", "press", "foreign",
    "deputy", "prime", "vice", "chief", "senator", "sen", "rep", "gov", "governor", "mr", "mrs", "ms", "dr",
    "general", "gen", "ambassador", "envoy", "chancellor", "king", "queen", "prince", "pope", "mayor",
    "director", "chairman", "chairwoman", "editor", "aide", "adviser", "advisor", "commissioner",
    "leader", "head", "officer", "official", "secretary-general", "state", "defense", "defence", "interior",
    "finance", "health", "justice", "attorney", "premier", "lieutenant", "colonel", "captain", "sir", "lord",
    "judge", "justice", "professor", "prof", "coach", "ceo", "executive", "policy",
}
