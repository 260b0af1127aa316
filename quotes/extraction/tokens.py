"""Readings of spaCy tokens that cues, mentions and resolution all need: is this a person,
where does this name or noun phrase start, what is the text of this entity."""
from __future__ import annotations

from quotes.extraction.lexicon import HEAD_SYNONYMS, HONORIFIC_WORDS, PERSON_NOUNS, PERSON_SUFFIXES, TITLE_WORDS
from quotes.extraction.names import looks_like_person_name


def words_text(toks) -> str:
    return " ".join(t.text for t in toks)


def tidy_possessives(text: str) -> str:
    """spaCy splits "Kremlin's" into two tokens; joined with spaces they read "Kremlin 's"."""
    return text.replace(" 's", "'s").replace(" ’s", "’s")


def joined(toks) -> str:
    """The tokens as the article wrote them."""
    return "".join(t.text_with_ws for t in toks).strip()


def is_person_entity(ent) -> bool:
    if not any(t.pos_ == "PROPN" for t in ent):
        return False
    if ent.label_ == "PERSON":
        return True
    return ent.label_ in ("ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART") and looks_like_person_name(
        [t.text for t in ent if t.text not in ("the", "The")])


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


def name_tokens(tok):
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


def entity_text(tok) -> str:
    """The whole named entity `tok` belongs to, else the token alone."""
    if tok.ent_iob_ in ("B", "I"):
        start = tok.i
        while start > 0 and tok.doc[start].ent_iob_ == "I":
            start -= 1
        end = tok.i + 1
        while end < len(tok.doc) and tok.doc[end].ent_iob_ == "I":
            end += 1
        return tok.doc[start:end].text
    return tok.text


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
