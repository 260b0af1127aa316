"""Articles: add by pasting (the extractor runs), re-extract, inline status edits."""
import datetime as dt

import pytest
from django.urls import reverse

from quotes.models import Article, Quote
from tests.admin.helpers import messages_of, run_action
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

PASTED = """Union rejects pay offer

“We will not back down,” said Maria Costa, the union's spokeswoman.

“The offer is final,” said John Reed, a spokesman for the Ministry of Labour.
"""


def test_add_article_by_paste_runs_the_extractor(cclient, admin_nlp):
    resp = cclient.post(
        reverse("admin:quotes_article_add"),
        {"title": "Union rejects pay offer", "outlet": "Example Post", "url": "https://post.example/1",
         "published": "2024-03-01", "text": PASTED},
        follow=True,
    )
    article = Article.objects.get()
    assert resp.redirect_chain[-1][0] == reverse("admin:quotes_article_change", args=[article.pk])
    assert (article.title, article.outlet, article.url, article.published) == (
        "Union rejects pay offer", "Example Post", "https://post.example/1", dt.date(2024, 3, 1)
    )
    assert article.quotes.filter(text__contains="We will not back down").exists()
    assert any(m.startswith("Extracted ") for m in messages_of(resp))
    # The same text again is recognised, not stored twice.
    again = cclient.post(reverse("admin:quotes_article_add"), {"title": "Copy", "text": PASTED}, follow=True)
    assert Article.objects.count() == 1 and "This text is already stored as" in again.content.decode()


def test_add_article_form_refuses_empty_text(cclient):
    resp = cclient.post(reverse("admin:quotes_article_add"), {"title": "Nothing", "text": "   "})
    assert resp.status_code == 200 and Article.objects.count() == 0


def test_reextract_action_keeps_curator_decisions(cclient, admin_nlp):
    cclient.post(reverse("admin:quotes_article_add"), {"title": "Union rejects pay offer", "text": PASTED})
    article = Article.objects.get()
    back_down = article.quotes.get(text__contains="We will not back down")
    final = article.quotes.get(text__contains="The offer is final")
    peskov = SpeakerFactory(name="Dmitry Peskov")
    run_action(cclient, "reassign_speaker", [back_down], apply="1", speaker=peskov.pk)
    run_action(cclient, "reject", [final])
    resp = run_action(cclient, "reextract", [article], url_name="admin:quotes_article_changelist")
    assert any(m.startswith("Re-extracted 1 article: 2 reviewed quotes kept") for m in messages_of(resp))
    back_down.refresh_from_db()
    final.refresh_from_db()
    assert back_down.speaker == peskov and final.status == Quote.Status.REJECTED
    assert article.quotes.count() == 2


def test_article_page_lists_quotes_and_inline_status_edit_is_curated(cclient):
    quote = QuoteFactory()
    url = reverse("admin:quotes_article_change", args=[quote.article_id])
    assert quote.text in cclient.get(url).content.decode()
    a = quote.article
    data = {
        "title": a.title, "outlet": a.outlet, "byline": "", "published": "2022-01-10", "url": a.url,
        "quotes-TOTAL_FORMS": "1", "quotes-INITIAL_FORMS": "1", "quotes-MIN_NUM_FORMS": "0", "quotes-MAX_NUM_FORMS": "0",
        "quotes-0-id": quote.pk, "quotes-0-article": a.pk, "quotes-0-status": "verified",
    }
    resp = cclient.post(url, data)
    assert resp.status_code == 302, resp.context["errors"] if resp.context else resp
    quote.refresh_from_db()
    assert (quote.status, quote.curated) == ("verified", True)


def test_articles_that_lost_most_of_their_prose_are_flagged_and_filtered(cclient):
    lost = ArticleFactory(title="Mostly furniture", prose_chars=1000, dropped_prose_chars=700)
    kept = ArticleFactory(title="Whole article", prose_chars=1000, dropped_prose_chars=100)
    listing = cclient.get(reverse("admin:quotes_article_changelist")).content.decode()
    assert "⚠ 30%: most of the page&#x27;s prose was dropped as furniture" in listing and "90%" in listing
    filtered = cclient.get(reverse("admin:quotes_article_changelist"), {"prose": "lost"}).context["cl"].result_list
    assert list(filtered) == [lost] and kept not in filtered
