"""Curation services: merges move everything and leave redirects; re-extraction keeps decisions."""
import pytest
from django.contrib.auth.models import User


from quotes import curation
from quotes.ingest import speakers as ingest_speakers
from quotes.ingest import pipeline, store
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
)
from tests.factories import ArticleFactory, OrganisationFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

TEXT = """Union rejects pay offer

“We will not back down,” said Maria Costa, the union's spokeswoman.

“The offer is final,” said John Reed, a spokesman for the Ministry of Labour.

“We will meet again next week,” said Maria Costa.
"""


@pytest.fixture
def curator(db):
    return User.objects.create_user("cora", is_staff=True)


def test_speaker_merge_moves_quotes_aliases_appearances_and_redirects(curator):
    org = OrganisationFactory(name="Kremlin")
    keep = SpeakerFactory(name="Sergei Lavrov", role="")
    drop = SpeakerFactory(name="Sergey Lavrov", role="foreign minister", organisation=org, wikidata_id="Q52691")
    SpeakerAlias.objects.create(speaker=drop, name="Lavrov")
    SpeakerAlias.objects.create(speaker=keep, name="lavrov")  # same key: not duplicated
    shared, only_drop = ArticleFactory(), ArticleFactory()
    SpeakerAppearance.objects.create(speaker=keep, article=shared, name_as_written="Lavrov")
    SpeakerAppearance.objects.create(speaker=drop, article=shared, name_as_written="Sergey Lavrov")
    SpeakerAppearance.objects.create(speaker=drop, article=only_drop, name_as_written="Sergey Lavrov")
    quotes = QuoteFactory.create_batch(2, speaker=drop)
    verified = QuoteFactory(speaker=drop, status=Quote.Status.VERIFIED, curated=True)
    old = SpeakerFactory(name="S. Lavrov")
    SlugRedirect.objects.create(old_slug="s-lavrov-old", speaker=drop)  # an earlier merge into `drop`

    outcome = curation.speaker_merge(keep, others=[drop, keep], user=curator)

    assert (outcome.merged, outcome.quotes) == (1, 3)
    assert not Speaker.objects.filter(pk=drop.pk).exists()
    assert set(keep.quotes.values_list("pk", flat=True)) == {q.pk for q in quotes} | {verified.pk}
    assert sorted(keep.aliases.values_list("key", flat=True)) == ["lavrov", "sergei lavrov", "sergey lavrov"]
    assert set(keep.appearances.values_list("article_id", flat=True)) == {shared.pk, only_drop.pk}
    keep.refresh_from_db()
    assert (keep.role, keep.organisation, keep.wikidata_id) == ("foreign minister", org, "Q52691")
    assert SlugRedirect.objects.get(old_slug=drop.slug).speaker == keep
    assert SlugRedirect.objects.get(old_slug="s-lavrov-old").speaker == keep
    moved = Quote.objects.get(pk=quotes[0].pk)
    assert not moved.curated and moved.history.latest().history_user == curator
    assert Quote.objects.get(pk=verified.pk).status == Quote.Status.VERIFIED
    assert Speaker.history.filter(id=drop.pk, history_type="-").get().history_user == curator
    assert Speaker.objects.filter(pk=old.pk).exists()


def test_speaker_merge_is_all_or_nothing(monkeypatch):
    keep, drop = SpeakerFactory(), SpeakerFactory()
    QuoteFactory(speaker=drop)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SlugRedirect.objects, "create", boom)
    with pytest.raises(RuntimeError):
        curation.speaker_merge(keep, others=[drop])
    assert Speaker.objects.filter(pk=drop.pk).exists() and drop.quotes.count() == 1


def test_organisation_merge_moves_quotes_speakers_aliases_and_redirects(curator):
    keep = OrganisationFactory(name="NATO", kind=Organisation.Kind.OTHER)
    drop = OrganisationFactory(name="North Atlantic Treaty Organization", kind=Organisation.Kind.INTERNATIONAL)
    OrganisationAlias.objects.create(organisation=drop, name="the Alliance")
    speaker = SpeakerFactory(organisation=drop)
    appearance = SpeakerAppearance.objects.create(
        speaker=speaker, article=ArticleFactory(), name_as_written="x", organisation=drop
    )
    quote = QuoteFactory(organisation=drop)

    outcome = curation.organisation_merge(keep, others=[drop], user=curator)

    assert (outcome.merged, outcome.quotes, outcome.aliases) == (1, 1, 2)
    assert not Organisation.objects.filter(pk=drop.pk).exists()
    assert Quote.objects.get(pk=quote.pk).organisation == keep
    assert Speaker.objects.get(pk=speaker.pk).organisation == keep
    assert SpeakerAppearance.objects.get(pk=appearance.pk).organisation == keep
    assert set(keep.aliases.values_list("name", flat=True)) == {"the Alliance", "North Atlantic Treaty Organization"}
    keep.refresh_from_db()
    assert keep.kind == Organisation.Kind.INTERNATIONAL
    assert SlugRedirect.objects.get(old_slug=drop.slug).organisation == keep
    assert Speaker.objects.get(pk=speaker.pk).history.latest().history_user == curator


