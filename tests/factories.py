import datetime as dt

import factory

from quotes.ingest.statements import quote_set_keys
from quotes.models import Article, Organisation, Quote, Speaker, SpeakerAlias


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Ministry of Examples {n}")
    kind = Organisation.Kind.GOVERNMENT


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Alex Example{n}")
    role = "spokesperson"

    @factory.post_generation
    def alias(obj, create, extracted, **kwargs):
        if create:
            SpeakerAlias.objects.get_or_create(speaker=obj, name=obj.name)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Talks resume in Geneva, day {n}")
    outlet = "Example News"
    published = dt.date(2022, 1, 10)
    url = factory.Sequence(lambda n: f"https://news.example/{n}")
    body = factory.Sequence(lambda n: f"“We are ready to talk,” the minister said on day {n}.")
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    source_file = factory.Sequence(lambda n: f"{n}.txt")


class QuoteFactory(factory.django.DjangoModelFactory):
    """A stored quote with its statement keys, as every writer stores one."""

    class Meta:
        model = Quote

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        quote = quote_set_keys(model_class(*args, **kwargs))
        quote.save()
        return quote

    article = factory.SubFactory(ArticleFactory)
    text = "We are ready to talk,"
    speaker = factory.SubFactory(SpeakerFactory)
    start = 1
    end = 22
    cue = "said"
    method = "explicit"
    confidence = 0.9
