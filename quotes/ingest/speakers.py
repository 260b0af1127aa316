"""Who spoke: one Speaker per person and one Organisation per body across the corpus, and
each speaker's role and organisation summed up from the articles that name them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from django.db import IntegrityError, connection, transaction

from quotes.extraction import SpeakerMention
from quotes.extraction.names import name_key, name_parts, same_person_name, surname_key
from quotes.extraction.organisations import clean_org_name_for_ingest, organisation_kind
from quotes.models import (
    Article,
    Organisation,
    OrganisationAlias,
    Speaker,
    SpeakerAlias,
    SpeakerAppearance,
)
from quotes.ingest.concurrency import get_or_create_safely


def organisation_resolve(name: str) -> Organisation | None:
    """The Organisation called `name` (or one of its aliases), created when new."""
    name = clean_org_name_for_ingest(name or "")
    key = name_key(name)
    if not key:
        return None
    alias = OrganisationAlias.objects.filter(key=key).select_related("organisation").first()
    if alias is None and len(key.split()) >= 3:
        # "US State Department" is the "State Department" already known
        alias = OrganisationAlias.objects.filter(key=key.split(" ", 1)[1]).select_related("organisation").first()
    if alias:
        if alias.key != key:
            organisation_alias_add(alias.organisation, name)
        return alias.organisation
    org = Organisation.objects.filter(name__iexact=name).first()
    if org is None:
        # a longer form known already ("US National Security Council" for "National Security Council")
        longer = OrganisationAlias.objects.filter(key__endswith=" " + key).select_related("organisation").first()
        org = longer.organisation if longer and len(key.split()) >= 2 else None
    if org is None:
        # Organisation.name is unique: a concurrent ingest creating it first is read back.
        org, _ = get_or_create_safely(
            Organisation, name=name[:200], defaults={"kind": organisation_kind(name)}
        )
    return organisation_alias_add(org, name)


def organisation_alias_add(org: Organisation, name: str) -> Organisation:
    """Record `name` as an alias of `org`; an alias key is globally unique, so if another
    process gave that key to an organisation first, that organisation is the answer."""
    alias, _ = get_or_create_safely(
        OrganisationAlias, key=name_key(name), defaults={"organisation": org, "name": name[:200]}
    )
    return alias.organisation if alias.organisation_id != org.pk else org


@dataclass(frozen=True)
class KnownSpeaker:
    """A stored speaker as the same-person rule sees it: plain data, no database."""

    id: int
    name: str
    organisation_id: int | None = None
    curated: bool = False
    aliases: tuple[str, ...] = ()  # its other names, where the name rule needs them


@dataclass(frozen=True)
class SamePerson:
    """The same-person rule's answer for one mention."""

    speaker_id: int | None  # None: no known speaker is this person; a new one is created
    by_key: bool = False  # found by an alias key rather than by comparing names
    rename: bool = False  # the mention's fuller name replaces the speaker's name


def mention_lookup_keys(forms: list[str]) -> list[str]:
    """The alias keys a mention is looked up by: those of its full names (given name and
    surname), else the key of its first form."""
    keys = [name_key(f) for f in forms if name_key(f)]
    return [name_key(f) for f in forms if len(name_parts(f)) >= 2] or keys[:1]


def same_person(
    name: str, organisation_id: int | None, by_key: list[KnownSpeaker], similar: Iterable[KnownSpeaker]
) -> SamePerson:
    """Which known speaker, if any, the person written `name` (of `organisation_id`) is.

    `by_key`: the speakers holding one of the mention's lookup keys as an alias (at most a few,
    in the database's order): the first is the person, one of the same organisation preferred.
    `similar`: speakers whose aliases share the surname's stem, read only when `by_key` is
    empty: one whose name or an alias can denote the same person (surname alike, given names
    alike or absent) is the person when exactly one fits, preferring the same organisation
    among several. A bare surname that fits several speakers, or whose only fit belongs to
    another organisation, is a new person. A fuller name (more name parts) replaces the name
    of the chosen speaker unless a curator edited that speaker.
    """
    chosen = None
    if by_key:
        chosen = _prefer_organisation(by_key, organisation_id)[0]
    else:
        fits = [s for s in similar if any(same_person_name(name, n) for n in (s.name, *s.aliases))]
        fits = _prefer_organisation(fits, organisation_id)
        if len(fits) == 1:
            fit = fits[0]
            conflicting_org = organisation_id and fit.organisation_id and fit.organisation_id != organisation_id
            bare_surname = len(name_parts(name)) == 1
            chosen = None if conflicting_org and bare_surname else fit
    if chosen is None:
        return SamePerson(None)
    rename = not chosen.curated and len(name_parts(name)) > len(name_parts(chosen.name))
    return SamePerson(chosen.id, by_key=bool(by_key), rename=rename)


def _prefer_organisation(speakers: list[KnownSpeaker], organisation_id: int | None) -> list[KnownSpeaker]:
    if len(speakers) > 1 and organisation_id:
        return [s for s in speakers if s.organisation_id == organisation_id] or speakers
    return speakers


def _known(speaker: Speaker, loaded: dict[int, Speaker], aliases: tuple[str, ...] = ()) -> KnownSpeaker:
    loaded[speaker.pk] = speaker
    return KnownSpeaker(speaker.pk, speaker.name, speaker.organisation_id, speaker.curated, aliases)


def _similar_speakers(name: str, loaded: dict[int, Speaker]) -> Iterator[KnownSpeaker]:
    """Speakers with an alias containing the stem of `name`'s surname (queried on first use)."""
    surname = surname_key(name)
    if not surname:
        return
    stem = surname[: max(4, len(surname) - 3)]
    for speaker in Speaker.objects.filter(aliases__key__contains=stem).distinct().prefetch_related("aliases"):
        yield _known(speaker, loaded, tuple(a.name for a in speaker.aliases.all()))


def speaker_resolve(mention: SpeakerMention, organisation: Organisation | None = None) -> Speaker:
    """One Speaker per person across the corpus: `same_person` decides on what is read here;
    the speaker is created, renamed or given the mention's gender and names as it says."""
    forms = [mention.name] + [a for a in mention.aliases if a != mention.name]
    keys = [name_key(f) for f in forms if name_key(f)]
    lookup = mention_lookup_keys(forms)
    loaded: dict[int, Speaker] = {}
    by_key = [_known(s, loaded) for s in Speaker.objects.filter(aliases__key__in=lookup).distinct()[:5]]
    org_id = organisation.pk if organisation else None
    choice = same_person(mention.name, org_id, by_key, _similar_speakers(mention.name, loaded))
    existing: set[str] | None = None  # the speaker's alias keys, when known without a query
    if choice.speaker_id is None:
        speaker, created = _speaker_create(mention)
        existing = set() if created else None
    else:
        speaker = loaded[choice.speaker_id]
        if not choice.by_key:
            existing = {a.key for a in speaker.aliases.all()}  # prefetched with the candidates
        elif len(set(lookup)) == 1 and set(keys) <= set(lookup):
            existing = set(lookup)  # found by its only key, so it has every key of the mention
        if choice.rename:
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


