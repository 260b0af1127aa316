"""Every curator write: verify, reject, reassign, set an organisation, save an edited quote or
speaker, handle reader reports, merge speakers and organisations. Each marks what it touched
and leaves a history row with the curator and a reason. Functions are named <entity>_<action>
and take everything after the entity as keyword arguments."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from quotes.extraction.names import name_key
from quotes.models import (
    Organisation,
    OrganisationAlias,
    Quote,
    QuoteReport,
    SlugRedirect,
    Speaker,
    SpeakerAlias,
    SpeakerAppearance,
)


# --- Curation -------------------------------------------------------------------------------
# Every curator write goes through here so that it marks the quote curated (re-extraction then
# leaves it alone) and leaves a history row with the curator and a reason.


def quote_reject_reason(*, status: str, reject_reason: str = "") -> str:
    """The reject_reason that goes with `status`: a rejected quote keeps its reason (“wrong
    attribution” when none is given); any other status has none."""
    if status != Quote.Status.REJECTED:
        return ""
    return reject_reason or Quote.RejectReason.WRONG


def quote_save_by_curator(quote: Quote, *, user, form_changed: list[str], reason: str = "Edited") -> Quote:
    """Save a quote a curator edited on a page. Any changed field marks it curated (so
    re-extraction leaves it alone) and names the fields in the history reason; the
    reject_reason is made to agree with the status."""
    quote.reject_reason = quote_reject_reason(status=quote.status, reject_reason=quote.reject_reason)
    if form_changed:
        quote.curated = True
        quote._change_reason = f"{reason}: " + ", ".join(form_changed)
    _history_user(quote, user).save()
    return quote


def speaker_save_by_curator(speaker: Speaker, *, user, form_changed: list[str]) -> Speaker:
    """Save a speaker a curator edited: a curator's name, role or organisation wins over what
    later articles say (ingest then leaves the profile alone)."""
    if {"name", "role", "organisation"} & set(form_changed):
        speaker.curated = True
    _history_user(speaker, user).save()
    return speaker


def quotes_curate(quotes, *, user, reason: str, **changes) -> int:
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


def quotes_verify(quotes, *, user) -> int:
    status = Quote.Status.VERIFIED
    return quotes_curate(
        quotes, user=user, reason="Verified", status=status, reject_reason=quote_reject_reason(status=status)
    )


def quotes_reject(quotes, *, user, reason: str = Quote.RejectReason.WRONG) -> int:
    status = Quote.Status.REJECTED
    reason = quote_reject_reason(status=status, reject_reason=reason)
    label = Quote.RejectReason(reason).label
    return quotes_curate(quotes, user=user, reason=f"Rejected: {label}", status=status, reject_reason=reason)


def quotes_reassign(quotes, *, speaker: Speaker, user, with_organisation: bool = False) -> int:
    """Attribute `quotes` to `speaker`; optionally to the speaker's organisation too."""
    changes = {"speaker_id": speaker.pk}
    if with_organisation and speaker.organisation_id:
        changes["organisation_id"] = speaker.organisation_id
    return quotes_curate(quotes, user=user, reason=f"Reassigned to {speaker.name}", **changes)


def quotes_set_organisation(quotes, *, organisation: Organisation | None, user) -> int:
    reason = f"Organisation set to {organisation.name}" if organisation else "Organisation cleared"
    return quotes_curate(quotes, user=user, reason=reason, organisation_id=organisation.pk if organisation else None)


def reports_handle(reports, *, resolution: str, user) -> int:
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


def report_handle_by_curator(report: QuoteReport, *, user) -> int:
    """A report whose resolution a curator chose on a page: re-read as stored (the page's
    object already carries the new resolution), then handled like the queue's actions."""
    return reports_handle([QuoteReport.objects.get(pk=report.pk)], resolution=report.resolution, user=user)


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
def speaker_merge(survivor: Speaker, *, others, user=None) -> MergeOutcome:
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
def organisation_merge(survivor: Organisation, *, others, user=None) -> MergeOutcome:
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


def quote_report_create(quote: Quote, *, note: str) -> QuoteReport:
    """A reader's report on an attribution, queued for curators."""
    return QuoteReport.objects.create(quote=quote, note=note.strip()[:2000])


