"""The public pages, read as a specification of what a journalist can do on each."""
import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from quotes.models import Quote, QuoteReport, SlugRedirect, SpeakerAppearance, StatementGroup
from tests.factories import ArticleFactory, OrganisationFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

XSS = "<script>alert('x')</script><b>bold</b>"


def many_quotes(n, **kwargs):
    """n quotes on n articles, with speakers, appearances, organisations and statement groups."""
    group = StatementGroup.objects.create()
    org = OrganisationFactory()
    out = []
    for i in range(n):
        q = QuoteFactory(
            text=f"We discussed sanctions number {i}",
            organisation=org,
            statement_group=group if i % 2 else None,
            article__published=dt.date(2022, 1, 1) + dt.timedelta(days=i % 5),
            **kwargs,
        )
        SpeakerAppearance.objects.create(speaker=q.speaker, article=q.article, name_as_written=q.speaker.name,
                                         role="minister", organisation=org)
        out.append(q)
    return out


class TestHome:
    def test_landing_page_has_search_latest_quotes_and_top_speakers(self, client):
        q = QuoteFactory(text="Fresh words", speaker__name="Ana Lima")
        html = client.get("/").content.decode()
        assert 'role="search"' in html and 'name="q"' in html
        assert "Fresh words" in html and "Most quoted" in html
        assert q.speaker.get_absolute_url() in html

    def test_bounded_queries(self, client, django_assert_max_num_queries):
        many_quotes(12)
        with django_assert_max_num_queries(12):
            assert client.get("/").status_code == 200


