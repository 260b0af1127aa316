"""Who the article names before any quote is attributed: people (with the role words around
their name) and organisations that speak, registered so later cues can refer back to them."""
from __future__ import annotations

from quotes.extraction.cues import SUBJECT_DEPS, is_speech_verb
from quotes.extraction.lexicon import HEAD_SYNONYMS, HONORIFIC_WORDS, TITLE_WORDS
from quotes.extraction.organisations import clean_org_name
from quotes.extraction.parsed import ArticleText
from quotes.extraction.referents import Registry
from quotes.extraction.tokens import is_person_entity, tidy_possessives, untagged_name_runs, words_text


def register_mentions(text: ArticleText, registry: Registry) -> None:
    """Named people outside quotation marks, with the role words around the name, and
    organisations that speak (subjects of speech verbs), so "the statement" can find them."""
    for offset, doc in text.docs:
        for ent in doc.ents:
            pos = offset + ent.start_char
            if text.in_quote(pos):
                continue
            if is_person_entity(ent):
                role, org = role_for(ent)
                honorific = doc[ent.start - 1].text if ent.start > 0 else ""
                registry.person(ent.text, pos, role, org, honorific)
            elif ent.label_ in ("ORG", "GPE", "NORP") and ent.root.dep_ in SUBJECT_DEPS and is_speech_verb(ent.root.head):
                registry.organisation(ent.text, pos)
        for run in untagged_name_runs(doc):
            pos = offset + run.start_char
            if not text.in_quote(pos):
                role, org = role_for(run)
                registry.person(run.text, pos, role, org)


def role_for(ent) -> tuple[str, str]:
    """(role, organisation): role words before a name ("Kremlin spokesman") or in apposition
    after it ("X, a senior adviser at Y")."""
    role_toks = _role_words_before(ent)
    role = tidy_possessives(words_text(role_toks))
    org = org_in(role_toks)
    if not role:
        role, org = _appositive_role(ent.root)
    if role and not org:
        org = sentence_org(ent)
    return role, org


def _role_words_before(ent) -> list:
    """The modifiers of the name on its left, without determiners, honorifics or a leading preposition."""
    doc = ent.doc
    role_toks = []
    i = ent.start - 1
    anchor = ent.root  # "US President Joe Biden" may parse with the title as head
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
    return role_toks


def _appositive_role(root) -> tuple[str, str]:
    """"Jonas Weber, the trade minister": the apposition after the name, up to a relative clause."""
    appos = next((c for c in root.children if c.dep_ == "appos" and c.i > root.i), None)
    if appos is None or appos.pos_ not in ("NOUN", "PROPN") or appos.ent_type_ in ("PERSON", "GPE", "DATE"):
        return "", ""
    toks = [t for t in appos.subtree if not (t.dep_ == "relcl" or t.dep_ == "punct" and t.i == appos.right_edge.i)]
    toks = [t for t in toks if t.i <= appos.right_edge.i and not _beyond_clause(t, appos)]
    role = tidy_possessives(words_text(toks).strip(" ,"))
    if len(role.split()) > 12:
        role = ""
    return role, org_in(toks) if role else ""


def _beyond_clause(tok, appos) -> bool:
    return any(a.dep_ in ("relcl", "acl") and a.i > appos.i for a in tok.ancestors if a.i != appos.i and a in appos.subtree)


def org_in(toks) -> str:
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
    return clean_org_name(words_text(words)) if words else ""


def sentence_org(ent) -> str:
    """"At the United Nations, Russian envoy X": an organisation that opens the sentence."""
    sent = ent.sent
    first = sent[0]
    if first.lower_ in ("at", "from") and first.i < ent.start:
        for e in sent.ents:
            if e.label_ in ("ORG", "FAC") and e.start < ent.start and e.start - sent.start <= 5:
                return clean_org_name(e.text)
    return ""
