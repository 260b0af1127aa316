"""What the site sends out is inert: quote text with markup is text everywhere, a hostile source
address never becomes a link, CSV cells never run as spreadsheet formulas, and forms need CSRF."""
import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from quotes.web.cards import quote_cards
from quotes.models import QuoteReport, safe_http_url
from tests.factories import QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

MARKUP = "<script>alert('x')</script><img src=x onerror=alert(2)>"


def body(response) -> str:
    return (b"".join(response.streaming_content) if response.streaming else response.content).decode()


class TestQuoteTextIsText:
    @pytest.fixture
    def quote(self):
        speaker = SpeakerFactory(name="Ana <b>Lima</b>")
        return QuoteFactory(text=MARKUP, speaker=speaker, article__outlet="<i>DW</i>",
                            article__title="</title><script>t()</script>")

    def test_pages_escape_it(self, client, quote):
        pages = ["/", "/quotes/", "/quotes/?q=alert", quote.get_absolute_url(), quote.article.get_absolute_url(),
                 quote.speaker.get_absolute_url(), reverse("quote-report", args=[quote.pk]), "/speakers/"]
        for url in pages:
            html = body(client.get(url))
            assert "<script>alert" not in html and "<img src=x" not in html, url
            assert "<b>Lima</b>" not in html and "<i>DW</i>" not in html, url

    def test_copy_texts_are_escaped_in_their_text_boxes(self, client, quote):
        html = body(client.get(quote.get_absolute_url()))
        boxes = re.findall(r'<textarea[^>]*class="copy-text"[^>]*>(.*?)</textarea>', html, re.S)
        assert len(boxes) == 4
        assert all("<script>" not in box and "&lt;" in box for box in boxes)

    def test_json_ld_cannot_close_its_script_element(self, client, quote):
        html = body(client.get(quote.get_absolute_url()))
        for raw in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            assert "<" not in raw
            json.loads(raw)

    def test_feed_is_well_formed_and_escapes_it(self, client, quote):
        xml = body(client.get(reverse("speaker-feed", args=[quote.speaker.slug])))
        assert "<script>" not in xml
        entry = ET.fromstring(xml).find("{http://www.w3.org/2005/Atom}entry")
        summary = entry.find("{http://www.w3.org/2005/Atom}summary").text
        assert "&lt;script&gt;" in summary  # HTML summary: the markup is escaped text

    def test_api_returns_it_verbatim_as_json(self, client, quote):
        data = client.get(f"/api/quotes/{quote.pk}/").json()
        assert data["text"] == MARKUP
        item = client.get("/api/quotes/", {"q": "alert"}).json()["items"][0]
        assert "<script>" not in item["highlight"] and "<mark>alert</mark>" in item["highlight"]

    def test_exports_keep_it_as_data(self, client, quote):
        rows = list(csv.DictReader(io.StringIO(body(client.get("/quotes/export.csv")))))
        assert rows[0]["quote"] == MARKUP
        record = json.loads(body(client.get("/quotes/export.jsonl")).splitlines()[0])
        assert record["quote"] == MARKUP


class TestSourceAddresses:
    @pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                                     "data:text/html,<script>alert(1)</script>", "vbscript:x",
                                     'https://ok.example/" onmouseover="alert(1)', "https://ok.example/a b",
                                     "//evil.example/x", "http://", "https://[::1"])
    def test_unsafe_address_is_never_linked(self, client, url):
        quote = QuoteFactory(article__url=url, article__outlet="DW")
        assert safe_http_url(url) == ""
        for page in [quote.get_absolute_url(), quote.article.get_absolute_url(), "/quotes/"]:
            html = body(client.get(page))
            assert "javascript:" not in html.lower() and "data:text" not in html and "onmouseover" not in html, page
        api = client.get(f"/api/quotes/{quote.pk}/").json()
        assert api["article"]["url"] == "" and "javascript" not in api["attribution"].lower()

    def test_safe_address_is_linked_everywhere(self, client):
        quote = QuoteFactory(article__url="https://news.example/a(1)", article__outlet="DW")
        assert 'cite="https://news.example/a(1)"' in body(client.get(quote.get_absolute_url()))
        assert 'href="https://news.example/a(1)"' in body(client.get(quote.article.get_absolute_url()))
        assert client.get(f"/api/quotes/{quote.pk}/").json()["article"]["url"] == "https://news.example/a(1)"
        texts = quote_cards([quote])[0].copy
        assert "[DW](https://news.example/a%281%29)" in texts["markdown"]  # parentheses cannot end the link
        assert 'href="https://news.example/a(1)"' in texts["html"]


