"""The short page cache of production (quotes/caching.py): anonymous reads are shared, nothing
personal ever is. Off in tests by default; these turn it on."""
import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import QuoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


def test_anonymous_pages_and_api_reads_are_served_from_the_cache(client):
    QuoteFactory(text="first words")
    for url in ["/quotes/", "/api/quotes/"]:
        assert b"first words" in client.get(url).content
    QuoteFactory(text="later words", start=40, end=50)
    for url in ["/quotes/", "/api/quotes/"]:
        assert b"later words" not in client.get(url).content, url
    assert b"later words" in client.get("/quotes/?sort=newest").content  # another URL, another page


def test_a_reader_with_a_session_never_gets_or_fills_the_cache(client):
    QuoteFactory(text="first words")
    client.get("/quotes/")
    QuoteFactory(text="later words", start=40, end=50)
    client.cookies["sessionid"] = "x"
    assert b"later words" in client.get("/quotes/").content


def test_the_thank_you_message_is_shown_to_the_reporter_only():
    quote = QuoteFactory()
    reader, reporter = Client(), Client()
    assert reader.get(quote.get_absolute_url()).status_code == 200  # now cached for everyone
    response = reporter.post(reverse("quote-report", args=[quote.pk]), {"note": "The speaker is wrong."}, follow=True)
    assert b"Thank you" in response.content
    assert b"Thank you" not in reader.get(quote.get_absolute_url()).content
    assert b"Thank you" not in Client().get(quote.get_absolute_url()).content


def test_forms_with_a_csrf_token_are_never_cached():
    quote = QuoteFactory()
    url = reverse("quote-report", args=[quote.pk])
    first, second = Client().get(url), Client().get(url)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_errors_are_not_cached(client):
    quote = QuoteFactory(status="rejected")
    assert client.get(quote.get_absolute_url()).status_code == 404
    type(quote).objects.filter(pk=quote.pk).update(status="verified")
    assert client.get(quote.get_absolute_url()).status_code == 200
