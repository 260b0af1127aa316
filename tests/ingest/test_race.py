"""Entity creation that loses an insert race reads the winner's row and keeps going."""
import pytest
from django.db import IntegrityError, transaction


from quotes.ingest import concurrency
from quotes.ingest import speakers as ingest_speakers
from quotes.models import Organisation, OrganisationAlias
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def lose_the_race_once(monkeypatch, model):
    """The first lookup misses, as if another process committed the row just after it."""
    real_filter = model.objects.filter
    calls = []

    def filter_missing_once(*args, **kwargs):
        qs = real_filter(*args, **kwargs)
        if "name" not in kwargs:  # e.g. the slug check
            return qs
        calls.append(kwargs)
        return qs.none() if len(calls) == 1 else qs

    monkeypatch.setattr(model.objects, "filter", filter_missing_once)
    return calls


def test_organisation_created_meanwhile_is_read_back_and_the_transaction_goes_on(monkeypatch):
    kremlin = OrganisationFactory(name="Kremlin")
    calls = lose_the_race_once(monkeypatch, Organisation)
    with transaction.atomic():
        org, created = concurrency.get_or_create_safely(Organisation, name="Kremlin", defaults={"kind": "government"})
        assert (org, created) == (kremlin, False)
        assert len(calls) == 2  # looked up, lost the insert, looked up again
        assert Organisation.objects.count() == 1  # the article transaction is still usable


def test_organisation_alias_keys_are_unique_across_organisations():
    nato = ingest_speakers.organisation_resolve("NATO")
    OrganisationFactory(name="North Atlantic Treaty Organization")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationAlias.objects.create(organisation=Organisation.objects.exclude(pk=nato.pk).get(), name="Nato")
    assert ingest_speakers.organisation_resolve("nato") == nato


def test_admin_form_says_when_an_alias_belongs_to_another_organisation():
    from django.core.exceptions import ValidationError

    ingest_speakers.organisation_resolve("NATO")
    other = OrganisationFactory(name="Alliance")
    with pytest.raises(ValidationError, match="already an alias of NATO"):
        OrganisationAlias(organisation=other, name="Nato").full_clean()
