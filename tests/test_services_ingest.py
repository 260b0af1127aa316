"""Speakers, organisations and statements across articles."""
import pytest

from quotes import services
from quotes.extraction.types import SpeakerMention
from quotes.models import Organisation, Quote, Speaker

pytestmark = pytest.mark.django_db


def resolve(name, **kw):
    return services.speaker_resolve(SpeakerMention(name=name, **kw))


def test_transliterations_are_one_speaker():
    first = resolve("Sergei Lavrenko")
    assert resolve("Sergey Lavrenko") == first
    assert resolve("Lavrenko") == first
    assert set(first.aliases.values_list("name", flat=True)) == {"Sergei Lavrenko", "Sergey Lavrenko", "Lavrenko"}


def test_surname_spelling_variants_are_one_speaker():
    first = resolve("Oleksandr Kovalenkyy")
    assert resolve("Oleksandr Kovalenky") == first
    assert resolve("Oleksandr Kovalenkiy") == first


def test_people_sharing_a_surname_stay_apart():
    anna = resolve("Anna Berg")
    assert resolve("Thomas Berg") != anna
    assert Speaker.objects.count() == 2


def test_bare_surname_matching_two_people_starts_no_merge():
    resolve("Anna Berg")
    resolve("Thomas Berg")
    bare = resolve("Berg")
    assert bare.name == "Berg"
    assert Speaker.objects.filter(name__endswith="Berg").count() == 3


def test_fuller_name_replaces_a_bare_surname():
    bare = resolve("Okonkwo")
    assert resolve("Chidi Okonkwo") == bare
    bare.refresh_from_db()
    assert bare.name == "Chidi Okonkwo"


def test_organisation_aliases_with_country_prefix():
    dept = services.organisation_resolve("the State Department")
    assert services.organisation_resolve("US State Department") == dept
    assert services.organisation_resolve("State Department’s") == dept
    assert Organisation.objects.count() == 1


def test_seed_speakers_and_organisations(seeded_db):
    people = {s.name: s for s in Speaker.objects.select_related("organisation")}
    for name in ["Dmitry Peskov", "Jen Psaki", "Yuri Ushakov", "Dmitry Polyanskiy", "Peter Dickinson"]:
        assert name in people and people[name].quotes.exists(), name
    lavrov = [s for s in people.values() if s.name.endswith("Lavrov")]
    assert len(lavrov) == 1
    assert {"Sergei Lavrov", "Sergey Lavrov"} <= set(lavrov[0].aliases.values_list("name", flat=True))
    assert lavrov[0].quotes.values("article").distinct().count() == 3
    assert people["Peter Dickinson"].organisation.name == "Atlantic Council"
    assert people["Dmitry Peskov"].organisation.name == "Kremlin"
    assert people["Yuri Ushakov"].organisation.name == "Kremlin"
    assert people["Jen Psaki"].organisation.name == "White House"
    assert people["Dmitry Peskov"].role == "Kremlin spokesman"


def test_same_statement_in_two_outlets_shares_a_group(seeded_db):
    price = Speaker.objects.get(name="Ned Price")
    grouped = price.quotes.filter(text__startswith="The two discussed")
    assert grouped.count() == 2
    assert grouped.values("statement_group").distinct().count() == 1
    assert grouped.first().statement_group_id is not None
