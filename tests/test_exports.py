import csv
import io
import json

import pytest
from django.core.management import call_command

from tests.factories import QuoteFactory

pytestmark = pytest.mark.django_db

REQUIRED = {"quote", "kind", "speaker", "speaker_description", "organisation", "cue", "confidence",
            "article_title", "outlet", "published", "url", "status"}


def test_jsonl_has_one_record_per_quote_with_required_fields():
    q = QuoteFactory(text="We are <b>ready</b>", speaker__name="Ana Lima")
    QuoteFactory(speaker=None, speaker_description="a senior official")
    out = io.StringIO()
    call_command("export_quotes", "--format", "jsonl", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == 2
    assert REQUIRED <= set(records[0])
    first = next(r for r in records if r["id"] == q.pk)
    assert first["quote"] == "We are <b>ready</b>" and first["speaker"] == "Ana Lima"
    assert first["published"] == "2022-01-10"
    anonymous = next(r for r in records if r["id"] != q.pk)
    assert anonymous["speaker"] is None and anonymous["speaker_description"] == "a senior official"


def test_csv_has_header_and_rows():
    QuoteFactory(text='He said "no", twice')
    out = io.StringIO()
    call_command("export_quotes", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 1 and rows[0]["quote"] == 'He said "no", twice'
