"""The extractor's output: everything the database needs, nothing it does not."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class ArticleMeta:
    title: str = ""
    outlet: str = ""
    byline: str = ""
    published: dt.date | None = None
    url: str = ""
    # What the cleaner kept of the page's prose (its sentence lines), so a loss is never silent.
    prose_chars: int = 0
    dropped_prose_chars: int = 0

    @property
    def lost_most_prose(self) -> bool:
        """Whether the kept body holds under half of the page's prose."""
        return self.dropped_prose_chars * 2 > self.prose_chars


@dataclass
class SpeakerMention:
    """A person as one article presents them (longest name form, role and organisation)."""

    name: str
    role: str = ""
    organisation: str = ""
    gender: str = ""  # "m", "f" or ""
    aliases: list[str] = field(default_factory=list)  # other forms used in the article


@dataclass
class ExtractedQuote:
    text: str
    start: int  # offsets into ExtractionResult.body
    end: int
    kind: str = "full"  # "full" | "partial"
    speaker: str | None = None  # SpeakerMention.name, or None for an unnamed source
    speaker_description: str = ""  # "a senior US administration official"
    organisation: str = ""  # the organisation speaking, or the speaker's
    cue: str = ""  # "said", "told Euronews", "according to"
    method: str = ""  # explicit, pronoun, title, continuation, organisation, according_to, none
    confidence: float = 0.0


@dataclass
class ExtractionResult:
    meta: ArticleMeta
    body: str
    quotes: list[ExtractedQuote] = field(default_factory=list)
    speakers: list[SpeakerMention] = field(default_factory=list)
