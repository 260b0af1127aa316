"""Organisation names as text: the cleaned form of a name and the kind of body it suggests."""
from __future__ import annotations

import re

from quotes.extraction.lexicon import ORG_KIND_OTHER, ORG_KIND_PATTERNS

LEADING_THE = re.compile(r"^(?:the|The)\s+")
LEADING_THE_ANY_CASE = re.compile(r"^(?:the)\s+", re.I)
POSSESSIVE_END = re.compile(r"[’']s?$")
KIND_PATTERNS = [(kind, re.compile(pattern)) for kind, pattern in ORG_KIND_PATTERNS]


def _trimmed(name: str, leading_the: re.Pattern) -> str:
    name = leading_the.sub("", name.strip())
    return POSSESSIVE_END.sub("", name).strip(" ,.;:")


def clean_org_name(name: str) -> str:
    """"the Foreign Ministry’s" -> "Foreign Ministry", with runs of whitespace made single.

    The form the extractor gives organisations it reads in an article.
    """
    return " ".join(_trimmed(name, LEADING_THE).split())


def clean_org_name_for_ingest(name: str) -> str:
    """The form ingest stores: like clean_org_name, but "THE"/"tHe" count as "the" too and
    inner whitespace is left as it is. Kept apart because merging the two would change the
    names either side produces for such input."""
    return _trimmed(name, LEADING_THE_ANY_CASE)


def organisation_kind(name: str) -> str:
    """One of the values of Organisation.Kind, guessed from the words of the name."""
    key = name.lower()
    for kind, pattern in KIND_PATTERNS:
        if pattern.search(key):
            return kind
    return ORG_KIND_OTHER
