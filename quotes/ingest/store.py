"""Writing one article: its speakers, appearances and quotes in one transaction.

Ingest is idempotent by the sha256 of the cleaned body: the same article under any file name
is stored once. Each article is written in one transaction, so a crash leaves either the
whole article or nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from quotes.extraction import ArticleMeta, ExtractionResult, extract_from_cleaned
from quotes.models import (
    Article,
    Organisation,
    Quote,
    QuoteReport,
    Speaker,
    SpeakerAppearance,
)
from quotes.ingest.concurrency import lock_entity_writes
from quotes.ingest.speakers import appearance_profiles, organisation_resolve, speaker_refresh_profile, speaker_resolve
from quotes.ingest.statements import StatementLinker, quote_set_keys


@dataclass
class IngestOutcome:
    status: str  # "new" | "unchanged"
    article: Article
    quotes: int = 0
    speakers: int = 0


def _store_quotes(
    article: Article,
    result: ExtractionResult,
    keep: list[Quote] | None = None,
    reuse: dict[tuple[int, int], Quote] | None = None,
    new_article: bool = False,
) -> tuple[int, int]:
    """Write the extracted speakers and quotes of one article; quotes overlapping `keep` are skipped.

    A finding on the span of a quote in `reuse` overwrites that row (popped from `reuse`)
    instead of creating one, so its id, permalink and reader reports survive re-extraction.
    `new_article` says the article was created in this transaction, so it has no appearances yet.
    Returns (quotes written, speakers named).
    """
    resolve_org = _organisation_resolver()
    speakers = _store_appearances(article, result, resolve_org, new_article)
    rows, updated = _quote_rows(article, result, speakers, resolve_org, keep or [], {} if reuse is None else reuse)
    _link_statements(article, updated + rows)
    written = _write_quotes(article, rows, updated)
    _refresh_profiles(speakers.values())
    return written, len(speakers)


def _organisation_resolver() -> Callable[[str], Organisation | None]:
    """organisation_resolve, once per name and article: resolving a name gives it an alias, so
    resolving it again in this transaction would return the same organisation and write nothing."""
    orgs: dict[str, Organisation | None] = {}

    def resolve(name: str) -> Organisation | None:
        if not name:
            return None
        if name not in orgs:
            orgs[name] = organisation_resolve(name)
        return orgs[name]

    return resolve


def _store_appearances(article: Article, result: ExtractionResult, resolve_org, new_article: bool) -> dict[str, Speaker]:
    """The speaker of each mention (by the name written), with one appearance per speaker in
    `article`; a later mention of the same speaker gives the appearance's fields."""
    speakers: dict[str, Speaker] = {}
    appearances: dict[int, dict] = {}  # speaker id -> fields
    for mention in result.speakers:
        org = resolve_org(mention.organisation)
        speaker = speaker_resolve(mention, org)
        speakers[mention.name] = speaker
        appearances[speaker.pk] = {
            "speaker": speaker, "name_as_written": mention.name[:200], "role": mention.role[:200], "organisation": org,
        }
    if new_article:
        SpeakerAppearance.objects.bulk_create([SpeakerAppearance(article=article, **a) for a in appearances.values()])
    else:
        for a in appearances.values():
            SpeakerAppearance.objects.update_or_create(
                speaker=a.pop("speaker"), article=article, defaults=a,
            )
    return speakers


def _quote_rows(
    article: Article, result: ExtractionResult, speakers: dict[str, Speaker], resolve_org,
    keep: list[Quote], reuse: dict[tuple[int, int], Quote],
) -> tuple[list[Quote], list[Quote]]:
    """(new rows, reused rows) for the extracted quotes not overlapping a kept one, unsaved."""
    mentions = {m.name: m for m in result.speakers}
    kept_spans = [(q.start, q.end) for q in keep]
    rows, updated = [], []
    now = timezone.now()
    for q in result.quotes:
        if any(q.start < e and s < q.end for s, e in kept_spans):
            continue
        org_name = q.organisation or (mentions[q.speaker].organisation if q.speaker in mentions else "")
        row = reuse.pop((q.start, q.end), None) or Quote(article=article, start=q.start, end=q.end)
        row.text = q.text
        row.kind = q.kind
        row.speaker = speakers.get(q.speaker) if q.speaker else None
        row.speaker_description = q.speaker_description[:300]
        row.organisation = resolve_org(org_name)
        row.cue = q.cue[:200]
        row.method = q.method[:30]
        row.confidence = max(0.0, min(1.0, q.confidence))
        quote_set_keys(row)
        row.updated_at = now
        (updated if row.pk else rows).append(row)
    return rows, updated


