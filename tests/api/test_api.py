"""The read-only JSON API: same filters and ranking as the pages, paginated, with an OpenAPI schema."""
import datetime as dt

import pytest

from quotes.models import Quote, SpeakerAppearance
from tests.factories import ArticleFactory, OrganisationFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def test_quotes_search_with_the_page_filters(client):
    speaker = SpeakerFactory(name="Dmitry Peskov")
    q = QuoteFactory(text="It will be a colossal mistake", speaker=speaker, article__outlet="DW",
                     article__published=dt.date(2021, 12, 30))
    SpeakerAppearance.objects.create(speaker=speaker, article=q.article, name_as_written="Peskov",
                                     role="Kremlin spokesman")
    QuoteFactory(text="A small mistake", start=40, end=50)
    QuoteFactory(text="colossal mistake rejected", start=60, end=70, status=Quote.Status.REJECTED)
    data = client.get("/api/quotes/", {"q": "colossal mistake"}).json()
    assert data["count"] == 1 and data["page"] == 1 and data["pages"] == 1
    item = data["items"][0]
    assert item["text"] == "It will be a colossal mistake"
    assert item["speaker"]["name"] == "Dmitry Peskov" and item["role"] == "Kremlin spokesman"
    assert item["article"]["outlet"] == "DW" and item["article"]["published"] == "2021-12-30"
    assert item["attribution"] == (
        "“It will be a colossal mistake,” Kremlin spokesman Dmitry Peskov said, as reported by DW on "
        f"30 December 2021. {q.article.url}"
    )
    assert item["highlight"] == "It will be a <mark>colossal</mark> <mark>mistake</mark>"
    assert item["permalink"].endswith(f"/quotes/{q.pk}/")
    assert client.get("/api/quotes/", {"speaker": "Peskov"}).json()["count"] == 1
    assert client.get("/api/quotes/", {"outlet": "DW", "date_after": "2021-12-30"}).json()["count"] == 1
    assert client.get("/api/quotes/", {"kind": "partial"}).json()["count"] == 0


def test_quotes_are_paginated(client):
    for i in range(25):
        QuoteFactory(text=f"words {i}")
    first = client.get("/api/quotes/").json()
    second = client.get("/api/quotes/", {"page": 2}).json()
    assert first["count"] == 25 and first["pages"] == 2 and len(first["items"]) == 20
    assert len(second["items"]) == 5
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


@pytest.mark.parametrize("raw", ['"', "-", "x" * 5000])
def test_malformed_query_is_an_empty_result(client, raw):
    QuoteFactory()
    response = client.get("/api/quotes/", {"q": raw})
    assert response.status_code == 200 and response.json()["count"] == 0


def test_invalid_filter_is_a_400_with_a_reason(client):
    response = client.get("/api/quotes/", {"date_after": "yesterday"})
    assert response.status_code in (400, 422)
    response = client.get("/api/quotes/", {"outlet": "Nowhere"})
    assert response.status_code == 400 and "outlet" in response.json()["detail"]


def test_rejected_quote_is_not_served(client):
    q = QuoteFactory(status=Quote.Status.REJECTED)
    assert client.get(f"/api/quotes/{q.pk}/").status_code == 404


def test_quote_text_is_returned_verbatim_as_json(client):
    q = QuoteFactory(text="<script>alert(1)</script>")
    data = client.get(f"/api/quotes/{q.pk}/").json()
    assert data["text"] == "<script>alert(1)</script>"
    assert client.get(f"/api/quotes/{q.pk}/")["Content-Type"].startswith("application/json")


def test_speakers_organisations_articles(client):
    org = OrganisationFactory(name="Kremlin")
    speaker = SpeakerFactory(name="Dmitry Peskov", organisation=org, wikidata_id="Q1")
    speaker.aliases.create(name="Dmitri Peskov")
    article = ArticleFactory(outlet="DW")
    QuoteFactory(speaker=speaker, article=article)
    speakers = client.get("/api/speakers/", {"q": "Dmitri Peskov"}).json()
    assert [s["name"] for s in speakers["items"]] == ["Dmitry Peskov"]
    assert speakers["items"][0]["quotes"] == 1
    detail = client.get(f"/api/speakers/{speaker.slug}/").json()
    assert detail["aliases"] == ["Dmitri Peskov", "Dmitry Peskov"] and detail["organisation"]["name"] == "Kremlin"
    assert client.get("/api/organisations/").json()["items"][0]["name"] == "Kremlin"
    assert client.get(f"/api/organisations/{org.slug}/").json()["slug"] == org.slug
    articles = client.get("/api/articles/").json()
    assert articles["items"][0]["outlet"] == "DW" and articles["items"][0]["quotes"] == 1
    assert client.get(f"/api/articles/{article.pk}/").json()["body"] == article.body
    assert client.get("/api/speakers/nobody/").status_code == 404


def test_openapi_schema_describes_the_endpoints(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Quote database API"
    for path in ["/api/quotes/", "/api/quotes/{quote_id}/", "/api/speakers/", "/api/speakers/{slug}/",
                 "/api/organisations/", "/api/articles/", "/api/articles/{article_id}/"]:
        assert path in schema["paths"], path
    params = {p["name"] for p in schema["paths"]["/api/quotes/"]["get"]["parameters"]}
    assert {"q", "speaker", "organisation", "outlet", "date_after", "date_before", "kind", "status", "sort", "page"} <= params
    assert client.get("/api/docs").status_code == 200


def test_bounded_queries(client, django_assert_max_num_queries):
    for i in range(30):
        QuoteFactory(text=f"sanctions {i}")
    with django_assert_max_num_queries(10):
        assert client.get("/api/quotes/", {"q": "sanctions"}).status_code == 200
