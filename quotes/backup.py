"""Backups (README, "Backup and restore"): `export_quotes --with-articles` writes them
(backup_records), `load_export` restores them (BackupRestore: organisation_restore, speaker_restore,
article_restore)."""
from __future__ import annotations

import datetime as dt
import json
from typing import Iterator

from django.db import transaction
from django.db.models import F, QuerySet

from quotes.extraction.names import name_key
from quotes.models import (
    Article,
    Organisation,
    Quote,
    Speaker,
    SpeakerAlias,
    SpeakerAppearance,
    StatementGroup,
)
from quotes.ingest.concurrency import get_or_create_safely
from quotes.ingest.speakers import organisation_alias_add
from quotes.ingest.statements import quote_set_keys
from quotes.ingest.store import IngestOutcome
from quotes.exports import quote_export_record, quotes_for_export


# --- Export ---------------------------------------------------------------------------------
# `export_quotes --with-articles` writes everything a faithful restore needs, as typed JSONL
# records: organisations, then speakers (both keyed by slug, with their aliases), then each
# article (body and content hash) followed by its quotes. Ids are not kept; slugs, content
# hashes and spans are the keys. See README, "Backup and restore".


def backup_records(queryset: QuerySet | None = None) -> Iterator[dict]:
    for org in Organisation.objects.order_by("pk").prefetch_related("aliases"):
        yield {
            "type": "organisation", "name": org.name, "slug": org.slug, "kind": org.kind,
            "wikidata_id": org.wikidata_id, "aliases": sorted(a.name for a in org.aliases.all()),
        }
    for speaker in Speaker.objects.order_by("pk").select_related("organisation").prefetch_related("aliases"):
        yield {
            "type": "speaker", "name": speaker.name, "slug": speaker.slug, "role": speaker.role,
            "organisation": speaker.organisation.slug if speaker.organisation_id else None,
            "gender": speaker.gender, "wikidata_id": speaker.wikidata_id, "curated": speaker.curated,
            "aliases": sorted(a.name for a in speaker.aliases.all()),
        }
    quotes = quotes_for_export(queryset)
    articles = Article.objects.order_by(F("published").asc(nulls_last=True), "pk").prefetch_related(
        "appearances__speaker", "appearances__organisation"
    )
    for article in articles.iterator(chunk_size=200):
        yield {
            "type": "article", "title": article.title, "outlet": article.outlet, "byline": article.byline,
            "published": article.published.isoformat() if article.published else None, "url": article.url,
            "body": article.body, "content_hash": article.content_hash, "source_file": article.source_file,
            "prose_chars": article.prose_chars, "dropped_prose_chars": article.dropped_prose_chars,
            "appearances": [
                {"speaker": a.speaker.slug, "name_as_written": a.name_as_written, "role": a.role,
                 "organisation": a.organisation.slug if a.organisation_id else None}
                for a in article.appearances.all()
            ],
        }
        for quote in quotes.filter(article=article):
            record = quote_export_record(quote)
            record.update(
                type="quote", content_hash=article.content_hash, confidence=quote.confidence,
                speaker_slug=quote.speaker.slug if quote.speaker_id else None,
                organisation_slug=quote.organisation.slug if quote.organisation_id else None,
                reject_reason=quote.reject_reason, curated=quote.curated,
            )
            del record["also_reported_by"]
            yield record


# --- Restore from an `export_quotes --with-articles` backup -----------------------------------


def organisation_restore(record: dict) -> Organisation:
    """The organisation of a backup record, matched by slug (then name) or created as it was."""
    org = Organisation.objects.filter(slug=record["slug"]).first() or Organisation.objects.filter(
        name=record["name"]
    ).first()
    if org is None:
        org = Organisation.objects.create(
            name=record["name"][:200], slug=record["slug"], kind=record.get("kind") or Organisation.Kind.OTHER,
            wikidata_id=record.get("wikidata_id") or "",
        )
    for name in record.get("aliases") or []:
        organisation_alias_add(org, name)
    return org


def speaker_restore(record: dict) -> Speaker:
    """The speaker of a backup record, matched by slug or created as it was, with its aliases."""
    speaker = Speaker.objects.filter(slug=record["slug"]).first()
    if speaker is None:
        org = Organisation.objects.filter(slug=record["organisation"]).first() if record.get("organisation") else None
        speaker = Speaker.objects.create(
            name=record["name"][:200], slug=record["slug"], role=(record.get("role") or "")[:200],
            organisation=org, gender=record.get("gender") or "", wikidata_id=record.get("wikidata_id") or "",
            curated=bool(record.get("curated")),
        )
    for name in record.get("aliases") or []:
        get_or_create_safely(SpeakerAlias, speaker=speaker, key=name_key(name), defaults={"name": name[:200]})
    return speaker


