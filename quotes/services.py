"""Writes to the quote database. Views, admin and commands call these; they hold no logic.

Ingest is idempotent by the sha256 of the cleaned body: the same article under any file name
is stored once. Each article is written in one transaction, so a crash leaves either the
whole article or nothing.
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from rapidfuzz import fuzz

from quotes.extraction import ArticleMeta, ExtractionResult, SpeakerMention, extract_from_cleaned
from quotes.extraction.clean import clean_article
from quotes.extraction.names import name_key, name_parts, same_person_name, surname_key
from quotes.models import (
    Article,
    Organisation,
    OrganisationAlias,
    Quote,
    Speaker,
    SpeakerAlias,
    SpeakerAppearance,
    StatementGroup,
)

ORG_KIND_WORDS = [
    (Organisation.Kind.NEWS_AGENCY, r"\b(news|press|agency|times|post|herald|tribune|journal|gazette|broadcast\w*|radio|television|tv)\b"),
    (Organisation.Kind.INTERNATIONAL, r"\b(united nations|nations|international|world|european union|alliance|organi[sz]ation for)\b"),
    (Organisation.Kind.THINK_TANK, r"\b(institute|institution|think tank|foundation|centre|center|council on|atlantic council)\b"),
    (Organisation.Kind.GOVERNMENT, r"\b(ministry|department|government|office|cabinet|parliament|congress|senate|house|council|agency|administration|embassy|police|army|military|kremlin|commission)\b"),
    (Organisation.Kind.PARTY, r"\b(party)\b"),
    (Organisation.Kind.COMPANY, r"\b(inc|ltd|plc|corp|corporation|company|group|bank)\b"),
]


def content_hash(body: str) -> str:
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


def guess_organisation_kind(name: str) -> str:
    key = name.lower()
    for kind, pattern in ORG_KIND_WORDS:
        if re.search(pattern, key):
            return kind
    return Organisation.Kind.OTHER


def clean_org_name(name: str) -> str:
    name = re.sub(r"^(?:the)\s+", "", name.strip(), flags=re.I)
    name = re.sub(r"[’']s?$", "", name).strip(" ,.;:")
    return name


def organisation_resolve(name: str) -> Organisation | None:
    """The Organisation called `name` (or one of its aliases), created when new."""
    name = clean_org_name(name or "")
    key = name_key(name)
    if not key:
        return None
    alias = OrganisationAlias.objects.filter(key=key).select_related("organisation").first()
    if alias:
        return alias.organisation
    org = Organisation.objects.filter(name__iexact=name).first()
    if org is None:
        org = Organisation.objects.create(name=name[:200], kind=guess_organisation_kind(name))
    OrganisationAlias.objects.get_or_create(organisation=org, key=key, defaults={"name": name[:200]})
    return org


def _speaker_candidates(name: str):
    surname = surname_key(name)
    if not surname:
        return Speaker.objects.none()
    stem = surname[: max(4, len(surname) - 3)]
    return Speaker.objects.filter(aliases__key__contains=stem).distinct().prefetch_related("aliases")


def speaker_resolve(mention: SpeakerMention, organisation: Organisation | None = None) -> Speaker:
    """One Speaker per person across the corpus.

    An alias with the same key wins; otherwise a speaker whose name or alias can denote the
    same person (surname alike, given names alike or absent) is reused when exactly one
    fits, preferring one from the same organisation. A bare surname that fits several
    speakers, or a fit whose known organisation differs, starts a new speaker.
    """
    forms = [mention.name] + [a for a in mention.aliases if a != mention.name]
    keys = [name_key(f) for f in forms if name_key(f)]
    full_forms = [f for f in forms if len(name_parts(f)) >= 2]
    by_alias = (
        Speaker.objects.filter(aliases__key__in=[name_key(f) for f in full_forms] or keys[:1]).distinct()
    )
    matches = list(by_alias[:5])
    if len(matches) > 1 and organisation:
        same_org = [s for s in matches if s.organisation_id == organisation.pk]
        matches = same_org or matches
    speaker = matches[0] if matches else None
    if speaker is None:
        fits = []
        for cand in _speaker_candidates(mention.name):
            names = [cand.name] + [a.name for a in cand.aliases.all()]
            if any(same_person_name(mention.name, n) for n in names):
                fits.append(cand)
        if len(fits) > 1 and organisation:
            fits = [s for s in fits if s.organisation_id == organisation.pk] or fits
        if len(fits) == 1:
            cand = fits[0]
            conflicting_org = organisation and cand.organisation_id and cand.organisation_id != organisation.pk
            bare_surname = len(name_parts(mention.name)) == 1
            if not (conflicting_org and bare_surname):
                speaker = cand
    if speaker is None:
        speaker = Speaker.objects.create(name=mention.name[:200], gender=mention.gender or "")
    elif len(name_parts(mention.name)) > len(name_parts(speaker.name)):
        speaker.name = mention.name[:200]  # a fuller name replaces a bare surname
        speaker.save(update_fields=["name", "updated_at"])
    if mention.gender and not speaker.gender:
        speaker.gender = mention.gender
        speaker.save(update_fields=["gender", "updated_at"])
    existing = set(speaker.aliases.values_list("key", flat=True))
    for form in forms:
        key = name_key(form)
        if key and key not in existing:
            SpeakerAlias.objects.create(speaker=speaker, name=form[:200])
            existing.add(key)
    return speaker


def speaker_refresh_profile(speaker: Speaker) -> None:
    """Role and organisation on the speaker: the most frequent across articles, ties to the latest."""
    rows = list(
        speaker.appearances.select_related("article").order_by("article__published", "article_id")
    )
    roles = Counter(r.role for r in rows if r.role)
    orgs = Counter(r.organisation_id for r in rows if r.organisation_id)
    changed = []
    if roles:
        latest = {r.role: i for i, r in enumerate(rows) if r.role}
        role = max(roles, key=lambda k: (roles[k], latest[k]))
        if role != speaker.role:
            speaker.role, changed = role, changed + ["role"]
    if orgs:
        latest = {r.organisation_id: i for i, r in enumerate(rows) if r.organisation_id}
        org_id = max(orgs, key=lambda k: (orgs[k], latest[k]))
        if org_id != speaker.organisation_id:
            speaker.organisation_id, changed = org_id, changed + ["organisation"]
    if changed:
        speaker.save(update_fields=changed + ["updated_at"])


def _normalised_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def quote_link_statements(quote: Quote) -> None:
    """Join `quote` to the statement group of the same words reported in another article."""
    words = _normalised_words(quote.text)
    if len(words.split()) < 4:
        return
    others = Quote.objects.exclude(article_id=quote.article_id).select_related("statement_group")
    if quote.speaker_id:
        others = others.filter(speaker_id=quote.speaker_id)
    elif quote.organisation_id:
        others = others.filter(speaker__isnull=True, organisation_id=quote.organisation_id)
    else:
        return
    best, best_score = None, 0.0
    for other in others.only("id", "text", "statement_group_id")[:500]:
        other_words = _normalised_words(other.text)
        score = max(fuzz.ratio(words, other_words), fuzz.partial_ratio(words, other_words) if min(len(words), len(other_words)) > 40 else 0)
        if score > best_score:
            best, best_score = other, score
    if best is None or best_score < 88:
        return
    group_id = best.statement_group_id
    if group_id is None:
        group_id = StatementGroup.objects.create().pk
        Quote.objects.filter(pk=best.pk).update(statement_group_id=group_id)
    Quote.objects.filter(pk=quote.pk).update(statement_group_id=group_id)
    quote.statement_group_id = group_id


@dataclass
class IngestOutcome:
    status: str  # "new" | "unchanged"
    article: Article
    quotes: int = 0
    speakers: int = 0


def _store_quotes(article: Article, result: ExtractionResult, keep: list[Quote] | None = None) -> tuple[int, int]:
    """Write the extracted speakers and quotes of one article; quotes overlapping `keep` are skipped."""
    mentions = {m.name: m for m in result.speakers}
    speakers: dict[str, Speaker] = {}
    for mention in result.speakers:
        org = organisation_resolve(mention.organisation) if mention.organisation else None
        speaker = speaker_resolve(mention, org)
        speakers[mention.name] = speaker
        SpeakerAppearance.objects.update_or_create(
            speaker=speaker,
            article=article,
            defaults={"name_as_written": mention.name[:200], "role": mention.role[:200], "organisation": org},
        )
    kept_spans = [(q.start, q.end) for q in keep or []]
    orgs: dict[str, Organisation | None] = {}
    rows = []
    for q in result.quotes:
        if any(q.start < e and s < q.end for s, e in kept_spans):
            continue
        org_name = q.organisation or (mentions[q.speaker].organisation if q.speaker in mentions else "")
        if org_name and org_name not in orgs:
            orgs[org_name] = organisation_resolve(org_name)
        rows.append(
            Quote(
                article=article,
                text=q.text,
                kind=q.kind,
                speaker=speakers.get(q.speaker) if q.speaker else None,
                speaker_description=q.speaker_description[:300],
                organisation=orgs.get(org_name) if org_name else None,
                start=q.start,
                end=q.end,
                cue=q.cue[:200],
                method=q.method[:30],
                confidence=max(0.0, min(1.0, q.confidence)),
            )
        )
    created = Quote.objects.bulk_create(rows)
    if not all(q.pk for q in created):  # backends that do not return ids
        created = list(article.quotes.filter(start__in=[r.start for r in rows]))
    for quote in created:
        quote_link_statements(quote)
    for speaker in speakers.values():
        speaker_refresh_profile(speaker)
    return len(created), len(speakers)


def article_ingest(text: str, source_file: str = "", meta: dict | None = None, nlp=None, doc=None) -> IngestOutcome:
    """Clean, extract and store one article; an article already stored is left untouched."""
    parsed_meta, body = clean_article(text)
    if not body.strip():
        raise ValueError("no article text found")
    digest = content_hash(body)
    existing = Article.objects.filter(content_hash=digest).first()
    if existing:
        return IngestOutcome("unchanged", existing)
    for key, value in (meta or {}).items():
        if value:
            setattr(parsed_meta, key, value)
    result = extract_from_cleaned(body, parsed_meta, nlp=nlp, doc=doc)
    return article_store(result, digest, source_file)


def article_store(result: ExtractionResult, digest: str, source_file: str = "") -> IngestOutcome:
    meta: ArticleMeta = result.meta
    try:
        with transaction.atomic():
            article = Article.objects.create(
                title=(meta.title or source_file or "Untitled")[:500],
                outlet=meta.outlet[:200],
                byline=meta.byline[:300],
                published=meta.published,
                url=meta.url[:1000],
                body=result.body,
                content_hash=digest,
                source_file=source_file[:500],
            )
            n_quotes, n_speakers = _store_quotes(article, result)
    except IntegrityError:
        # Another process stored the same article first: that is the idempotent outcome.
        existing = Article.objects.filter(content_hash=digest).first()
        if existing is None:
            raise
        return IngestOutcome("unchanged", existing)
    return IngestOutcome("new", article, n_quotes, n_speakers)


def article_reextract(article: Article, nlp=None) -> tuple[int, int]:
    """Run the extractor again on a stored article, keeping every curator decision.

    Quotes a curator verified, rejected or edited stay exactly as they are; the other quotes
    are replaced by the new findings, which arrive unreviewed. Returns (kept, added).
    """
    result = extract_from_cleaned(
        article.body,
        ArticleMeta(article.title, article.outlet, article.byline, article.published, article.url),
        nlp=nlp,
    )
    with transaction.atomic():
        keep_q = Q(curated=True) | ~Q(status=Quote.Status.UNREVIEWED)
        article.quotes.exclude(keep_q).delete()
        kept = list(article.quotes.filter(keep_q))
        added, _ = _store_quotes(article, result, keep=kept)
    return len(kept), added


def quote_report_create(quote: Quote, note: str) -> "QuoteReport":
    """A reader's report on an attribution, queued for curators."""
    from quotes.models import QuoteReport

    return QuoteReport.objects.create(quote=quote, note=note.strip()[:2000])
