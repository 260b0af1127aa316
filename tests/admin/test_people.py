"""Speakers and organisations: counts, merging, and curator edits kept with history."""
import pytest
from django.urls import reverse

from quotes.models import OrganisationAlias, Quote, SlugRedirect, Speaker, SpeakerAlias
from tests.admin.helpers import listed, listed_objs, messages_of, run_action
from tests.factories import OrganisationFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def test_speaker_list_counts_quotes_without_n_plus_one(cclient):
    busy = SpeakerFactory(name="Busy Speaker")
    SpeakerAlias.objects.create(speaker=busy, name="B. Speaker")
    QuoteFactory.create_batch(3, speaker=busy)
    QuoteFactory(speaker=busy, status=Quote.Status.VERIFIED)
    resp = cclient.get(reverse("admin:quotes_speaker_changelist"), {"q": "Speaker"})
    row = next(s for s in resp.context["cl"].result_list if s.pk == busy.pk)
    assert (row.quote_count, row.verified_count) == (4, 1)


def test_speaker_merge_action(cclient):
    keep = SpeakerFactory(name="Sergei Lavrov")
    drop = SpeakerFactory(name="Sergey Lavrov", role="foreign minister")
    QuoteFactory.create_batch(2, speaker=drop)
    page = run_action(cclient, "merge", [keep, drop], url_name="admin:quotes_speaker_changelist")
    assert "Merge speakers" in page.content.decode()
    resp = run_action(
        cclient, "merge", [keep, drop], url_name="admin:quotes_speaker_changelist", apply="1", survivor=keep.pk
    )
    assert "Merged 1 speaker into Sergei Lavrov: 2 quotes and 1 alias moved." in messages_of(resp)
    assert not Speaker.objects.filter(pk=drop.pk).exists()
    assert keep.quotes.count() == 2 and keep.aliases.filter(name="Sergey Lavrov").exists()
    assert SlugRedirect.objects.get(old_slug=drop.slug).speaker == keep


def test_merge_needs_two_rows(cclient):
    only = SpeakerFactory()
    resp = run_action(cclient, "merge", [only], url_name="admin:quotes_speaker_changelist", apply="1", survivor=only.pk)
    assert "Select at least two rows to merge." in resp.content.decode()


def test_organisation_merge_action(cclient):
    keep, drop = OrganisationFactory(name="NATO"), OrganisationFactory(name="North Atlantic Treaty Organization")
    QuoteFactory(organisation=drop)
    SpeakerFactory(organisation=drop)
    resp = run_action(
        cclient, "merge", [keep, drop], url_name="admin:quotes_organisation_changelist", apply="1", survivor=keep.pk
    )
    assert "Merged 1 organisation into NATO: 1 quote and 1 alias moved." in messages_of(resp)
    assert keep.quotes.count() == 1 and keep.speakers.count() == 1
    assert SlugRedirect.objects.get(old_slug=drop.slug).organisation == keep
    row = next(
        o for o in listed_objs(cclient, "admin:quotes_organisation_changelist") if o.pk == keep.pk
    )
    assert (row.quote_count, row.speaker_count) == (1, 1)


def test_editing_a_speaker_role_is_kept_with_history(cclient, curator):
    speaker = SpeakerFactory(name="Jen Psaki", role="spokesperson")
    url = reverse("admin:quotes_speaker_change", args=[speaker.pk])
    management = {
        f"{prefix}-{key}": value
        for prefix in ("aliases", "appearances")
        for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}.items()
    }
    data = {"name": "Jen Psaki", "role": "White House press secretary", "organisation": "", "gender": "f",
            "wikidata_id": "", **management}
    resp = cclient.post(url, data)
    assert resp.status_code == 302, resp.context["adminform"].form.errors
    speaker.refresh_from_db()
    assert speaker.curated and speaker.role == "White House press secretary"
    assert speaker.history.latest().history_user == curator
    assert "<ins>White House press secretary</ins>" in cclient.get(url).content.decode()


def test_speaker_search_finds_spelling_variants_and_roles(cclient):
    peskov = SpeakerFactory(name="Dmitry Peskov", role="Kremlin spokesman")
    SpeakerFactory(name="Maria Costa", role="union spokeswoman")
    assert listed(cclient, "admin:quotes_speaker_changelist", q="Peskow") == [peskov.pk]
    assert listed(cclient, "admin:quotes_speaker_changelist", q="Kremlin") == [peskov.pk]
    assert len(listed(cclient, "admin:quotes_speaker_changelist", q="spokes")) == 2


def test_organisation_search_folds_accents_through_alias_keys(cclient):
    elysee = OrganisationFactory(name="Élysée Palace")
    OrganisationAlias.objects.create(organisation=elysee, name="Élysée")
    OrganisationFactory(name="Kremlin")
    assert listed(cclient, "admin:quotes_organisation_changelist", q="elysee") == [elysee.pk]
    assert listed(cclient, "admin:quotes_organisation_changelist", q="Palace") == [elysee.pk]