def article_restore(record: dict, quotes: list[dict], groups: dict[int, int]) -> IngestOutcome:
    """One article of a backup with its quotes, in one transaction; an article already stored
    (same content hash) is left as it is. `groups` maps the backup's statement groups to ours."""
    by_slug = lambda model, slug: model.objects.filter(slug=slug).first() if slug else None  # noqa: E731
    with transaction.atomic():
        existing = Article.objects.filter(content_hash=record["content_hash"]).first()
        if existing:
            return IngestOutcome("unchanged", existing)
        article = Article.objects.create(
            title=record["title"][:500], outlet=(record.get("outlet") or "")[:200],
            byline=(record.get("byline") or "")[:300],
            published=dt.date.fromisoformat(record["published"]) if record.get("published") else None,
            url=(record.get("url") or "")[:1000], body=record["body"], content_hash=record["content_hash"],
            source_file=(record.get("source_file") or "")[:500],
            prose_chars=int(record.get("prose_chars") or 0), dropped_prose_chars=int(record.get("dropped_prose_chars") or 0),
        )
        for app in record.get("appearances") or []:
            speaker = by_slug(Speaker, app["speaker"])
            if speaker is not None:
                SpeakerAppearance.objects.get_or_create(
                    speaker=speaker, article=article,
                    defaults={"name_as_written": app["name_as_written"][:200], "role": (app.get("role") or "")[:200],
                              "organisation": by_slug(Organisation, app.get("organisation"))},
                )
        rows = []
        for q in quotes:
            if article.body[q["start"]:q["end"]] != q["quote"]:
                raise ValueError(f"quote at {q['start']}-{q['end']} does not match the article text")
            group_id = None
            if q.get("statement_group") is not None:
                if q["statement_group"] not in groups:
                    groups[q["statement_group"]] = StatementGroup.objects.create().pk
                group_id = groups[q["statement_group"]]
            rows.append(quote_set_keys(Quote(
                article=article, text=q["quote"], kind=q.get("kind") or Quote.Kind.FULL,
                speaker=by_slug(Speaker, q.get("speaker_slug")), speaker_description=q.get("speaker_description") or "",
                organisation=by_slug(Organisation, q.get("organisation_slug")), start=q["start"], end=q["end"],
                cue=q.get("cue") or "", method=q.get("method") or "", confidence=float(q.get("confidence") or 0),
                status=q.get("status") or Quote.Status.UNREVIEWED, reject_reason=q.get("reject_reason") or "",
                curated=bool(q.get("curated")), statement_group_id=group_id,
            )))
        Quote.objects.bulk_create(rows)
    return IngestOutcome("new", article, len(rows))



class BackupRestore:
    """A backup's records restored in order: organisations and speakers one by one, each
    article with the quote records that follow it in one transaction. A damaged record is
    passed to `on_failure(label, reason)` and the rest go on."""

    def __init__(self, on_failure):
        self.on_failure = on_failure
        self.counts = {"organisation": 0, "speaker": 0, "new": 0, "unchanged": 0, "quotes": 0}
        self.groups: dict[int, int] = {}  # the backup's statement groups -> ours
        self.pending: tuple[str, dict, list] | None = None  # (label, article record, its quotes)

    def add_line(self, label: str, line: str) -> None:
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            self.on_failure(label, f"malformed JSON: {exc.msg}")
            return
        try:
            self._add(label, record)
        except (KeyError, TypeError, ValueError) as exc:
            self.on_failure(label, f"{type(exc).__name__}: {exc}" if isinstance(exc, KeyError) else str(exc))

    def _add(self, label: str, record) -> None:
        kind = record.get("type") if isinstance(record, dict) else None
        if kind == "organisation":
            organisation_restore(record)
            self.counts["organisation"] += 1
        elif kind == "speaker":
            speaker_restore(record)
            self.counts["speaker"] += 1
        elif kind == "article":
            self.finish()
            self.pending = (label, record, [])
        elif kind == "quote":
            if self.pending is None or self.pending[1].get("content_hash") != record.get("content_hash"):
                raise ValueError("quote without its article record before it")
            self.pending[2].append(record)
        else:
            raise ValueError("not a backup record (no 'type'); write backups with `export_quotes --with-articles`")

    def finish(self) -> None:
        """Restore the article read last, with its quotes."""
        if self.pending is None:
            return
        (label, article, quotes), self.pending = self.pending, None
        try:
            outcome = article_restore(article, quotes, self.groups)
        except Exception as exc:  # one bad article never stops the others
            self.on_failure(label, f"article {article.get('title', '')[:60]!r}: {exc}")
            return
        self.counts[outcome.status] += 1
        self.counts["quotes"] += outcome.quotes
