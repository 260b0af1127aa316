"""SEED-DATA ACCEPTANCE TESTS: the public site on the real seed articles.

These depend on the real extractor (speakers, roles, statement groups), which is being
rewritten on another branch. On the `site` branch alone the extractor finds no speakers yet,
so the speaker assertions here FAIL until that work is merged; they are kept (not skipped) so
the merge shows at once whether site and extractor work together. Deselect them while
working on the site alone with:  pytest -m "not seed_acceptance"
"""
import pytest

from quotes.models import Quote, Speaker

pytestmark = [pytest.mark.seed_acceptance, pytest.mark.django_db]


def speaker_like(fragment):
    speakers = list(Speaker.objects.filter(name__icontains=fragment))
    assert len(speakers) == 1, f"expected one speaker named like {fragment!r}, got {speakers}"
    return speakers[0]


def test_colossal_mistake_finds_the_ushakov_quote_first(seeded_db, client):
    response = client.get("/quotes/", {"q": "colossal mistake"})
    first = response.context["quotes"][0]
    assert "colossal mistake" in first.text
    assert first.speaker is not None and "Ushakov" in first.speaker.name


def test_speaker_filter_for_peskov_shows_his_quotes(seeded_db, client):
    response = client.get("/quotes/", {"speaker": "Peskov"})
    quotes = response.context["quotes"]
    assert quotes, "no quotes for Peskov"
    assert all(q.speaker and "Peskov" in q.speaker.name for q in quotes)


def test_lavrov_page_shows_quotes_from_three_outlets_under_one_speaker(seeded_db, client):
    lavrov = speaker_like("Lavrov")
    response = client.get(lavrov.get_absolute_url())
    outlets = {o["article__outlet"] for o in response.context["outlets"]}
    assert len(outlets) >= 3, outlets


def test_ned_price_statement_is_also_reported_by_the_other_outlet(seeded_db, client):
    price = speaker_like("Ned Price")
    grouped = Quote.objects.filter(speaker=price, statement_group__isnull=False).select_related("article")
    assert grouped.exists(), "no Ned Price statement reported by two outlets"
    quote = grouped.first()
    others = Quote.objects.filter(statement_group=quote.statement_group).exclude(article=quote.article)
    html = client.get(quote.get_absolute_url()).content.decode()
    also = html.split("Also reported by", 1)[1].split("</p>", 1)[0]
    for other in others.select_related("article"):
        assert other.article.outlet in also
