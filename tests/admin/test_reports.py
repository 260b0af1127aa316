"""Reader reports: the queue filter on the quote list, the inline on a quote, the report admin."""
import datetime as dt

import pytest
from django.urls import reverse

from quotes.models import QuoteReport
from tests.admin.helpers import QUOTES, listed, messages_of, run_action
from tests.factories import QuoteFactory

pytestmark = pytest.mark.django_db


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
