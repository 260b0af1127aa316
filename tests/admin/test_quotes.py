"""The quote admin: the review list, its filters and search, the bulk actions, the change page."""
import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quotes.models import Quote, SpeakerAlias
from tests.admin.helpers import QUOTES, listed, messages_of, run_action
from tests.factories import (
    ArticleFactory,
    OrganisationFactory,
    QuoteFactory,
    SpeakerFactory,
)

pytestmark = pytest.mark.django_db


def test_changelist_shows_columns_weakest_first(cclient):
    strong = QuoteFactory(confidence=0.95, text="Strong words")
    weak = QuoteFactory(confidence=0.12, text="Weak words", organisation=OrganisationFactory(name="Kremlin"))
    resp = cclient.get(reverse(QUOTES))
    assert [q.pk for q in resp.context["cl"].result_list] == [weak.pk, strong.pk]
    html = resp.content.decode()
    for text in ["Weak words", weak.speaker.name, "Kremlin", "Example News", "0.12", "Unreviewed"]:
        assert text in html


def test_changelist_queries_do_not_grow_with_rows(cclient):
    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            assert cclient.get(reverse(QUOTES)).status_code == 200
        return len(ctx)

    QuoteFactory.create_batch(2, organisation=OrganisationFactory())
    few = count_queries()
    for _ in range(6):
        QuoteFactory(organisation=OrganisationFactory())
    assert count_queries() == few


@pytest.fixture
def variety():
    """Quotes that differ in every filtered property."""
    org = OrganisationFactory(name="NATO")
    early = ArticleFactory(outlet="AFP", published=dt.date(2021, 12, 30))
    return {
        "verified": QuoteFactory(status=Quote.Status.VERIFIED, confidence=0.9),
        "partial": QuoteFactory(kind=Quote.Kind.PARTIAL, confidence=0.6, organisation=org),
        "afp": QuoteFactory(article=early, confidence=0.3),
        "not_quote": QuoteFactory(
            status=Quote.Status.REJECTED, reject_reason=Quote.RejectReason.NOT_A_QUOTE, confidence=0.2, curated=True
        ),
        "org": org,
    }


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"status__exact": "verified"}, ["verified"]),
        ({"status__exact": "rejected"}, ["not_quote"]),
        ({"kind__exact": "partial"}, ["partial"]),
        ({"article__outlet": "AFP"}, ["afp"]),
        ({"article__published__gte": "2021-12-01", "article__published__lt": "2022-01-01"}, ["afp"]),
        ({"confidence_band": "low"}, ["not_quote", "afp"]),
        ({"confidence_band": "medium"}, ["partial"]),
        ({"confidence_band": "high"}, ["verified"]),
        ({"reject_reason__exact": "not_quote"}, ["not_quote"]),
        ({"curated__exact": "1"}, ["not_quote"]),
    ],
)
def test_list_filters(cclient, variety, params, expected):
    assert listed(cclient, **params) == [variety[name].pk for name in expected]


def test_organisation_filter(cclient, variety):
    assert listed(cclient, organisation__id__exact=variety["org"].pk) == [variety["partial"].pk]


def test_search_text_speaker_alias_and_title(cclient):
    putin = SpeakerFactory(name="Vladimir Putin")
    SpeakerAlias.objects.create(speaker=putin, name="Putin")
    SpeakerAlias.objects.create(speaker=putin, name="President Putin")
    by_putin = QuoteFactory(speaker=putin, text="We are satisfied")
    titled = QuoteFactory(article=ArticleFactory(title="Geneva summit ends"), text="A long day")
    worded = QuoteFactory(text="Sanctions will follow")
    assert listed(cclient, q="sanctions") == [worded.pk]
    assert listed(cclient, q="Vladimir") == [by_putin.pk]
    assert listed(cclient, q="President Putin") == [by_putin.pk]
    assert listed(cclient, q="Putin") == [by_putin.pk]  # three matching names, one row
    assert listed(cclient, q="summit") == [titled.pk]


def test_search_runs_the_sites_full_text_search(cclient):
    """Words are matched as the public search matches them: stems, phrases, exclusions, or."""
    follow = QuoteFactory(text="Sanctions will follow if the troops cross the border")
    tariffs = QuoteFactory(text="Tariffs will follow next week")
    QuoteFactory(text="We are ready to talk")
    assert listed(cclient, q="following sanction") == [follow.pk]  # "following" ~ "follow"
    assert sorted(listed(cclient, q='"will follow"')) == sorted([follow.pk, tariffs.pk])
    assert listed(cclient, q='"will follow" -tariffs') == [follow.pk]
    assert sorted(listed(cclient, q="troops or tariffs")) == sorted([follow.pk, tariffs.pk])


def test_search_finds_a_speakers_spelling_variant(cclient):
    peskov = SpeakerFactory(name="Dmitry Peskov")
    by_peskov = QuoteFactory(speaker=peskov, text="No comment")
    QuoteFactory(text="No comment either")
    assert listed(cclient, q="Peskow") == [by_peskov.pk]
    assert listed(cclient, q="peskov") == [by_peskov.pk]


def test_search_falls_back_to_substrings_when_no_word_is_left(cclient):
    """Input the query parser can make nothing of still searches, as plain substrings."""
    percent = QuoteFactory(text="Prices rose 5% in a month")
    QuoteFactory(text="Prices fell")
    assert listed(cclient, q="%") == [percent.pk]


def test_verify_action_counts_and_records_curator(cclient, curator):
    a, b = QuoteFactory(), QuoteFactory()
    done = QuoteFactory(status=Quote.Status.VERIFIED)
    resp = run_action(cclient, "verify", [a, b, done])
    assert "2 quotes verified. 1 already was." in messages_of(resp)
    a.refresh_from_db()
    assert a.status == Quote.Status.VERIFIED and a.curated
    last = a.history.latest()
    assert last.history_user == curator and last.history_change_reason == "Verified"
    assert last.prev_record.status == Quote.Status.UNREVIEWED


