"""Who can be meant: the people, unnamed sources and organisations an article introduces.

A careful reader keeps a list of who has been mentioned, with the words used for them
("Kremlin spokesman", "a senior official"), and resolves "he", "the spokesperson" or
"the statement" against that list. This module is that list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from quotes.extraction.lexicon import GENDERED_WORDS, HEAD_SYNONYMS, QUALIFIERS
from quotes.extraction.names import first_name_gender, name_parts, same_person_name, surname_key
from quotes.extraction.organisations import clean_org_name


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
            match = self._only_person_named(name, parts)
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

    def _only_person_named(self, name: str, parts: list[str]) -> Referent | None:
        """The one person whose name opens or ends with this one word ("Anna" after "Anna
        Pickard"; "Geng" after "Geng Shuang", a family name written first), or the one person
        so far called by a word this name opens or ends with. None when several people fit:
        then nobody can tell which one is meant."""
        words = [w.lower() for w in parts]
        holders = []
        for ref in self.items:
            if ref.kind != "person":
                continue
            known = [[w.lower() for w in name_parts(form)] for form in ref.forms]
            if len(words) == 1 and any(len(k) > 1 and words[0] in (k[0], k[-1]) for k in known):
                holders.append(ref)
            elif len(words) > 1 and all(len(k) == 1 and k[0] in (words[0], words[-1]) for k in known):
                holders.append(ref)
        return holders[0] if len(holders) == 1 else None

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

