"""Who can be meant: the people, unnamed sources and organisations an article introduces.

A careful reader keeps a list of who has been mentioned, with the words used for them
("Kremlin spokesman", "a senior official"), and resolves "he", "the spokesperson" or
"the statement" against that list. This module is that list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from quotes.extraction.names import name_parts, same_person_name, surname_key

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
PLURAL_PRONOUNS = {"they", "them", "their", "we"}
GENDERED_WORDS = {
    "spokeswoman": "f", "chairwoman": "f", "congresswoman": "f", "businesswoman": "f", "mrs": "f",
    "ms": "f", "miss": "f", "madam": "f", "queen": "f", "princess": "f", "mother": "f", "wife": "f",
    "woman": "f", "daughter": "f", "sister": "f", "actress": "f", "duchess": "f", "lady": "f", "dame": "f",
    "spokesman": "m", "chairman": "m", "congressman": "m", "businessman": "m", "mr": "m", "king": "m",
    "prince": "m", "father": "m", "husband": "m", "man": "m", "son": "m", "brother": "m", "sir": "m",
    "lord": "m", "duke": "m",
}
# Descriptions that pick out the same kind of source ("the spokesman" ~ "spokesperson").
HEAD_SYNONYMS = {
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokesperson": "spokesperson",
    "spokespeople": "spokesperson", "official": "official", "officials": "official", "source": "source",
    "sources": "source", "person": "source", "people": "source", "individual": "source",
    "diplomat": "diplomat", "diplomats": "diplomat", "envoy": "envoy", "aide": "aide", "adviser": "adviser",
    "advisor": "adviser", "minister": "minister", "president": "president", "leader": "leader",
    "secretary": "secretary", "chief": "chief", "director": "director", "ambassador": "ambassador",
    "editor": "editor", "analyst": "analyst", "expert": "expert", "officer": "officer",
    "executive": "executive", "chairman": "chair", "chairwoman": "chair", "chair": "chair",
    "premier": "premier", "chancellor": "chancellor", "governor": "governor", "mayor": "mayor",
    "senator": "senator", "lawmaker": "lawmaker", "negotiator": "negotiator", "general": "general",
    "commander": "commander", "professor": "professor", "researcher": "researcher", "lawyer": "lawyer",
    "attorney": "lawyer", "witness": "witness", "resident": "resident", "doctor": "doctor",
    "economist": "economist", "ceo": "executive", "founder": "founder", "manager": "manager",
    "coach": "coach", "captain": "captain", "judge": "judge", "prosecutor": "prosecutor",
    "representative": "representative", "head": "head", "counterpart": "counterpart",
}
QUALIFIERS = {"deputy", "vice", "assistant", "acting", "former", "junior", "associate", "interim", "ex"}
# Nouns that stand for an organisation's own words.
STATEMENT_NOUNS = {"statement", "statements", "release", "communique", "communiqué", "announcement", "readout",
                   "report", "memo", "letter", "notice", "post", "tweet", "document", "declaration", "filing"}


@lru_cache(maxsize=4096)
def first_name_gender(first: str) -> str:
    guess = _detector().get_gender(first.capitalize())
    return {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f"}.get(guess, "")


ORG_WORDS = {"board", "ministry", "council", "bank", "department", "agency", "authority", "institute",
             "university", "party", "company", "group", "association", "committee", "commission", "office",
             "court", "house", "fund", "foundation", "union", "news", "times", "post", "club", "corp", "inc"}


def looks_like_person_name(words: list[str]) -> bool:
    """Two to four capitalised words opening with a known given name ("Helena Varga").

    spaCy's small model often labels unfamiliar names as ORG or GPE; a given name that
    gender-guesser knows is better evidence than that label.
    """
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False
    if any(w.lower().strip(".") in ORG_WORDS for w in words):
        return False
    return _known_given_name(words[0])


@lru_cache(maxsize=20000)
def _known_given_name(word: str) -> bool:
    return _detector().get_gender(word) != "unknown"


@lru_cache(maxsize=1)
def _detector():
    import gender_guesser.detector as gd

    class Detector(gd.Detector):
        """gender_guesser's detector, reading its data file in one go.

        The library reads its 48,000 lines through codecs.open, whose line iterator is pure
        Python and took most of the one-off 0.3-0.5 s (more on a loaded machine) every
        ingest process paid. The lines are the same (splitlines, as codecs splits them) and
        go through the library's own line parser, so the names table is identical.
        """

        def _parse(self, filename):
            self.names = {}
            with open(filename, encoding="utf-8", newline="") as f:
                lines = f.read().splitlines()
            for line in lines:
                self._eat_name_line(line.strip())

    return Detector(case_sensitive=False)


def description_heads(text: str) -> set[str]:
    """Kinds of source a description names ("spokesperson"); else its last noun ("trader")."""
    words = re.findall(r"[A-Za-z]+", text.lower())
    heads = {HEAD_SYNONYMS[w] for w in words if w in HEAD_SYNONYMS}
    if not heads and words and len(words[-1]) > 2:
        last = words[-1]
        heads = {last[:-1] if last.endswith("s") and not last.endswith("ss") else last}
    return heads


@dataclass
class Referent:
    kind: str  # "person" | "anon" | "org"
    name: str = ""  # person: longest name form; org: organisation name
    description: str = ""  # anon: "a senior US administration official"; person: role words
    role: str = ""
    organisation: str = ""
    gender: str = ""
    plural: bool = False
    forms: list[str] = field(default_factory=list)
    heads: set[str] = field(default_factory=set)
    positions: list[int] = field(default_factory=list)  # char offsets of mentions

    @property
    def last(self) -> int:
        return max(self.positions) if self.positions else -1

    def add_role(self, role: str, organisation: str = "") -> None:
        role = role.strip(" ,")
        if role and (not self.role or len(role) > len(self.role) and self.role in role):
            self.role = role
        if organisation and not self.organisation:
            self.organisation = organisation
        self.heads |= description_heads(role)
        if not self.gender:
            for w in re.findall(r"[a-z]+", role.lower()):
                if w in GENDERED_WORDS:
                    self.gender = GENDERED_WORDS[w]
                    break


class Registry:
    """The referents of one article, in order of mention."""

    def __init__(self):
        self.items: list[Referent] = []

    # -- people -------------------------------------------------------------------------
    def person(self, name: str, pos: int, role: str = "", organisation: str = "", honorific: str = "") -> Referent:
        """The person called `name`, merging a bare surname with the full name used elsewhere."""
        name = clean_person_name(name)
        parts = name_parts(name)
        match = None
        for ref in reversed(self.items):
            if ref.kind != "person":
                continue
            if any(same_person_name(name, form) for form in ref.forms):
                # a bare surname joins the most recent full name; two full names must agree
                match = ref
                break
        if match is None:
            match = Referent("person", name=name, forms=[name])
            self.items.append(match)
        else:
            if len(parts) > len(name_parts(match.name)):
                match.name = name
            if name not in match.forms:
                match.forms.append(name)
        match.positions.append(pos)
        if role or organisation:
            match.add_role(role, organisation)
        if honorific and not match.gender:
            match.gender = GENDERED_WORDS.get(honorific.lower().rstrip("."), "")
        if not match.gender:
            full = name_parts(match.name)
            if len(full) >= 2:
                match.gender = first_name_gender(match.name.split()[0])
        return match

    def find_person(self, name: str) -> Referent | None:
        name = clean_person_name(name)
        for ref in reversed(self.items):
            if ref.kind == "person" and any(same_person_name(name, f) for f in ref.forms):
                return ref
        return None

    def known_surname(self, word: str) -> Referent | None:
        key = surname_key(word)
        for ref in reversed(self.items):
            if ref.kind == "person" and any(surname_key(f) == key for f in ref.forms):
                return ref
        return None

    # -- unnamed sources and organisations ---------------------------------------------
    def anonymous(self, description: str, pos: int, definite: bool, plural: bool = False) -> Referent:
        """An unnamed source; a definite description ("the official") reuses an earlier one."""
        heads = description_heads(description)
        if definite:
            ref = self.by_description(description, pos)
            if ref is not None:
                ref.positions.append(pos)
                return ref
        ref = Referent("anon", description=description, heads=heads, plural=plural, positions=[pos])
        for w in re.findall(r"[a-z]+", description.lower()):
            if w in GENDERED_WORDS:
                ref.gender = GENDERED_WORDS[w]
        self.items.append(ref)
        return ref

    def by_description(self, description: str, pos: int) -> Referent | None:
        """The latest referent introduced with words like `description` ("the spokesperson")."""
        heads = description_heads(description)
        if not heads:
            return None
        modifiers = {w for w in re.findall(r"[a-z]+", description.lower()) if w not in HEAD_SYNONYMS} - {
            "the", "a", "an", "one", "this", "that", "of", "for", "at", "top"}
        best, best_score = None, 0.0
        for idx, ref in enumerate(self.items):
            if ref.kind == "org" or not (ref.heads & heads) or not ref.positions or ref.positions[0] > pos:
                continue
            if "source" in heads and ref.kind == "person":
                continue
            words = set(re.findall(r"[a-z]+", (ref.role + " " + ref.description).lower()))
            if modifiers and not modifiers & words:
                continue  # "the AIADMK leader" is not any leader
            rank_words = (words & QUALIFIERS) - modifiers  # a deputy minister is not "the minister"
            score = 1 + len(modifiers & words) - len(rank_words) + idx / 1000
            if score >= best_score:
                best, best_score = ref, score
        if best is None and "source" in heads:  # "the person said" after "a US official"
            for ref in reversed(self.items):
                if ref.kind == "anon" and ref.last <= pos:
                    return ref
        return best

    def organisation(self, name: str, pos: int) -> Referent:
        name = clean_org_name(name)
        for ref in reversed(self.items):
            if ref.kind == "org" and ref.name.lower() == name.lower():
                ref.positions.append(pos)
                return ref
        ref = Referent("org", name=name, positions=[pos])
        self.items.append(ref)
        return ref

    def latest_organisation(self, pos: int) -> Referent | None:
        for ref in reversed(self.items):
            if ref.kind == "org" and ref.last <= pos:
                return ref
        return None


def clean_person_name(name: str) -> str:
    name = re.sub(r"[’']s?$", "", name.strip())
    name = re.sub(r"^(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Dame)\.?\s+", "", name)
    return " ".join(name.strip(" ,.;:—–-").split())


def clean_org_name(name: str) -> str:
    name = re.sub(r"^(?:the|The)\s+", "", name.strip())
    name = re.sub(r"[’']s?$", "", name)
    return " ".join(name.strip(" ,.;:").split())