def test_reject_and_not_a_quote_actions(cclient):
    a, b = QuoteFactory(), QuoteFactory()
    resp = run_action(cclient, "reject", [a])
    assert "1 quote rejected." in messages_of(resp)
    resp = run_action(cclient, "mark_not_a_quote", [a, b])
    assert "2 quotes marked as not a quote." in messages_of(resp)
    a.refresh_from_db()
    assert (a.status, a.reject_reason, a.curated) == ("rejected", "not_quote", True)


def test_reassign_action_goes_through_an_autocomplete_form(cclient, curator):
    org = OrganisationFactory(name="Kremlin")
    peskov = SpeakerFactory(name="Dmitry Peskov", organisation=org)
    a, b = QuoteFactory(), QuoteFactory()
    page = run_action(cclient, "reassign_speaker", [a, b])
    html = page.content.decode()
    assert "Reassign quotes to another speaker" in html
    assert "admin-autocomplete" in html and "autocomplete.js" in html
    resp = run_action(cclient, "reassign_speaker", [a, b], apply="1", speaker=peskov.pk, use_organisation="on")
    assert "2 quotes reassigned to Dmitry Peskov." in messages_of(resp)
    a.refresh_from_db()
    assert (a.speaker, a.organisation, a.curated) == (peskov, org, True)
    assert a.history.latest().history_user == curator


def test_reassign_without_speaker_shows_the_form_again(cclient):
    q = QuoteFactory()
    resp = run_action(cclient, "reassign_speaker", [q], apply="1")
    assert "This field is required" in resp.content.decode()
    q.refresh_from_db()
    assert not q.curated


def test_set_and_clear_organisation(cclient):
    org = OrganisationFactory(name="European Commission")
    a, b = QuoteFactory(), QuoteFactory(organisation=org)
    resp = run_action(cclient, "set_organisation", [a, b], apply="1", organisation=org.pk)
    assert "1 quote set to European Commission. 1 already was." in messages_of(resp)
    resp = run_action(cclient, "set_organisation", [a, b], apply="1", organisation="")
    assert "2 quotes cleared of their organisation." in messages_of(resp)
    assert Quote.objects.filter(organisation__isnull=True, curated=True).count() == 2


def test_autocomplete_answers_a_curator(cclient):
    SpeakerFactory(name="Maria Costa")
    resp = cclient.get(
        reverse("admin:autocomplete"),
        {"term": "Costa", "app_label": "quotes", "model_name": "quote", "field_name": "speaker"},
    )
    assert [r["text"] for r in resp.json()["results"]] == ["Maria Costa"]


def test_change_page_shows_context_cue_and_public_link(cclient):
    body = "Talks resumed.\n“We are ready to talk,” the minister said on Monday. Nobody else spoke.\nThe end."
    start = body.index("We are")
    quote = QuoteFactory(
        article=ArticleFactory(body=body), text="We are ready to talk,", start=start, end=start + 21, cue="said"
    )
    html = cclient.get(reverse("admin:quotes_quote_change", args=[quote.pk])).content.decode()
    assert '<mark class="quote">We are ready to talk,</mark>' in html
    assert '<mark class="cue">said</mark> on Monday' in html
    assert "Talks resumed." not in html.split('class="quote-context"')[1].split("</div>")[0]
    assert f'href="/quotes/{quote.pk}/"' in html
    assert f'href="{quote.speaker.get_absolute_url()}"' in html


def test_context_escapes_article_text(cclient):
    body = "Intro\n“<script>alert(1)</script>,” she said."
    quote = QuoteFactory(article=ArticleFactory(body=body), text="<script>alert(1)</script>,", start=7, end=33)
    html = cclient.get(reverse("admin:quotes_quote_change", args=[quote.pk])).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_editing_a_quote_marks_it_curated_and_shows_the_diff(cclient, curator):
    quote = QuoteFactory()
    other = SpeakerFactory(name="Jen Psaki")
    url = reverse("admin:quotes_quote_change", args=[quote.pk])
    data = {
        "speaker": other.pk, "speaker_description": "", "organisation": "", "kind": "full",
        "status": "rejected", "reject_reason": "",
        "reports-TOTAL_FORMS": "0", "reports-INITIAL_FORMS": "0", "reports-MIN_NUM_FORMS": "0", "reports-MAX_NUM_FORMS": "0",
    }
    resp = cclient.post(url, data)
    assert resp.status_code == 302, resp.context["adminform"].form.errors
    quote.refresh_from_db()
    assert (quote.speaker, quote.status, quote.reject_reason, quote.curated) == (other, "rejected", "wrong", True)
    assert quote.history.latest().history_user == curator
    html = cclient.get(url).content.decode()
    assert "Recent changes" in html and "<ins>Jen Psaki</ins>" in html and "<del>unreviewed</del>" in html
    assert "cora" in html
    history = cclient.get(reverse("admin:quotes_quote_history", args=[quote.pk]))
    assert history.status_code == 200 and "Jen Psaki" in history.content.decode()


def test_rejected_quote_has_no_view_on_site_button(cclient):
    public, rejected = QuoteFactory(), QuoteFactory(status=Quote.Status.REJECTED, reject_reason="wrong")
    public_html = cclient.get(reverse("admin:quotes_quote_change", args=[public.pk])).content.decode()
    rejected_html = cclient.get(reverse("admin:quotes_quote_change", args=[rejected.pk])).content.decode()
    assert "viewsitelink" in public_html and "viewsitelink" not in rejected_html
    assert "rejected quotes are not public" in rejected_html
