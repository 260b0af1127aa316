"""What a reader typed, parsed once: web-search syntax (words, "exact phrase", -exclude, or)
into a small tree, so a lone quote mark, a lone minus or an over-long query never reaches the
database as an error."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
MARK_START, MARK_END = "\ue000", "\ue001"
PG_CONFIG = "english"
FTS_WEIGHTS = (10.0, 4.0, 2.0, 2.0)  # text, speaker, organisation, description (bm25 columns)

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def websearch(self) -> str:
        return f'"{" ".join(self.words)}"' if self.is_phrase else self.words[0]

    def fts5(self) -> str:
        # Every word is quoted, so FTS5 operators and column filters in the input are inert.
        return '"' + " ".join(w.replace('"', "") for w in self.words) + '"'


@dataclass
class ParsedQuery:
    raw: str = ""
    groups: list[list[Term]] = field(default_factory=list)  # OR of AND-groups
    excludes: list[Term] = field(default_factory=list)
    message: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def websearch(self) -> str:
        parts = [" ".join(t.websearch() for t in g) for g in self.groups]
        text = " or ".join(parts)
        return " ".join([text] + ["-" + t.websearch() for t in self.excludes]).strip()

    def fts5(self) -> str:
        positive = " OR ".join("(" + " AND ".join(t.fts5() for t in g) + ")" for g in self.groups)
        expr = f"({positive})"
        for term in self.excludes:
            expr += f" NOT {term.fts5()}"
        return expr

    def words(self) -> list[str]:
        return [w for g in self.groups for t in g for w in t.words]


def parse_query(raw: str | None) -> ParsedQuery:
    """Web-search syntax to a small tree; anything unusable is dropped, never raised."""
    raw = (raw or "").replace("\x00", " ").strip()
    parsed = ParsedQuery(raw=raw)
    if not raw:
        return parsed
    if len(raw) > MAX_QUERY_LENGTH:
        parsed.message = f"That search is too long; use at most {MAX_QUERY_LENGTH} characters."
        return parsed
    raw = raw.replace("“", '"').replace("”", '"').replace("„", '"')
    current: list[Term] = []
    pending_or = False
    n_terms = 0
    for match in _TOKEN.finditer(raw):
        negate, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.lower() == "or":
                pending_or = True
                continue
            negate = "-" if bare.startswith("-") else ""
            text = bare.lstrip("-")
        else:
            text = phrase
        words = tuple(w.lower() for w in _WORD.findall(text))
        if not words or n_terms >= MAX_TERMS:
            continue
        n_terms += 1
        term = Term(words)
        if negate:
            parsed.excludes.append(term)
            continue
        if pending_or and current:
            parsed.groups.append(current)
            current = []
        pending_or = False
        current.append(term)
    if current:
        parsed.groups.append(current)
    if parsed.is_empty:
        parsed.excludes = []
        parsed.message = "Type some words to search for (a search of only -exclusions finds nothing)."
    return parsed
