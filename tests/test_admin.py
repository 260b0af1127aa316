"""The curation admin, driven as a curator (not a superuser) through Django's test client."""
import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quotes.models import Article, Quote, QuoteReport, SlugRedirect, Speaker, SpeakerAlias
from tests.factories import ArticleFactory, OrganisationFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

QUOTES = "admin:quotes_quote_changelist"
PASTED = """Union rejects pay offer

“We will not back down,” said Maria Costa, the union's spokeswoman.

“The offer is final,” said John Reed, a spokesman for the Ministry of Labour.
"""


@pytest.fixture
def curator(db):
    user = User.objects.create_user("cora", is_staff=True)
    user.groups.add(Group.objects.get(name="curator"))
    return user


@pytest.fixture
def cclient(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def admin_nlp(monkeypatch, nlp):
    """The admin loads its own pipeline once per process; tests share the session one."""
    monkeypatch.setattr("quotes.admin.shared_nlp", lambda: nlp)
    return nlp


def listed(client, url_name=QUOTES, **params):
    resp = client.get(reverse(url_name), params)
    assert resp.status_code == 200
    return [obj.pk for obj in resp.context["cl"].result_list]


def listed_objs(client, url_name, **params):
    return list(client.get(reverse(url_name), params).context["cl"].result_list)


def run_action(client, action, objs, url_name=QUOTES, **extra):
    data = {"action": action, "_selected_action": [o.pk for o in objs], **extra}
    return client.post(reverse(url_name), data, follow=True)


def messages_of(resp):
    return [str(m) for m in resp.context["messages"]]


# --- Changelist ---------------------------------------------------------------------------


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


def test_reported_not_yet_handled_is_a_queue(cclient, curator):
    open_q, handled_q, quiet = QuoteFactory(), QuoteFactory(), QuoteFactory()
    QuoteReport.objects.create(quote=open_q, note="Wrong person")
    QuoteReport.objects.create(
        quote=handled_q, note="Typo", handled_at=dt.datetime(2022, 1, 1, tzinfo=dt.UTC), resolution="fixed"
    )
    assert listed(cclient, reports="open") == [open_q.pk]
    assert listed(cclient, reports="handled") == [handled_q.pk]
    assert listed(cclient, reports="none") == [quiet.pk]
    assert "Reported, not yet handled" in cclient.get(reverse(QUOTES)).content.decode()


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


# --- Actions ------------------------------------------------------------------------------


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


# --- Quote change page --------------------------------------------------------------------


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


def test_handling_a_report_inline_records_who_and_how(cclient, curator):
    quote = QuoteFactory()
    report = QuoteReport.objects.create(quote=quote, note="That was the deputy, not the minister")
    url = reverse("admin:quotes_quote_change", args=[quote.pk])
    assert "That was the deputy" in cclient.get(url).content.decode()
    data = {
        "speaker": quote.speaker_id, "speaker_description": "", "organisation": "", "kind": "full",
        "status": "unreviewed", "reject_reason": "",
        "reports-TOTAL_FORMS": "1", "reports-INITIAL_FORMS": "1", "reports-MIN_NUM_FORMS": "0", "reports-MAX_NUM_FORMS": "0",
        "reports-0-id": report.pk, "reports-0-quote": quote.pk, "reports-0-resolution": "no_change",
    }
    assert cclient.post(url, data).status_code == 302
    report.refresh_from_db()
    quote.refresh_from_db()
    assert (report.resolution, report.handled_by) == ("no_change", curator) and report.handled_at
    assert not quote.curated  # closing a report is not an edit of the quote
    assert listed(cclient, reports="open") == []


def test_report_queue_actions(cclient, curator):
    reports = [QuoteReport.objects.create(quote=QuoteFactory(), note=f"n{i}") for i in range(3)]
    resp = run_action(cclient, "mark_spam", reports[:2], url_name="admin:quotes_quotereport_changelist")
    assert "2 reports closed as “spam”." in messages_of(resp)
    assert listed(cclient, "admin:quotes_quotereport_changelist", handled="no") == [reports[2].pk]
    assert QuoteReport.objects.filter(handled_by=curator, resolution="spam").count() == 2


# --- Speakers and organisations -------------------------------------------------------------


def test_speaker_list_counts_quotes_without_n_plus_one(cclient):
    busy = SpeakerFactory(name="Busy Speaker")
    SpeakerAlias.objects.create(speaker=busy, name="B. Speaker")
    QuoteFactory.create_batch(3, speaker=busy)
    QuoteFactory(speaker=busy, status=Quote.Status.VERIFIED)
    resp = cclient.get(reverse("admin:quotes_speaker_changelist"), {"q": "Speaker"})
    row = next(s for s in resp.context["cl"].result_list if s.pk == busy.pk)
    assert (row.quote_count, row.verified_count) == (4, 1)


def test_speaker_merge_action(cclient):
    keep = SpeakerFactory(name="Sergei Lavrov")
    drop = SpeakerFactory(name="Sergey Lavrov", role="foreign minister")
    QuoteFactory.create_batch(2, speaker=drop)
    page = run_action(cclient, "merge", [keep, drop], url_name="admin:quotes_speaker_changelist")
    assert "Merge speakers" in page.content.decode()
    resp = run_action(
        cclient, "merge", [keep, drop], url_name="admin:quotes_speaker_changelist", apply="1", survivor=keep.pk
    )
    assert "Merged 1 speaker into Sergei Lavrov: 2 quotes and 1 alias moved." in messages_of(resp)
    assert not Speaker.objects.filter(pk=drop.pk).exists()
    assert keep.quotes.count() == 2 and keep.aliases.filter(name="Sergey Lavrov").exists()
    assert SlugRedirect.objects.get(old_slug=drop.slug).speaker == keep


def test_merge_needs_two_rows(cclient):
    only = SpeakerFactory()
    resp = run_action(cclient, "merge", [only], url_name="admin:quotes_speaker_changelist", apply="1", survivor=only.pk)
    assert "Select at least two rows to merge." in resp.content.decode()


def test_organisation_merge_action(cclient):
    keep, drop = OrganisationFactory(name="NATO"), OrganisationFactory(name="North Atlantic Treaty Organization")
    QuoteFactory(organisation=drop)
    SpeakerFactory(organisation=drop)
    resp = run_action(
        cclient, "merge", [keep, drop], url_name="admin:quotes_organisation_changelist", apply="1", survivor=keep.pk
    )
    assert "Merged 1 organisation into NATO: 1 quote and 1 alias moved." in messages_of(resp)
    assert keep.quotes.count() == 1 and keep.speakers.count() == 1
    assert SlugRedirect.objects.get(old_slug=drop.slug).organisation == keep
    row = next(
        o for o in listed_objs(cclient, "admin:quotes_organisation_changelist") if o.pk == keep.pk
    )
    assert (row.quote_count, row.speaker_count) == (1, 1)



# --- Articles -----------------------------------------------------------------------------


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


# --- Permissions --------------------------------------------------------------------------


def test_curator_cannot_manage_users_or_delete_quotes(cclient):
    assert cclient.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert cclient.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert cclient.get(reverse("admin:auth_user_add")).status_code == 403
    index = cclient.get(reverse("admin:index")).content.decode()
    assert "Quotes" in index and "/admin/auth/user/" not in index
    quote = QuoteFactory()
    resp = run_action(cclient, "delete_selected", [quote])
    assert Quote.objects.filter(pk=quote.pk).exists()
    assert "No action selected." in resp.content.decode() or resp.status_code in (200, 403)


def test_curator_group_has_no_auth_permissions():
    perms = Group.objects.get(name="curator").permissions.all()
    assert perms.exists()
    assert not perms.exclude(content_type__app_label="quotes").exists()
    assert not perms.filter(codename__in=["delete_quote", "delete_article", "delete_speaker"]).exists()


def test_non_staff_cannot_open_the_admin(client):
    client.force_login(User.objects.create_user("reader"))
    assert client.get(reverse(QUOTES)).status_code == 302


def test_editing_a_speaker_role_is_kept_with_history(cclient, curator):
    speaker = SpeakerFactory(name="Jen Psaki", role="spokesperson")
    url = reverse("admin:quotes_speaker_change", args=[speaker.pk])
    management = {
        f"{prefix}-{key}": value
        for prefix in ("aliases", "appearances")
        for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0", "MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}.items()
    }
    data = {"name": "Jen Psaki", "role": "White House press secretary", "organisation": "", "gender": "f",
            "wikidata_id": "", **management}
    resp = cclient.post(url, data)
    assert resp.status_code == 302, resp.context["adminform"].form.errors
    speaker.refresh_from_db()
    assert speaker.curated and speaker.role == "White House press secretary"
    assert speaker.history.latest().history_user == curator
    assert "<ins>White House press secretary</ins>" in cclient.get(url).content.decode()


def test_rejected_quote_has_no_view_on_site_button(cclient):
    public, rejected = QuoteFactory(), QuoteFactory(status=Quote.Status.REJECTED, reject_reason="wrong")
    public_html = cclient.get(reverse("admin:quotes_quote_change", args=[public.pk])).content.decode()
    rejected_html = cclient.get(reverse("admin:quotes_quote_change", args=[rejected.pk])).content.decode()
    assert "viewsitelink" in public_html and "viewsitelink" not in rejected_html
    assert "rejected quotes are not public" in rejected_html
