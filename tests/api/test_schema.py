"""The API keeps its OpenAPI promise: schemathesis generates requests for every operation from
/api/openapi.json (valid and invalid parameters alike) and runs them against the Django app.

No request may cause a server error, and every response that the schema describes must match
it. A few examples per operation keep this fast; README "Hardening" has the long command-line run.
"""
import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from quotes.models import Quote, SpeakerAppearance, StatementGroup
from tests.factories import ArticleFactory, OrganisationFactory, QuoteFactory, SpeakerFactory

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Like Django's test client: the WSGI handler must not close the test's database connection
    (and with it the test transaction) at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(db, wsgi_keeps_the_test_connection):
    """Rows of every kind the API serves, including the nullable and empty cases."""
    org = OrganisationFactory(name="Kremlin", slug="kremlin", wikidata_id="Q1")
    speaker = SpeakerFactory(name="Dmitry Peskov", slug="dmitry-peskov", organisation=org)
    group = StatementGroup.objects.create()
    dated = ArticleFactory(outlet="DW", published=dt.date(2021, 12, 30))
    undated = ArticleFactory(outlet="", published=None, url="javascript:alert(1)")
    q = QuoteFactory(text="It will be a <b>colossal</b> mistake", speaker=speaker, article=dated,
                     statement_group=group, status=Quote.Status.VERIFIED)
    SpeakerAppearance.objects.create(speaker=speaker, article=dated, name_as_written="Peskov",
                                     role="Kremlin spokesman", organisation=org)
    QuoteFactory(text="A colossal mistake", speaker=speaker, article=undated, statement_group=group)
    QuoteFactory(text="An anonymous view", speaker=None, speaker_description="a senior official",
                 article=undated, start=40, end=60)
    QuoteFactory(text="Rejected", article=dated, start=70, end=80, status=Quote.Status.REJECTED)
    assert q.pk


@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_no_server_error_and_responses_match_the_schema(case, api_data):
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