class TestQuoteSearchPage:
    def test_search_ranks_highlights_and_counts(self, client):
        QuoteFactory(text="It will be a colossal mistake", start=1, end=30)
        QuoteFactory(text="A mistake", start=40, end=50)
        response = client.get("/quotes/", {"q": "colossal mistake"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "<mark>colossal</mark> <mark>mistake</mark>" in html
        assert re.search(r"<strong>1</strong> quote\b", html)
        assert "A mistake" not in html

    @pytest.mark.parametrize("raw", ['"', "-", "x" * 5000, "\x00", "'\"-", "-\"\"", "OR OR"])
    def test_malformed_query_gives_a_message_not_an_error(self, client, raw):
        QuoteFactory()
        response = client.get("/quotes/", {"q": raw})
        assert response.status_code == 200
        assert 'class="notice"' in response.content.decode()

    def test_rejected_quotes_are_never_public(self, client):
        QuoteFactory(text="Rejected words", status=Quote.Status.REJECTED)
        QuoteFactory(text="Accepted words", start=30, end=40)
        html = client.get("/quotes/", {"status": "rejected"}).content.decode()
        assert "Rejected words" not in html
        html = client.get("/quotes/").content.decode()
        assert "Rejected words" not in html and "Accepted words" in html

    def test_filters_speaker_organisation_outlet_dates_kind_status(self, client):
        org = OrganisationFactory(name="Ministry of Truth")
        a = QuoteFactory(text="alpha", speaker__name="Ana Lima", kind="partial", organisation=org,
                         article__outlet="DW", article__published=dt.date(2021, 12, 30),
                         status=Quote.Status.VERIFIED)
        QuoteFactory(text="beta", speaker__name="Bob Stone", article__outlet="AFP",
                     article__published=dt.date(2022, 2, 1))

        def texts(**params):
            html = client.get("/quotes/", params).content.decode()
            return sorted(set(re.findall(r"<p>(alpha|beta)</p>", html)))

        assert texts() == ["alpha", "beta"]
        assert texts(speaker=a.speaker.slug) == ["alpha"]
        assert texts(speaker="Lima") == ["alpha"]
        assert texts(organisation=org.slug) == ["alpha"]
        assert texts(outlet="AFP") == ["beta"]
        assert texts(date_after="2022-01-01") == ["beta"]
        assert texts(date_before="2021-12-31") == ["alpha"]
        assert texts(kind="partial") == ["alpha"]
        assert texts(status="verified") == ["alpha"]

    def test_sorting_newest_and_oldest(self, client):
        QuoteFactory(text="older", article__published=dt.date(2020, 1, 1))
        QuoteFactory(text="newer", article__published=dt.date(2022, 1, 1))
        QuoteFactory(text="undated", article__published=None)
        newest = re.findall(r"<p>(older|newer|undated)</p>", client.get("/quotes/", {"sort": "newest"}).content.decode())
        oldest = re.findall(r"<p>(older|newer|undated)</p>", client.get("/quotes/", {"sort": "oldest"}).content.decode())
        assert newest == ["newer", "older", "undated"]
        assert oldest == ["older", "newer", "undated"]

    def test_facet_counts_describe_the_current_result(self, client):
        speaker = SpeakerFactory(name="Ana Lima")
        for i in range(3):
            QuoteFactory(text=f"sanctions {i}", speaker=speaker, article__outlet="DW")
        QuoteFactory(text="sanctions again", article__outlet="AFP")
        QuoteFactory(text="unrelated", article__outlet="Reuters")
        response = client.get("/quotes/", {"q": "sanctions"})
        facets = response.context["facets"]
        assert facets["outlets"] == [{"article__outlet": "DW", "n": 3}, {"article__outlet": "AFP", "n": 1}]
        assert facets["speakers"][0] == {"speaker__slug": speaker.slug, "speaker__name": "Ana Lima", "n": 3}
        assert f"speaker={speaker.slug}" in response.content.decode()

    def test_pagination_keeps_the_filters(self, client):
        many_quotes(25)
        response = client.get("/quotes/", {"q": "sanctions", "sort": "newest"})
        assert response.context["result_count"] == 25
        assert len(response.context["quotes"]) == 20
        assert "page=2" in response.content.decode() and "q=sanctions" in response.content.decode()
        assert len(client.get("/quotes/", {"q": "sanctions", "page": 2}).context["quotes"]) == 5

    @pytest.mark.parametrize("params", [{}, {"q": "sanctions"}, {"speaker": "Example", "sort": "oldest"}])
    def test_bounded_queries_whatever_the_result_size(self, client, django_assert_max_num_queries, params):
        many_quotes(30)
        with django_assert_max_num_queries(14):
            assert client.get("/quotes/", params).status_code == 200

    def test_a_relevance_list_pages_through_its_rank_candidates_and_counts_every_match(self, client, monkeypatch):
        from django.db import connection

        from quotes.search import ranking

        monkeypatch.setattr(ranking, "RANK_CANDIDATES", 5)
        many_quotes(8)
        response = client.get("/quotes/", {"q": "sanctions"})
        assert len(response.context["quotes"]) == 5
        html = response.content.decode()
        if connection.vendor == "postgresql":  # the planner's estimate, said to be one
            assert response.context["result_count_estimated"] and "About " in html
        else:
            assert response.context["result_count"] == 8 and "<strong>8</strong>" in html

    def test_outlet_filter_offers_a_new_outlet_as_soon_as_it_is_stored(self, client):
        QuoteFactory(article__outlet="DW")
        assert 'value="DW"' in client.get("/quotes/").content.decode()
        QuoteFactory(article__outlet="Le Monde & Co")
        html = client.get("/quotes/", {"outlet": "Le Monde & Co"}).content.decode()
        assert '<option value="Le Monde &amp; Co" selected>Le Monde &amp; Co</option>' in html

    def test_invalid_filter_value_is_reported_not_an_error(self, client):
        QuoteFactory()
        response = client.get("/quotes/", {"date_after": "not-a-date", "outlet": "Nowhere"})
        assert response.status_code == 200
        assert response.context["result_count"] == 0
        assert "field-error" in response.content.decode()


class TestQuoteCard:
    def test_card_shows_speaker_role_organisation_outlet_date_context_and_copy(self, client):
        org = OrganisationFactory(name="Kremlin")
        article = ArticleFactory(outlet="DW", published=dt.date(2021, 12, 30), url="https://p.dw.com/p/1",
                                 body="Before it.\n\nPeskov said: “We want talks,” he said.\n\nAfter.")
        quote = QuoteFactory(article=article, text="We want talks,", start=26, end=40,
                             speaker__name="Dmitry Peskov", status=Quote.Status.VERIFIED)
        SpeakerAppearance.objects.create(speaker=quote.speaker, article=article, name_as_written="Peskov",
                                         role="Kremlin spokesman", organisation=org)
        html = client.get(f"/quotes/{quote.pk}/").content.decode()
        assert f'href="{quote.speaker.get_absolute_url()}"' in html
        assert "Kremlin spokesman" in html and org.get_absolute_url() in html
        assert f'href="{article.get_absolute_url()}#q-{quote.pk}"' in html
        assert "30 December 2021" in html
        assert "✓ Verified" in html
        assert "Peskov said: “<mark>We want talks,</mark>” he said." in html
        assert "Before it." not in html
        listing = client.get("/quotes/").content.decode()
        context = listing.split("Show in context")[1].split("</details>")[0]
        assert "Peskov said: “<mark>We want talks,</mark>” he said." in context
        assert 'class="button copy-button"' in html
        assert ("“We want talks,” Kremlin spokesman Dmitry Peskov said, as reported by DW on 30 December 2021. "
                "https://p.dw.com/p/1") in html
        assert reverse("quote-report", args=[quote.pk]) in html

    def test_also_reported_by_other_outlets_of_the_same_statement(self, client):
        group = StatementGroup.objects.create()
        speaker = SpeakerFactory()
        mine = QuoteFactory(text="We support Ukraine fully", speaker=speaker, statement_group=group,
                            article__outlet="AFP")
        other = QuoteFactory(text="We support Ukraine fully.", speaker=speaker, statement_group=group,
                             article__outlet="Al Jazeera")
        QuoteFactory(text="We support Ukraine", speaker=speaker, statement_group=group,
                     article__outlet="Hidden", status=Quote.Status.REJECTED)
        html = client.get(f"/quotes/{mine.pk}/").content.decode()
        also = html.split("Also reported by")[1].split("</p>")[0]
        assert f'href="{other.get_absolute_url()}">Al Jazeera</a>' in also
        assert "Hidden" not in also

    def test_wording_differences_are_shown_side_by_side(self, client):
        group = StatementGroup.objects.create()
        speaker = SpeakerFactory()
        mine = QuoteFactory(text="The two discussed efforts to resolve the conflict", speaker=speaker,
                            statement_group=group, article__outlet="AFP")
        QuoteFactory(text="The two discussed efforts to peacefully resolve the conflict.", speaker=speaker,
                     statement_group=group, article__outlet="Al Jazeera")
        html = client.get(f"/quotes/{mine.pk}/").content.decode()
        assert "How other outlets reported this statement" in html
        assert "<ins>peacefully </ins>" in html and "<ins>.</ins>" in html

    def test_html_in_quote_text_is_shown_as_text_everywhere(self, client):
        quote = QuoteFactory(text=XSS, speaker__name="Ana <i>Lima</i>")
        for url in ["/", "/quotes/", f"/quotes/{quote.pk}/", quote.article.get_absolute_url(),
                    quote.speaker.get_absolute_url(), "/quotes/?q=alert"]:
            html = client.get(url).content.decode()
            assert "<script>alert" not in html, url
            assert "<b>bold</b>" not in html and "<i>Lima</i>" not in html, url

    def test_rejected_quote_has_no_page(self, client):
        quote = QuoteFactory(status=Quote.Status.REJECTED)
        assert client.get(f"/quotes/{quote.pk}/").status_code == 404


class TestPermalink:
    def test_json_ld_quotation_with_escaped_text(self, client):
        speaker = SpeakerFactory(name="Ana Lima", wikidata_id="Q42")
        quote = QuoteFactory(text="</script><script>alert(1)</script>", speaker=speaker,
                             article__outlet="DW", article__published=dt.date(2021, 12, 30))
        html = client.get(f"/quotes/{quote.pk}/").content.decode()
        raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
        assert "<" not in raw
        data = json.loads(raw)
        assert data["@type"] == "Quotation" and data["text"] == quote.text
        assert data["spokenByCharacter"]["name"] == "Ana Lima"
        assert data["spokenByCharacter"]["sameAs"] == "https://www.wikidata.org/wiki/Q42"
        assert data["isBasedOn"]["publisher"]["name"] == "DW"

    def test_open_graph_and_twitter_tags(self, client):
        quote = QuoteFactory(text='Say "hi" <now>', speaker__name="Ana Lima")
        html = client.get(f"/quotes/{quote.pk}/").content.decode()
        assert '<meta property="og:title" content="Ana Lima in Example News">' in html
        assert "og:description\" content=\"“Say &quot;hi&quot; &lt;now&gt;”\"" in html
        assert 'name="twitter:card" content="summary"' in html
        assert f'property="og:url" content="http://testserver/quotes/{quote.pk}/"' in html


class TestReport:
    def test_report_creates_a_queued_report(self, client):
        quote = QuoteFactory()
        url = reverse("quote-report", args=[quote.pk])
        assert client.get(url).status_code == 200
        response = client.post(url, {"note": "The speaker is wrong: it was the deputy."})
        assert response.status_code == 302 and response.url == quote.get_absolute_url()
        report = QuoteReport.objects.get()
        assert report.quote == quote and report.note == "The speaker is wrong: it was the deputy."
        assert report.handled_at is None

    def test_csrf_is_required(self):
        quote = QuoteFactory()
        client = Client(enforce_csrf_checks=True)
        response = client.post(reverse("quote-report", args=[quote.pk]), {"note": "Wrong speaker here"})
        assert response.status_code == 403 and not QuoteReport.objects.exists()

    def test_empty_note_is_refused_with_a_message(self, client):
        quote = QuoteFactory()
        response = client.post(reverse("quote-report", args=[quote.pk]), {"note": ""})
        assert response.status_code == 200 and "field-error" in response.content.decode()
        assert not QuoteReport.objects.exists()

    def test_rate_limited_per_ip(self, client):
        quote = QuoteFactory()
        url = reverse("quote-report", args=[quote.pk])
        for _ in range(5):
            assert client.post(url, {"note": "Wrong speaker here"}).status_code == 302
        response = client.post(url, {"note": "Wrong speaker here"})
        assert response.status_code == 429 and "try again later" in response.content.decode()
        assert QuoteReport.objects.count() == 5
        other_ip = client.post(url, {"note": "Wrong speaker here"}, REMOTE_ADDR="10.0.0.9")
        assert other_ip.status_code == 302

    def test_behind_a_proxy_the_limit_counts_each_reader_not_the_proxy(self, client, settings):
        """With TRUSTED_PROXIES the reader's address comes from X-Forwarded-For, as for logins."""
        settings.TRUSTED_PROXIES = 1
        quote = QuoteFactory()
        url = reverse("quote-report", args=[quote.pk])
        for n in range(6):  # six readers behind one proxy, one report each
            reader = client.post(url, {"note": "Wrong speaker here"}, REMOTE_ADDR="10.0.0.1",
                                 HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
            assert reader.status_code == 302
        assert QuoteReport.objects.count() == 6

    def test_honeypot_is_ignored(self, client):
        quote = QuoteFactory()
        client.post(reverse("quote-report", args=[quote.pk]), {"note": "Buy things now", "website": "x"})
        assert not QuoteReport.objects.exists()


class TestSpeakers:
    def test_directory_with_counts_and_tolerant_search(self, client):
        lavrov = SpeakerFactory(name="Sergey Lavrov")
        QuoteFactory(speaker=lavrov)
        QuoteFactory(speaker=lavrov, start=40, end=50)
        QuoteFactory(speaker=lavrov, start=60, end=70, status=Quote.Status.REJECTED)
        SpeakerFactory(name="Ana Lima")
        response = client.get("/speakers/")
        assert [(s.name, s.n_quotes) for s in response.context["speakers"]] == [("Sergey Lavrov", 2), ("Ana Lima", 0)]
        response = client.get("/speakers/", {"q": "Sergei Lavrow"})
        assert [s.name for s in response.context["speakers"]] == ["Sergey Lavrov"]

    def test_speaker_page(self, client):
        org = OrganisationFactory(name="Ministry of Foreign Affairs")
        speaker = SpeakerFactory(name="Sergey Lavrov", role="Foreign Minister", organisation=org, wikidata_id="Q11279")
        speaker.aliases.create(name="Sergei Lavrov")
        for i, outlet in enumerate(["DW", "AFP", "Euronews"]):
            q = QuoteFactory(speaker=speaker, text=f"Words {i}", article__outlet=outlet,
                             article__published=dt.date(2021, 12, 28 + i))
            SpeakerAppearance.objects.create(speaker=speaker, article=q.article, name_as_written="Lavrov",
                                             role="Foreign Minister", organisation=org)
        response = client.get(speaker.get_absolute_url())
        html = response.content.decode()
        assert response.context["n_quotes"] == 3
        assert "Sergei Lavrov" in html and "Foreign Minister" in html
        assert [o["article__outlet"] for o in response.context["outlets"]] == ["AFP", "DW", "Euronews"]
        assert '"sameAs": "https://www.wikidata.org/wiki/Q11279"' in html
        assert html.count('class="bar"') == 3
        assert "?date_after=2021-12-29&amp;date_before=2021-12-29#results" in html
        assert reverse("speaker-feed", args=[speaker.slug]) in html

    def test_timeline_bar_leads_to_the_quotes_behind_it(self, client):
        speaker = SpeakerFactory()
        QuoteFactory(speaker=speaker, text="first day", article__published=dt.date(2021, 12, 28))
        QuoteFactory(speaker=speaker, text="second day", article__published=dt.date(2021, 12, 29))
        response = client.get(speaker.get_absolute_url(), {"date_after": "2021-12-29", "date_before": "2021-12-29"})
        assert [q.text for q in response.context["quotes"]] == ["second day"]

    def test_speaker_page_filters_are_the_same_filters(self, client):
        speaker = SpeakerFactory()
        QuoteFactory(speaker=speaker, text="about sanctions")
        QuoteFactory(speaker=speaker, text="about weather", start=40, end=50)
        QuoteFactory(text="about sanctions too", start=60, end=70)
        response = client.get(speaker.get_absolute_url(), {"q": "sanctions"})
        assert [q.text for q in response.context["quotes"]] == ["about sanctions"]

    def test_old_slug_redirects_permanently(self, client):
        speaker = SpeakerFactory(name="Sergey Lavrov")
        SlugRedirect.objects.create(old_slug="sergei-lavrov", speaker=speaker)
        response = client.get("/speakers/sergei-lavrov/")
        assert response.status_code == 301 and response.url == speaker.get_absolute_url()
        assert client.get("/speakers/nobody/").status_code == 404

    def test_bounded_queries(self, client, django_assert_max_num_queries):
        quotes = many_quotes(30)
        speaker = SpeakerFactory()
        Quote.objects.filter(pk__in=[q.pk for q in quotes]).update(speaker=speaker)
        with django_assert_max_num_queries(20):
            assert client.get(speaker.get_absolute_url()).status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get("/speakers/").status_code == 200

    def test_atom_feed_shows_text_as_text(self, client):
        speaker = SpeakerFactory(name="Ana Lima")
        QuoteFactory(speaker=speaker, text=XSS)
        response = client.get(reverse("speaker-feed", args=[speaker.slug]))
        body = response.content.decode()
        assert response["Content-Type"].startswith("application/atom+xml")
        assert "<script>" not in body and "&lt;script&gt;" in body
        assert "Quotes by Ana Lima" in body


class TestOrganisations:
    def test_people_and_own_statements(self, client):
        org = OrganisationFactory(name="White House")
        person = SpeakerFactory(name="Jen Psaki", organisation=org)
        QuoteFactory(speaker=None, organisation=org, text="The statement itself")
        QuoteFactory(speaker=person, organisation=org, text="A person's words", start=40, end=50)
        SlugRedirect.objects.create(old_slug="the-white-house", organisation=org)
        response = client.get(org.get_absolute_url())
        html = response.content.decode()
        assert "Jen Psaki" in html
        assert [q.text for q in response.context["quotes"]] == ["The statement itself"]
        assert client.get("/organisations/the-white-house/").status_code == 301
        assert "White House" in client.get("/organisations/").content.decode()


class TestArticlePage:
    def test_each_quote_is_highlighted_and_labelled_with_its_speaker(self, client):
        body = "Intro <b>text</b>.\n\n“We want talks,” Peskov said. “Soon,” an aide said.\n\nEnd."
        article = ArticleFactory(body=body, outlet="DW")
        q1 = QuoteFactory(article=article, text="We want talks,", start=body.index("We"), end=body.index("We") + 14,
                          speaker__name="Dmitry Peskov")
        q2 = QuoteFactory(article=article, text="Soon,", start=body.index("Soon"), end=body.index("Soon") + 5,
                          speaker=None, speaker_description="an aide")
        QuoteFactory(article=article, text="End", start=body.index("End"), end=body.index("End") + 3,
                     status=Quote.Status.REJECTED)
        html = client.get(article.get_absolute_url()).content.decode()
        assert f'id="q-{q1.pk}"><a class="q-label" href="{q1.get_absolute_url()}">Dmitry Peskov</a>We want talks,</mark>' in html
        assert f'id="q-{q2.pk}"><a class="q-label" href="{q2.get_absolute_url()}">an aide</a>Soon,</mark>' in html
        assert "Intro &lt;b&gt;text&lt;/b&gt;." in html
        assert ">End</mark>" not in html

    def test_bounded_queries(self, client, django_assert_max_num_queries):
        article = ArticleFactory(body="x" * 3000)
        for i in range(40):
            QuoteFactory(article=article, start=i * 50, end=i * 50 + 10)
        with django_assert_max_num_queries(6):
            assert client.get(article.get_absolute_url()).status_code == 200


class TestExports:
    def test_a_search_download_holds_every_match_not_only_the_ranked_ones(self, client, monkeypatch):
        from quotes.search import ranking

        monkeypatch.setattr(ranking, "RANK_CANDIDATES", 2)
        many_quotes(5)
        body = b"".join(client.get("/quotes/export.jsonl", {"q": "sanctions"}).streaming_content).decode()
        assert len(body.strip().splitlines()) == 5

    def test_csv_of_a_search_result(self, client):
        QuoteFactory(text='He said "no", twice about sanctions')
        QuoteFactory(text="unrelated", start=50, end=60)
        QuoteFactory(text="rejected sanctions", start=70, end=80, status=Quote.Status.REJECTED)
        response = client.get("/quotes/export.csv", {"q": "sanctions"})
        body = b"".join(response.streaming_content).decode()
        lines = body.strip().splitlines()
        assert lines[0].startswith("id,quote,kind,speaker")
        assert len(lines) == 2 and '"He said ""no"", twice about sanctions"' in lines[1]

    def test_jsonl_of_a_search_result(self, client):
        QuoteFactory(text="about sanctions", speaker__name="Ana Lima")
        response = client.get("/quotes/export.jsonl", {"speaker": "Ana Lima"})
        records = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
        assert [r["quote"] for r in records] == ["about sanctions"] and records[0]["speaker"] == "Ana Lima"
        assert response["Content-Disposition"] == 'attachment; filename="quotes.jsonl"'


class TestCombinedFilters:
    def test_organisation_filter_with_a_search_and_relevance(self, client):
        org = OrganisationFactory(name="Kremlin")
        person = SpeakerFactory(organisation=org)
        QuoteFactory(speaker=person, text="talks are in the mood")
        QuoteFactory(speaker=None, organisation=org, text="talks and more talks", start=40, end=50)
        QuoteFactory(text="talks elsewhere", start=60, end=70)
        response = client.get("/quotes/", {"organisation": "kremlin", "q": "talks"})
        assert sorted(q.text for q in response.context["quotes"]) == ["talks and more talks", "talks are in the mood"]
        assert client.get("/organisations/", {"q": "kreml"}).context["organisations"][0] == org
