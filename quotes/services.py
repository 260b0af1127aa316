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

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from quotes.extraction import ArticleMeta, ExtractionResult, SpeakerMention, extract_from_cleaned
from quotes.extraction.clean import clean_article
from quotes.extraction.statements import same_statement, statement_keys
from quotes.extraction.names import name_key, name_parts, same_person_name, surname_key
from quotes.models import (
    Article,
    Organisation,
    OrganisationAlias,
    Quote,
    QuoteReport,
    SlugRedirect,
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


# Key of the PostgreSQL advisory lock that serialises the write phase of concurrent ingests.
ENTITY_LOCK_KEY = 0x51_75_6F_74  # "Quot"


def lock_entity_writes() -> None:
    """Serialise speaker/organisation resolution across processes until this transaction ends.

    Speaker identity is fuzzy ("Sergei"/"Sergey", a bare surname), so no unique constraint can
    stop two ingests from each creating the same new person; holding one transaction-scoped
    advisory lock while an article's entities are resolved and stored does. Only the short
    write phase is serialised; parsing stays parallel. Taken before any insert, so it cannot
    deadlock with row locks. SQLite needs nothing: its write transactions are serial already
    (BEGIN IMMEDIATE).
    """
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ENTITY_LOCK_KEY])


def get_or_create_safely(model, defaults: dict | None = None, attempts: int = 3, absent: bool = False, **lookup):
    """`get_or_create` that survives a concurrent insert of the same row.

    The insert runs in a savepoint, so an IntegrityError from a unique constraint leaves the
    surrounding article transaction usable; the row the other process committed is then read.
    `absent=True` says the caller has just read that no such row exists, so the first read is
    skipped (a row inserted meanwhile still surfaces as the IntegrityError and is read then).
    Returns (object, created).
    """
    for attempt in range(attempts):
        obj = None if absent and attempt == 0 else model.objects.filter(**lookup).first()
        if obj is not None:
            return obj, False
        try:
            with transaction.atomic():
                return model.objects.create(**lookup, **(defaults or {})), True
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


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
    if alias is None and len(key.split()) >= 3:
        # "US State Department" is the "State Department" already known
        alias = OrganisationAlias.objects.filter(key=key.split(" ", 1)[1]).select_related("organisation").first()
    if alias:
        if alias.key != key:
            _organisation_alias_add(alias.organisation, name)
        return alias.organisation
    org = Organisation.objects.filter(name__iexact=name).first()
    if org is None:
        # a longer form known already ("US National Security Council" for "National Security Council")
        longer = OrganisationAlias.objects.filter(key__endswith=" " + key).select_related("organisation").first()
        org = longer.organisation if longer and len(key.split()) >= 2 else None
    if org is None:
        # Organisation.name is unique: a concurrent ingest creating it first is read back.
        org, _ = get_or_create_safely(
            Organisation, name=name[:200], defaults={"kind": guess_organisation_kind(name)}
        )
    return _organisation_alias_add(org, name)


def _organisation_alias_add(org: Organisation, name: str) -> Organisation:
    """Record `name` as an alias of `org`; an alias key is globally unique, so if another
    process gave that key to an organisation first, that organisation is the answer."""
    alias, _ = get_or_create_safely(
        OrganisationAlias, key=name_key(name), defaults={"organisation": org, "name": name[:200]}
    )
    return alias.organisation if alias.organisation_id != org.pk else org


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
    lookup = [name_key(f) for f in full_forms] or keys[:1]
    by_alias = Speaker.objects.filter(aliases__key__in=lookup).distinct()
    matches = list(by_alias[:5])
    if len(matches) > 1 and organisation:
        same_org = [s for s in matches if s.organisation_id == organisation.pk]
        matches = same_org or matches
    speaker = matches[0] if matches else None
    existing: set[str] | None = None  # the speaker's alias keys, when known without a query
    if speaker is not None and len(set(lookup)) == 1 and set(keys) <= set(lookup):
        existing = set(lookup)  # found by its only key, so it has every key of the mention
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
                existing = {a.key for a in cand.aliases.all()}  # prefetched just now
    if speaker is None:
        speaker, created = _speaker_create(mention)
        existing = set() if created else None
    elif not speaker.curated and len(name_parts(mention.name)) > len(name_parts(speaker.name)):
        speaker.name = mention.name[:200]  # a fuller name replaces a bare surname
        speaker.save(update_fields=["name", "updated_at"])
    if mention.gender and not speaker.gender:
        speaker.gender = mention.gender
        speaker.save(update_fields=["gender", "updated_at"])
    if existing is None:
        existing = set(speaker.aliases.values_list("key", flat=True))
    for form in forms:
        key = name_key(form)
        if key and key not in existing:
            get_or_create_safely(SpeakerAlias, speaker=speaker, key=key, defaults={"name": form[:200]}, absent=True)
            existing.add(key)
    return speaker


