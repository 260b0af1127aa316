"""Reporting cues: speech verbs, "according to" and speech nouns, the text a cue is shown as,
and the grammatical subject of a speech verb (who is said to speak)."""
from __future__ import annotations

from quotes.extraction.lexicon import (
    INVERTING_VERBS,
    MODALS,
    PARTICLE_SPEECH,
    REQUEST_VERBS,
    SPEECH_NOUNS,
    SPEECH_VERBS,
    WEAK_SPEECH_VERBS,
)
from quotes.extraction.tokens import is_person_noun

SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}


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


def is_hypothetical(verb) -> bool:
    """"Biden will tell Putin …", "challenged him to say …": what someone is to say or was asked
    to say, not what they said."""
    if any(c.dep_ == "aux" and c.lower_ in MODALS for c in verb.children):
        return True
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    return infinitive and verb.head.lemma_.lower() in REQUEST_VERBS


def is_reporting(tok) -> bool:
    """A speech verb that reports what was said (not what will be or was asked to be)."""
    return is_speech_verb(tok) and not is_hypothetical(tok)


def governs(verb, tok) -> bool:
    """Whether `tok` lies in the clause of `verb` (verb is an ancestor, or they share a clause)."""
    if tok.doc is not verb.doc:
        return False
    if verb.dep_ == "parataxis" and verb.head.i != verb.i and _parenthetical(verb):
        verb = verb.head  # "The movement, he explains, had been about “…”": the clause it sits in
    node = tok
    for _ in range(40):
        if node.i == verb.i:
            return True
        if node.head.i == node.i or node.dep_ == "conj" and node.head.i == verb.i and node.pos_ in ("VERB", "AUX"):
            return False  # a clause coordinated with the cue ("X recommends …, and a law requires …")
        node = node.head
    return False


def _parenthetical(verb) -> bool:
    """A reporting clause set off by commas or dashes inside another: ", he explains,"."""
    doc, marks = verb.doc, (",", "—", "–")
    left, right = verb.left_edge.i, verb.right_edge.i
    opened = doc[left].text in marks or (left > 0 and doc[left - 1].text in marks)
    closed = doc[right].text in marks or (right + 1 < len(doc) and doc[right + 1].text in marks)
    return opened and closed


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


def find_cues(toks, nearest_last: bool):
    """Speech verbs, "according to" and "reaction of" among `toks`, nearest the quotation first."""
    ordered = list(reversed(toks)) if nearest_last else list(toks)
    for tok in ordered:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            yield "according", tok
        elif is_reporting(tok):
            yield "verb", tok
        elif tok.lower_ in SPEECH_NOUNS and tok.pos_ == "NOUN" and any(
                c.dep_ == "prep" and c.lower_ in ("of", "from", "by") or c.dep_ == "poss" for c in tok.children):
            yield "noun", tok


def find_cue(toks, nearest_last: bool):
    """(kind, token) of the cue nearest the quotation, or (None, None)."""
    return next(find_cues(toks, nearest_last), (None, None))


def is_passive(verb) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def agent_of(verb):
    """"… by X": X, the doer of a passive verb."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None


def subject_of(verb, outside):
    """The subject of a speech verb, inherited through conjunctions and participles.

    Of several subjects (spaCy sometimes attaches a country or a word inside the quotation
    as a second subject) the one nearest the verb and outside quotation marks (`outside`)
    wins.
    """
    tok = verb
    for _ in range(6):
        subjects = [c for c in tok.children if c.dep_ in SUBJECT_DEPS and c.dep_ != "nsubjpass" and outside(c)]
        if tok.i == verb.i and is_passive(tok) and not subjects:
            # "Varadkar was accused of being “notorious”": the one accused is not the speaker;
            # but "Gove is said to believe …": the one said to believe it is the source
            reported = any(c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in tok.children)
            passive_subject = next((c for c in tok.children if c.dep_ == "nsubjpass" and outside(c)), None)
            if reported and passive_subject is not None:
                return passive_subject
            return agent_of(tok)
        if subjects:
            subj = min(subjects, key=lambda c: abs(c.i - tok.i))
            if subj.lower_ in ("it", "there") and tok.i != verb.i:
                break  # "It will be …, with Biden warning": not the speaker
            return subj
        speaker = _speaker_without_subject(tok)
        if speaker is not None:
            return speaker
        tok = _clause_above(tok)
        if tok is None:
            break
    return _with_phrase_speaker(verb)


def _speaker_without_subject(tok):
    """Who speaks in a clause with no subject: an inverted name, an agent, the noun a relative
    or participle clause hangs on, or the object of the verb that prompted the saying."""
    # inverted "said Emily Horne": spaCy may attach the name as an object or attr
    if tok.lemma_.lower() in INVERTING_VERBS:
        after = [c for c in tok.children if tok.i < c.i <= tok.i + 6 and c.dep_ in ("dobj", "attr", "npadvmod", "appos", "dative") and c.pos_ in ("PROPN", "NOUN")]
        if after:
            return after[0]
        named = _name_right_after(tok)
        if named is not None:
            return named
    agent = agent_of(tok)
    if agent is not None:
        return agent
    if tok.dep_ == "relcl":
        return tok.head
    if tok.dep_ == "acl" and (tok.head.pos_ in ("PROPN", "PRON") or is_person_noun(tok.head)):
        return tok.head
    if tok.dep_ == "xcomp":
        obj = next((c for c in tok.head.children if c.dep_ in ("dobj", "obj") and c.i < tok.i), None)
        if obj is not None and obj.pos_ in ("PROPN", "NOUN", "PRON"):
            return obj  # "prompted Burley to say": Burley says it
    return None


def _name_right_after(verb):
    """“…,” said Fleming, “…”: between the pieces of a split quotation the parser often hangs
    the name on the second piece; the words say it plainly: a name right after the verb,
    closed by punctuation."""
    doc, i = verb.doc, verb.i + 1
    while i < len(doc) and i <= verb.i + 4 and doc[i].pos_ == "PROPN":
        i += 1
    if i > verb.i + 1 and (i == len(doc) or doc[i].is_punct):
        return doc[i - 1]
    return None


def _clause_above(tok):
    """The verb whose subject a subjectless clause inherits, or None."""
    if tok.dep_ == "acl" and tok.head.head.i != tok.head.i:
        return tok.head.head  # "called the attack a “crime”, saying …": the caller says it
    if tok.dep_ in ("conj", "advcl", "xcomp", "pcomp") and tok.head.i != tok.i:
        return tok.head
    if tok.pos_ not in ("VERB", "AUX", "NOUN", "PROPN") and tok.dep_ in ("advmod", "npadvmod", "prep") \
            and tok.head.i != tok.i and tok.head.pos_ in ("VERB", "AUX", "ADV"):
        # "going so far as to call …", "threw a match … by retweeting … and accusing her of …":
        # from the adverb or preposition on to the clause it modifies
        return tok.head
    return None


def _with_phrase_speaker(verb):
    """"with Biden in early December warning Putin": the object of "with" does the warning."""
    if verb.tag_ == "VBG":
        for prev in reversed(verb.doc[max(0, verb.i - 8): verb.i]):
            if prev.is_punct or prev.pos_ in ("VERB", "AUX"):
                break
            if prev.dep_ == "pobj" and prev.head.lower_ == "with" and prev.pos_ in ("PROPN", "NOUN"):
                return prev
    return None
