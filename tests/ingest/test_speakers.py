"""Speakers and organisations across articles: one Speaker per person, one Organisation per
body, and each speaker's profile summed up from its appearances."""
import pytest

from quotes.ingest import speakers as ingest_speakers
from quotes.extraction.types import SpeakerMention
from quotes.models import Organisation, Speaker

pytestmark = pytest.mark.django_db


def resolve(name, **kw):
    return ingest_speakers.speaker_resolve(SpeakerMention(name=name, **kw))


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
    dept = ingest_speakers.organisation_resolve("the State Department")
    assert ingest_speakers.organisation_resolve("US State Department") == dept
    assert ingest_speakers.organisation_resolve("State Department’s") == dept
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


def test_profiles_summed_by_the_database_pick_what_the_appearances_in_order_pick():
    """appearance_profiles (one GROUP BY over ROW_NUMBER) and the per-speaker reading of every
    appearance agree on role and organisation, including ties and articles without a date."""
    import datetime as dt
    import random

    from quotes.models import SpeakerAppearance
    from tests.factories import ArticleFactory, OrganisationFactory

    rng = random.Random(5)
    orgs = [OrganisationFactory() for _ in range(3)]
    speakers = [Speaker.objects.create(name=f"Ines Varga{i}") for i in range(12)]
    articles = [
        ArticleFactory(published=None if rng.random() < 0.3 else dt.date(2022, 1, rng.randint(1, 4)))
        for _ in range(30)
    ]
    for speaker in speakers:
        for article in rng.sample(articles, rng.randint(1, 12)):
            SpeakerAppearance.objects.create(
                speaker=speaker, article=article, name_as_written=speaker.name,
                role=rng.choice(["", "minister", "spokesperson", "envoy"]),
                organisation=rng.choice([None, *orgs]),
            )
    profiles = ingest_speakers.appearance_profiles([s.pk for s in speakers])
    for speaker in speakers:
        one_by_one, summed = Speaker.objects.get(pk=speaker.pk), Speaker.objects.get(pk=speaker.pk)
        ingest_speakers.speaker_refresh_profile(one_by_one)
        ingest_speakers.speaker_refresh_profile(summed, profiles[speaker.pk])
        assert (summed.role, summed.organisation_id) == (one_by_one.role, one_by_one.organisation_id)
        # the rule itself: most frequent, ties to the latest in (published, article id) order
        rows = list(speaker.appearances.order_by("article__published", "article_id").values_list("role", "organisation"))
        for column, value in ((0, summed.role), (1, summed.organisation_id)):
            given = [row[column] for row in rows if row[column]]
            if given:
                latest = {v: i for i, v in enumerate(row[column] for row in rows) if v}
                assert value == max(set(given), key=lambda v: (given.count(v), latest[v]))