def _speaker_create(mention: SpeakerMention) -> tuple[Speaker, bool]:
    """A new Speaker. If another process committed the same person meanwhile (its slug is the
    one we wanted), that speaker is used; otherwise the next free slug is tried.
    Returns (speaker, created)."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                return Speaker.objects.create(name=mention.name[:200], gender=mention.gender or ""), True
        except IntegrityError:
            same = Speaker.objects.filter(aliases__key=name_key(mention.name)).order_by("pk").first()
            if same is not None:
                return same, False
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@dataclass
class ProfileCounts:
    """A speaker's appearances summed up: for each role and each organisation an article gave,
    (how many appearances gave it, position of the latest of them, oldest article first)."""

    roles: dict[str, tuple[int, int]]
    organisations: dict[int, tuple[int, int]]

    def add(self, role: str, org_id: int | None, count: int, latest: int) -> None:
        if role:
            n, last = self.roles.get(role, (0, latest))
            self.roles[role] = (n + count, max(last, latest))
        if org_id:
            n, last = self.organisations.get(org_id, (0, latest))
            self.organisations[org_id] = (n + count, max(last, latest))


def appearance_profiles(speaker_ids) -> dict[int, ProfileCounts]:
    """The ProfileCounts of several speakers in one query, summed up by the database: a
    speaker in thousands of articles costs one row per distinct role and organisation, not one
    per appearance. Positions are ROW_NUMBER in the order speaker_refresh_profile reads
    (article published, then article id; the database's own NULL order, as ORDER BY gives it)."""
    profiles = {pk: ProfileCounts({}, {}) for pk in speaker_ids}
    if not profiles:
        return profiles
    qn = connection.ops.quote_name
    sql = (
        "SELECT speaker_id, role, organisation_id, COUNT(*), MAX(seq) FROM ("
        " SELECT a.speaker_id, a.role, a.organisation_id, ROW_NUMBER() OVER ("
        "  PARTITION BY a.speaker_id ORDER BY r.published, a.article_id) AS seq"
        f" FROM {qn(SpeakerAppearance._meta.db_table)} a JOIN {qn(Article._meta.db_table)} r ON r.id = a.article_id"
        f" WHERE a.speaker_id IN ({', '.join(['%s'] * len(profiles))})"
        ") ordered GROUP BY speaker_id, role, organisation_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(profiles))
        for speaker_id, role, org_id, count, latest in cursor.fetchall():
            profiles[speaker_id].add(role, org_id, count, latest)
    return profiles


def speaker_refresh_profile(speaker: Speaker, profile: ProfileCounts | None = None) -> None:
    """Role and organisation on the speaker: the most frequent across articles, ties to the latest.

    A speaker a curator edited keeps what the curator set. `profile` is the speaker's entry
    of appearance_profiles when the caller has read it already.
    """
    if speaker.curated:
        return
    if profile is None:
        # Two columns per appearance, not the articles: a speaker in thousands of articles must
        # not load thousands of article bodies on every ingest.
        profile = ProfileCounts({}, {})
        rows = speaker.appearances.order_by("article__published", "article_id").values_list("role", "organisation_id")
        for position, (role, org_id) in enumerate(rows):
            profile.add(role, org_id, 1, position)
    changed = []
    if profile.roles:
        role = max(profile.roles, key=profile.roles.__getitem__)  # (count, latest)
        if role != speaker.role:
            speaker.role, changed = role, changed + ["role"]
    if profile.organisations:
        org_id = max(profile.organisations, key=profile.organisations.__getitem__)
        if org_id != speaker.organisation_id:
            speaker.organisation_id, changed = org_id, changed + ["organisation"]
    if changed:
        speaker.save(update_fields=changed + ["updated_at"])


LINK_KEY_PAGE = 20  # candidates read per key (same words, same opening words), oldest first
LINK_SPEAKER_PAGE = 200  # the speaker's most recent quotes compared fuzzily
LINK_KEYS_PER_STATEMENT = 100  # SQLite allows 500 terms in a compound SELECT
_LINK_FIELDS = ("id", "text", "speaker_id", "organisation_id", "statement_group_id")


class _LinkCandidate:
    """The columns of another article's quote that statement linking reads."""

    __slots__ = _LINK_FIELDS

    def __init__(self, id, text, speaker_id, organisation_id, statement_group_id):  # noqa: A002
        self.id, self.text, self.speaker_id = id, text, speaker_id
        self.organisation_id, self.statement_group_id = organisation_id, statement_group_id


class StatementLinker:
    """Statement linking for the quotes of one article.

    Cheapest evidence first: the same words (indexed key), then the same opening words of a
    long quote, then the speaker's recent quotes compared fuzzily. Each step reads a bounded
    page, so a speaker with thousands of quotes costs no more than one with ten. The first
    step's pages for all the article's quotes are read in one query (the first LINK_KEY_PAGE
    by id of each key, exactly the page a per-quote query reads); the other steps run per
    quote, only when needed. A candidate read twice is kept as one object, so a group given to
    it while linking one quote is seen when linking the next, as a fresh read would see it.
    """

    def __init__(self, article_id: int, quotes):
        self.others = Quote.objects.exclude(article_id=article_id)
        self.known: dict[int, _LinkCandidate] = {}
        self.exact: dict[str, list[_LinkCandidate]] = {}
        keys = sorted({q.text_key for q in quotes if q.text_key})
        for start in range(0, len(keys), LINK_KEYS_PER_STATEMENT):
            for key, *fields in sorted(self._exact_pages(keys[start:start + LINK_KEYS_PER_STATEMENT])):
                self.exact.setdefault(key, []).append(self._candidate(fields))

    def _exact_pages(self, keys: list[str]) -> list[tuple]:
        """(key, *_LINK_FIELDS) of the first LINK_KEY_PAGE candidates by id of each key, in one
        statement: the per-key page query (a bounded scan of the text_key index) once per key,
        joined by UNION ALL. A window function over the keys instead read every copy of a
        statement reported a hundred times, and a LIMIT inside a compound query needs the
        derived table on SQLite."""
        marker = "\x00text_key"
        page = self.others.filter(text_key=marker).order_by("id").values_list("text_key", *_LINK_FIELDS)
        sql, params = page[:LINK_KEY_PAGE].query.sql_with_params()
        union = " UNION ALL ".join(f"SELECT * FROM ({sql}) AS page{i}" for i in range(len(keys)))
        args = [key if param == marker else param for key in keys for param in params]
        with connection.cursor() as cursor:
            cursor.execute(union, args)
            return cursor.fetchall()

    def _candidate(self, fields) -> _LinkCandidate:
        known = self.known.get(fields[0])
        if known is None:
            known = self.known[fields[0]] = _LinkCandidate(*fields)
        return known

    def _page(self, queryset) -> list[_LinkCandidate]:
        return [self._candidate(fields) for fields in queryset.values_list(*_LINK_FIELDS)]

    def link(self, quote: Quote) -> bool:
        """Set `quote.statement_group_id` to the group of the same statement in another article
        (a new group when that quote had none). Writing the quote's own row is the caller's job."""
        if not quote.text_key:
            return False
        steps = [lambda: self.exact.get(quote.text_key, [])]
        if quote.lead_key:
            steps.append(lambda: self._page(self.others.filter(lead_key=quote.lead_key).order_by("id")[:LINK_KEY_PAGE]))
        if quote.speaker_id:
            steps.append(lambda: self._page(
                self.others.filter(speaker_id=quote.speaker_id).order_by("-id")[:LINK_SPEAKER_PAGE]))
        return any(_link_first_match(quote, step()) for step in steps)


def quote_link_statements(quote: Quote) -> None:
    """Join a stored `quote` to the statement group of the same words reported in another article."""
    if StatementLinker(quote.article_id, [quote]).link(quote):
        Quote.objects.filter(pk=quote.pk).update(statement_group_id=quote.statement_group_id)


def _link_first_match(quote: Quote, candidates) -> bool:
    for other in candidates:
        same_source = (quote.speaker_id and other.speaker_id == quote.speaker_id) or (
            not quote.speaker_id and not other.speaker_id and other.organisation_id == quote.organisation_id
        )
        if same_statement(quote.text, other.text, bool(same_source)):
            group_id = other.statement_group_id
            if group_id is None:
                group_id = StatementGroup.objects.create().pk
                Quote.objects.filter(pk=other.id).update(statement_group_id=group_id)
                other.statement_group_id = group_id
            quote.statement_group_id = group_id
            return True
    return False


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
    """
    reuse = {} if reuse is None else reuse
    mentions = {m.name: m for m in result.speakers}
    # Resolving a name gives it an alias, so resolving it again in this transaction returns the
    # same organisation and writes nothing: each name is resolved once per article.
    orgs: dict[str, Organisation | None] = {}

    def resolve_org(name: str) -> Organisation | None:
        if name not in orgs:
            orgs[name] = organisation_resolve(name)
        return orgs[name]

    speakers: dict[str, Speaker] = {}
    appearances: dict[int, dict] = {}  # speaker id -> fields; a later mention of the same speaker wins
    for mention in result.speakers:
        org = resolve_org(mention.organisation) if mention.organisation else None
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
    kept_spans = [(q.start, q.end) for q in keep or []]
    rows, updated = [], []
    now = timezone.now()
    for q in result.quotes:
        if any(q.start < e and s < q.end for s, e in kept_spans):
            continue
        text_key, lead_key = statement_keys(q.text)
        org_name = q.organisation or (mentions[q.speaker].organisation if q.speaker in mentions else "")
        row = reuse.pop((q.start, q.end), None) or Quote(article=article, start=q.start, end=q.end)
        row.text = q.text
        row.kind = q.kind
        row.speaker = speakers.get(q.speaker) if q.speaker else None
        row.speaker_description = q.speaker_description[:300]
        row.organisation = resolve_org(org_name) if org_name else None
        row.cue = q.cue[:200]
        row.method = q.method[:30]
        row.confidence = max(0.0, min(1.0, q.confidence))
        row.text_key, row.lead_key = text_key, lead_key
        row.updated_at = now
        (updated if row.pk else rows).append(row)
    # Linked before they are written: the candidates are other articles' quotes, so the result
    # is the same, and each quote's group goes in with its row instead of one UPDATE per quote.
    linker = StatementLinker(article.pk, updated + rows)
    for quote in updated + rows:
        linker.link(quote)
    if updated:
        Quote.objects.bulk_update(
            updated,
            ["text", "kind", "speaker", "speaker_description", "organisation", "cue", "method", "confidence",
             "text_key", "lead_key", "statement_group", "updated_at"],
        )
    created = Quote.objects.bulk_create(rows)
    if not all(q.pk for q in created):  # backends that do not return ids
        created = list(article.quotes.filter(start__in=[r.start for r in rows]))
    created = updated + created
    profiles = appearance_profiles({s.pk for s in speakers.values() if not s.curated})
    for speaker in speakers.values():
        speaker_refresh_profile(speaker, profiles.get(speaker.pk))
    return len(created), len(speakers)


def article_ingest(text: str, source_file: str = "", meta: dict | None = None, nlp=None, docs=None) -> IngestOutcome:
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
    result = extract_from_cleaned(body, parsed_meta, nlp=nlp, docs=docs)
    return article_store(result, digest, source_file)


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


# --- Curation -------------------------------------------------------------------------------
# Every curator write goes through here so that it marks the quote curated (re-extraction then
# leaves it alone) and leaves a history row with the curator and a reason.


def quotes_curate(quotes, user, reason: str, **changes) -> int:
    """Apply `changes` (field attnames) to each quote that differs; returns how many changed."""
    now = timezone.now()
    changed = []
    for quote in quotes:
        if all(getattr(quote, name) == value for name, value in changes.items()):
            continue
        for name, value in changes.items():
            setattr(quote, name, value)
        quote.curated = True
        quote.updated_at = now
        changed.append(quote)
    if changed:
        fields = [Quote._meta.get_field(name).name for name in changes] + ["curated", "updated_at"]
        bulk_update_with_history(
            changed, Quote, fields, default_user=user, default_change_reason=reason[:100]
        )
    return len(changed)


def quotes_verify(quotes, user) -> int:
    return quotes_curate(quotes, user, "Verified", status=Quote.Status.VERIFIED, reject_reason="")


def quotes_reject(quotes, user, reason: str = Quote.RejectReason.WRONG) -> int:
    label = Quote.RejectReason(reason).label
    return quotes_curate(quotes, user, f"Rejected: {label}", status=Quote.Status.REJECTED, reject_reason=reason)


def quotes_reassign(quotes, speaker: Speaker, user, with_organisation: bool = False) -> int:
    """Attribute `quotes` to `speaker`; optionally to the speaker's organisation too."""
    changes = {"speaker_id": speaker.pk}
    if with_organisation and speaker.organisation_id:
        changes["organisation_id"] = speaker.organisation_id
    return quotes_curate(quotes, user, f"Reassigned to {speaker.name}", **changes)


def quotes_set_organisation(quotes, organisation: Organisation | None, user) -> int:
    reason = f"Organisation set to {organisation.name}" if organisation else "Organisation cleared"
    return quotes_curate(quotes, user, reason, organisation_id=organisation.pk if organisation else None)


def reports_handle(reports, resolution: str, user) -> int:
    """Close reports with `resolution` (recording who and when), or reopen them with ''.

    Returns how many reports changed state.
    """
    changed = []
    now = timezone.now()
    for report in reports:
        if report.resolution == resolution and bool(report.handled_at) == bool(resolution):
            continue
        report.resolution = resolution
        report.handled_at = now if resolution else None
        report.handled_by = user if resolution else None
        changed.append(report)
    QuoteReport.objects.bulk_update(changed, ["resolution", "handled_at", "handled_by"])
    return len(changed)


@dataclass
class MergeOutcome:
    merged: int = 0
    quotes: int = 0
    aliases: int = 0


def _history_user(obj, user):
    if user is not None:
        obj._history_user = user
    return obj


def _move_aliases(alias_model, owner_field: str, survivor, loser, extra_names: list[str]) -> int:
    """Move the loser's aliases (and its names) to the survivor, dropping duplicate keys."""
    existing = set(alias_model.objects.filter(**{owner_field: survivor}).values_list("key", flat=True))
    moved = 0
    for alias in alias_model.objects.filter(**{owner_field: loser}):
        if alias.key in existing:
            alias.delete()
            continue
        setattr(alias, owner_field, survivor)
        alias.save()
        existing.add(alias.key)
        moved += 1
    for name in extra_names:
        key = name_key(name)
        if key and key not in existing:
            if alias_model is OrganisationAlias and OrganisationAlias.objects.filter(key=key).exists():
                continue  # organisation alias keys are globally unique; another organisation has it
            alias_model.objects.create(**{owner_field: survivor, "name": name[:200]})
            existing.add(key)
            moved += 1
    return moved


def _move_quotes(quotes, user, reason: str, **changes) -> int:
    """Repoint quotes at a merge survivor with history, without marking them curated.

    The aliases move too, so a later extraction resolves to the survivor by itself; marking
    merged quotes curated would freeze them against better extraction for no gain.
    """
    quotes = list(quotes)
    now = timezone.now()
    for quote in quotes:
        for name, value in changes.items():
            setattr(quote, name, value)
        quote.updated_at = now
    if quotes:
        fields = [Quote._meta.get_field(name).name for name in changes] + ["updated_at"]
        bulk_update_with_history(quotes, Quote, fields, default_user=user, default_change_reason=reason[:100])
    return len(quotes)


def _retire_into(loser, survivor, field: str, user, reason: str) -> None:
    """Point the loser's old slug (and redirects to it) at the survivor, then delete the loser."""
    SlugRedirect.objects.filter(**{field: loser}).update(**{field: survivor})
    SlugRedirect.objects.filter(**{f"{field}__isnull": False, "old_slug": loser.slug}).delete()
    SlugRedirect.objects.create(old_slug=loser.slug, **{field: survivor})
    _history_user(loser, user)._change_reason = reason[:100]
    loser.delete()


def _merge_finished(survivor, outcome: MergeOutcome, user, noun: str) -> MergeOutcome:
    """Save the survivor once, its history noting how many rows were merged into it."""
    if outcome.merged:
        _history_user(survivor, user)._change_reason = f"Merged {outcome.merged} {noun}(s) in"
        survivor.save()
    return outcome


@transaction.atomic
def speaker_merge(survivor: Speaker, others, user=None) -> MergeOutcome:
    """Fold `others` into `survivor`: quotes, aliases, appearances and profile move over, and
    each old slug redirects to the survivor's page. All or nothing."""
    outcome = MergeOutcome()
    survivor = Speaker.objects.select_for_update().get(pk=survivor.pk)
    for loser in Speaker.objects.select_for_update().filter(pk__in=[o.pk for o in others]).exclude(pk=survivor.pk):
        reason = f"Merged {loser.name} into {survivor.name}"
        outcome.quotes += _move_quotes(loser.quotes.all(), user, reason, speaker_id=survivor.pk)
        outcome.aliases += _move_aliases(SpeakerAlias, "speaker", survivor, loser, [loser.name])
        taken = set(survivor.appearances.values_list("article_id", flat=True))
        loser.appearances.filter(article_id__in=taken).delete()
        loser.appearances.update(speaker=survivor)
        for field in ("role", "gender", "wikidata_id"):
            if not getattr(survivor, field) and getattr(loser, field):
                setattr(survivor, field, getattr(loser, field))
        if survivor.organisation_id is None:
            survivor.organisation_id = loser.organisation_id
        _retire_into(loser, survivor, "speaker", user, reason)
        outcome.merged += 1
    return _merge_finished(survivor, outcome, user, "speaker")


@transaction.atomic
def organisation_merge(survivor: Organisation, others, user=None) -> MergeOutcome:
    """Fold `others` into `survivor`: quotes, speakers, appearances and aliases move over, and
    each old slug redirects to the survivor's page. All or nothing."""
    outcome = MergeOutcome()
    survivor = Organisation.objects.select_for_update().get(pk=survivor.pk)
    for loser in (
        Organisation.objects.select_for_update().filter(pk__in=[o.pk for o in others]).exclude(pk=survivor.pk)
    ):
        reason = f"Merged {loser.name} into {survivor.name}"
        outcome.quotes += _move_quotes(loser.quotes.all(), user, reason, organisation_id=survivor.pk)
        outcome.aliases += _move_aliases(OrganisationAlias, "organisation", survivor, loser, [loser.name])
        for speaker in loser.speakers.all():
            speaker.organisation = survivor
            _history_user(speaker, user)._change_reason = reason[:100]
            speaker.save(update_fields=["organisation", "updated_at"])
        SpeakerAppearance.objects.filter(organisation=loser).update(organisation=survivor)
        if survivor.kind == Organisation.Kind.OTHER:
            survivor.kind = loser.kind
        survivor.wikidata_id = survivor.wikidata_id or loser.wikidata_id
        _retire_into(loser, survivor, "organisation", user, reason)
        outcome.merged += 1
    return _merge_finished(survivor, outcome, user, "organisation")


def quote_report_create(quote: Quote, note: str) -> "QuoteReport":
    """A reader's report on an attribution, queued for curators."""
    from quotes.models import QuoteReport

    return QuoteReport.objects.create(quote=quote, note=note.strip()[:2000])


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
        _organisation_alias_add(org, name)
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
    import datetime as dt

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
            text_key, lead_key = statement_keys(q["quote"])
            rows.append(Quote(
                article=article, text=q["quote"], kind=q.get("kind") or Quote.Kind.FULL,
                speaker=by_slug(Speaker, q.get("speaker_slug")), speaker_description=q.get("speaker_description") or "",
                organisation=by_slug(Organisation, q.get("organisation_slug")), start=q["start"], end=q["end"],
                cue=q.get("cue") or "", method=q.get("method") or "", confidence=float(q.get("confidence") or 0),
                status=q.get("status") or Quote.Status.UNREVIEWED, reject_reason=q.get("reject_reason") or "",
                curated=bool(q.get("curated")), statement_group_id=group_id, text_key=text_key, lead_key=lead_key,
            ))
        Quote.objects.bulk_create(rows)
    return IngestOutcome("new", article, len(rows))