def _link_statements(article: Article, quotes: list[Quote]) -> None:
    """Each quote's statement group, set before the rows are written: the candidates are other
    articles' quotes, so the result is the same, and each group goes in with its row instead
    of one UPDATE per quote."""
    linker = StatementLinker(article.pk, quotes)
    for quote in quotes:
        linker.link(quote)


def _write_quotes(article: Article, rows: list[Quote], updated: list[Quote]) -> int:
    """Insert the new rows and update the reused ones; returns how many were written."""
    if updated:
        Quote.objects.bulk_update(
            updated,
            ["text", "kind", "speaker", "speaker_description", "organisation", "cue", "method", "confidence",
             "text_key", "lead_key", "statement_group", "updated_at"],
        )
    created = Quote.objects.bulk_create(rows)
    if not all(q.pk for q in created):  # backends that do not return ids
        created = list(article.quotes.filter(start__in=[r.start for r in rows]))
    return len(updated) + len(created)


def _refresh_profiles(speakers) -> None:
    """Role and organisation of each speaker from all its appearances, read in one query."""
    speakers = list(speakers)
    profiles = appearance_profiles({s.pk for s in speakers if not s.curated})
    for speaker in speakers:
        speaker_refresh_profile(speaker, profiles.get(speaker.pk))


def article_store(result: ExtractionResult, digest: str, source_file: str = "") -> IngestOutcome:
    meta: ArticleMeta = result.meta
    try:
        with transaction.atomic():
            lock_entity_writes()
            article = Article.objects.create(
                title=(meta.title or source_file or "Untitled")[:500],
                outlet=meta.outlet[:200],
                byline=meta.byline[:300],
                published=meta.published,
                url=meta.url[:1000],
                body=result.body,
                content_hash=digest,
                source_file=source_file[:500],
                prose_chars=meta.prose_chars,
                dropped_prose_chars=meta.dropped_prose_chars,
            )
            n_quotes, n_speakers = _store_quotes(article, result, new_article=True)
    except IntegrityError:
        # Another process stored the same article first: that is the idempotent outcome.
        existing = Article.objects.filter(content_hash=digest).first()
        if existing is None:
            raise
        return IngestOutcome("unchanged", existing)
    return IngestOutcome("new", article, n_quotes, n_speakers)


def article_reextract(article: Article, nlp=None) -> tuple[int, int]:
    """Run the extractor again on a stored article, keeping every curator decision.

    Quotes a curator verified, rejected or edited stay exactly as they are, and so do quotes
    with a reader report nobody has handled yet (deleting them would drop the report). The
    other quotes are replaced by the new findings, which arrive unreviewed; a finding on the
    same span as an old one updates that row, so its permalink survives. Returns (kept, found).
    """
    result = extract_from_cleaned(
        article.body,
        ArticleMeta(article.title, article.outlet, article.byline, article.published, article.url),
        nlp=nlp,
    )
    open_report = QuoteReport.objects.filter(quote=OuterRef("pk"), handled_at__isnull=True)
    keep_q = Q(curated=True) | ~Q(status=Quote.Status.UNREVIEWED) | Q(Exists(open_report))
    with transaction.atomic():
        lock_entity_writes()
        kept = list(article.quotes.filter(keep_q))
        replaceable = {(q.start, q.end): q for q in article.quotes.exclude(keep_q)}
        found, _ = _store_quotes(article, result, keep=kept, reuse=replaceable)
        # What is left in `replaceable` the extractor no longer finds.
        Quote.objects.filter(pk__in=[q.pk for q in replaceable.values()]).delete()
    return len(kept), found