class TestCsvFormulas:
    FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1"]

    def make(self):
        speaker = SpeakerFactory(name="=cmd|' /C calc'!A0")
        for i, text in enumerate(self.FORMULAS):
            QuoteFactory(text=text, speaker=speaker, start=1 + i * 50, end=40 + i * 50,
                         article__outlet="@outlet", article__title="=title")

    def check(self, text):
        rows = list(csv.DictReader(io.StringIO(text)))
        assert sorted(r["quote"] for r in rows) == sorted("'" + f for f in self.FORMULAS)
        for row in rows:
            assert row["speaker"].startswith("'=") and row["outlet"] == "'@outlet" and row["article_title"] == "'=title"
            for value in row.values():
                assert not value.startswith(("=", "+", "-", "@", "\t")), value
        return rows

    def test_web_download_cells_never_start_a_formula(self, client):
        self.make()
        rows = self.check(body(client.get("/quotes/export.csv")))
        assert rows[0]["confidence"] == "0.9"  # numbers stay numbers

    def test_export_command_cells_never_start_a_formula(self):
        self.make()
        out = io.StringIO()
        call_command("export_quotes", "--format", "csv", "--per-article", stdout=out)
        self.check(out.getvalue())

    def test_jsonl_keeps_the_exact_text(self, client):
        self.make()
        records = [json.loads(line) for line in body(client.get("/quotes/export.jsonl")).splitlines()]
        assert sorted(r["quote"] for r in records) == sorted(self.FORMULAS)


class TestCsrf:
    def test_report_without_the_token_is_refused(self):
        quote = QuoteFactory()
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("quote-report", args=[quote.pk]), {"note": "The speaker is wrong."})
        assert response.status_code == 403 and not QuoteReport.objects.exists()

    def test_report_with_a_forged_token_is_refused(self):
        quote = QuoteFactory()
        client = Client(enforce_csrf_checks=True)
        client.cookies["csrftoken"] = "a" * 32
        response = client.post(reverse("quote-report", args=[quote.pk]),
                               {"note": "The speaker is wrong.", "csrfmiddlewaretoken": "b" * 32})
        assert response.status_code == 403 and not QuoteReport.objects.exists()

    def test_report_with_the_form_token_is_accepted(self):
        quote = QuoteFactory()
        client = Client(enforce_csrf_checks=True)
        url = reverse("quote-report", args=[quote.pk])
        html = body(client.get(url))
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        response = client.post(url, {"note": "The speaker is wrong.", "csrfmiddlewaretoken": token})
        assert response.status_code == 302 and QuoteReport.objects.count() == 1

    def test_every_post_form_on_the_site_carries_a_token(self, client):
        quote = QuoteFactory()
        pages = ["/", "/quotes/", quote.get_absolute_url(), reverse("quote-report", args=[quote.pk]),
                 quote.speaker.get_absolute_url(), "/speakers/", "/organisations/", quote.article.get_absolute_url()]
        for url in pages:
            html = body(client.get(url))
            for form in re.findall(r"<form\b[^>]*>.*?</form>", html, re.S | re.I):
                if re.search(r'method="post"', form, re.I):
                    assert 'name="csrfmiddlewaretoken"' in form, url