def test_reextract_keeps_every_curator_decision(nlp, curator):
    article = pipeline.article_ingest(pipeline.prepare(TEXT), nlp=nlp).article
    back_down = article.quotes.get(text__contains="We will not back down")
    final = article.quotes.get(text__contains="The offer is final")
    again = article.quotes.get(text__contains="We will meet again")
    someone = SpeakerFactory(name="Ana Lima")
    curation.quotes_verify([back_down], user=curator)
    curation.quotes_reject([final], user=curator, reason=Quote.RejectReason.NOT_A_QUOTE)
    curation.quotes_reassign([again], speaker=someone, user=curator)
    before = {q.pk: (q.text, q.speaker_id, q.status, q.reject_reason, q.curated, q.organisation_id)
              for q in article.quotes.all()}

    kept, found = store.article_reextract(article, nlp=nlp)

    assert kept == 3
    after = {q.pk: (q.text, q.speaker_id, q.status, q.reject_reason, q.curated, q.organisation_id)
             for q in article.quotes.filter(pk__in=before)}
    assert after == before
    # Nothing new overlaps a kept quote, so nothing is duplicated.
    assert article.quotes.filter(text__contains="We will not back down").count() == 1


def test_reextract_replaces_unreviewed_quotes_keeping_ids_and_reports(nlp):
    article = pipeline.article_ingest(pipeline.prepare(TEXT), nlp=nlp).article
    back_down = article.quotes.get(text__contains="We will not back down")
    final = article.quotes.get(text__contains="The offer is final")
    reported = article.quotes.get(text__contains="We will meet again")
    QuoteReport.objects.create(quote=reported, note="Who said this?")
    # An extractor finding the curator never looked at, now gone from the text's findings:
    stale = Quote.objects.create(article=article, text="Union", start=0, end=5, confidence=0.1)
    final.delete()  # a quote the old extractor missed

    kept, found = store.article_reextract(article, nlp=nlp)

    assert kept == 1  # the reported one
    assert Quote.objects.filter(pk=back_down.pk, status=Quote.Status.UNREVIEWED).exists()  # same row, same permalink
    assert Quote.objects.filter(pk=reported.pk).exists() and reported.reports.count() == 1
    assert not Quote.objects.filter(pk=stale.pk).exists()
    new = article.quotes.get(text__contains="The offer is final")
    assert new.status == Quote.Status.UNREVIEWED and not new.curated
    assert found >= 2


def test_quotes_curate_counts_only_real_changes(curator):
    a, b = QuoteFactory(), QuoteFactory(status=Quote.Status.VERIFIED)
    assert curation.quotes_verify([a, b], user=curator) == 1
    assert curation.quotes_verify([a, b], user=curator) == 0
    assert not Quote.objects.get(pk=b.pk).curated  # untouched rows are not marked
    assert Quote.objects.get(pk=a.pk).history.count() == 2  # created + verified


def test_reject_reason_follows_the_status():
    assert curation.quote_reject_reason(status=Quote.Status.REJECTED) == Quote.RejectReason.WRONG
    assert curation.quote_reject_reason(status=Quote.Status.REJECTED, reject_reason="not_quote") == "not_quote"
    assert curation.quote_reject_reason(status=Quote.Status.VERIFIED, reject_reason="wrong") == ""


def test_quote_save_by_curator_marks_curated_when_a_field_changed(curator):
    quote = QuoteFactory()
    quote.status = Quote.Status.REJECTED
    curation.quote_save_by_curator(quote, user=curator, form_changed=["status"])
    quote.refresh_from_db()
    assert (quote.reject_reason, quote.curated) == (Quote.RejectReason.WRONG, True)
    last = quote.history.latest()
    assert (last.history_user, last.history_change_reason) == (curator, "Edited: status")
    untouched = QuoteFactory()
    curation.quote_save_by_curator(untouched, user=curator, form_changed=[])
    assert not Quote.objects.get(pk=untouched.pk).curated


def test_speaker_save_by_curator_marks_curated_for_name_role_or_organisation(curator):
    speaker = SpeakerFactory(gender="")
    speaker.gender = "f"
    curation.speaker_save_by_curator(speaker, user=curator, form_changed=["gender"])
    assert not Speaker.objects.get(pk=speaker.pk).curated
    speaker.role = "press secretary"
    curation.speaker_save_by_curator(speaker, user=curator, form_changed=["role"])
    assert Speaker.objects.get(pk=speaker.pk).curated
    assert speaker.history.latest().history_user == curator


def test_reports_handle_and_reopen(curator):
    report = QuoteReport.objects.create(quote=QuoteFactory(), note="typo")
    assert curation.reports_handle([report], resolution=QuoteReport.Resolution.FIXED, user=curator) == 1
    report.refresh_from_db()
    assert report.handled_by == curator and report.handled_at and report.resolution == "fixed"
    assert curation.reports_handle([report], resolution="", user=curator) == 1
    report.refresh_from_db()
    assert report.handled_at is None and report.handled_by is None


def test_admin_paste_and_ingest_agree(nlp):
    """article_ingest with meta overrides what the cleaner guessed (used by the paste form)."""
    outcome = pipeline.article_ingest(pipeline.prepare(TEXT), meta={"title": "Pasted title", "outlet": "Example Post"}, nlp=nlp)
    assert (outcome.status, outcome.article.title, outcome.article.outlet) == ("new", "Pasted title", "Example Post")
    assert Article.objects.count() == 1


def test_ingest_does_not_overwrite_a_curated_speaker_profile():
    speaker = SpeakerFactory(name="Jen Psaki", role="press secretary", curated=True)
    SpeakerAppearance.objects.create(speaker=speaker, article=ArticleFactory(), name_as_written="Psaki", role="aide")
    ingest_speakers.speaker_refresh_profile(speaker)
    speaker.refresh_from_db()
    assert speaker.role == "press secretary"
    speaker.curated = False
    ingest_speakers.speaker_refresh_profile(speaker)
    assert Speaker.objects.get(pk=speaker.pk).role == "aide"
