"""Person-name handling: keys for matching, variants, the same-person test, and what a
given name tells (that it is one, and its usual gender).

Transliterations differ (Sergei/Sergey, Zelensky/Zelenskyy/Zelenskiy), so names are compared
on an ASCII-folded key and fuzzy similarity rather than exact strings.
"""
from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import JaroWinkler
from nameparser import HumanName
from rapidfuzz import fuzz

from quotes.extraction.lexicon import HONORIFICS, NAME_SUFFIXES, ORG_NAME_WORDS



def name_key(name: str) -> str:
    """ASCII, lower case, single-spaced words: the form aliases are compared on."""
    text = anyascii(name or "").lower()
    text = re.sub(r"[^\w\s-]", " ", text).replace("-", " ")
    return " ".join(text.split())


@lru_cache(maxsize=20000)
def _parsed(name: str) -> tuple[tuple[str, ...], str]:
    """(given-name words, surname key) using nameparser, which knows titles, suffixes and
    particles ("Dr. Anthony Fauci Jr.", "Ursula von der Leyen", "Karine Jean-Pierre")."""
    words = name_key(name).split()
    while len(words) > 1 and words[0] in HONORIFICS:
        words = words[1:]
    while len(words) > 1 and words[-1] in NAME_SUFFIXES:
        words = words[:-1]
    if not words:
        return (), ""
    human = HumanName(" ".join(w for w in (name or "").replace("-", "\u2010").split()))
    last = name_key(human.last.replace("\u2010", "-"))
    if not last or len(words) == 1 or not " ".join(words).endswith(last):
        return tuple(words[:-1]), words[-1]
    given = " ".join(words)[: -len(last)].split()
    return tuple(given), last


def name_parts(name: str) -> list[str]:
    """The words of a name without honorifics, titles or suffixes; the surname is the last item."""
    given, last = _parsed(name)
    return [*given, last] if last else []


def surname_key(name: str) -> str:
    return _parsed(name)[1]


def _similar_word(a: str, b: str, threshold: float, prefix: int = 4) -> bool:
    """Spelling variants of one name: a shared opening and near-identical letters.

    Short names are compared strictly (Sato is not Saito); transliterations of longer ones
    (Zelensky, Zelenskyy, Zelenskiy; Sergei, Sergey) pass.
    """
    if a == b:
        return True
    if not a or not b or min(len(a), len(b)) < prefix + 1 or a[:prefix] != b[:prefix]:
        return False
    return JaroWinkler.similarity(a, b) >= threshold and fuzz.ratio(a, b) >= 80


@lru_cache(maxsize=20000)
def same_surname(a: str, b: str) -> bool:
    """Zelensky ~ Zelenskyy ~ Zelenskiy; Lavrov != Lavrova is left to the first names."""
    return _similar_word(surname_key(a), surname_key(b), 0.9)


def same_person_name(a: str, b: str) -> bool:
    """True when two written names can denote one person.

    Surnames must match (allowing transliteration); given names, when both are present,
    must match too (Sergei ~ Sergey, Joe ~ Joseph is not attempted); a surname alone
    matches any full name with that surname.
    """
    pa, pb = name_parts(a), name_parts(b)
    if not pa or not pb or not same_surname(a, b):
        return False
    if len(pa) == 1 or len(pb) == 1:
        return True
    return _similar_word(pa[0], pb[0], 0.85, prefix=3) or (len(pa[0]) <= 2 or len(pb[0]) <= 2) and pa[0][0] == pb[0][0]


def looks_like_person_name(words: list[str]) -> bool:
    """Two to four capitalised words opening with a known given name ("Helena Varga").

    spaCy's small model often labels unfamiliar names as ORG or GPE; a given name that
    gender-guesser knows is better evidence than that label.
    """
    if not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False
    if any(w.lower().strip(".") in ORG_NAME_WORDS for w in words):
        return False
    return _known_given_name(words[0])


@lru_cache(maxsize=4096)
def first_name_gender(first: str) -> str:
    guess = _detector().get_gender(first.capitalize())
    # "mostly_" names (Kim, Chris, Leslie) are left open: the text's own pronoun decides.
    return {"male": "m", "female": "f"}.get(guess, "")


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
