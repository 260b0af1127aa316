"""Organisation names as text: cleaning and the kind a name suggests."""
import pytest

from quotes.extraction.organisations import clean_org_name, clean_org_name_for_ingest, organisation_kind


@pytest.mark.parametrize("name, kind", [
    ("Harbour Times", "news_agency"),
    ("World Health Organization", "international"),
    ("Nordic Trade Institute", "think_tank"),
    ("Ministry of Labour", "government"),
    ("Green Party", "party"),
    ("Acme Holdings Ltd", "company"),
    ("Harbour Workers Union", "other"),
    # the first pattern that matches wins
    ("Press Council", "news_agency"),
    ("Institute for Government", "think_tank"),
    ("Party Bank", "party"),
])
def test_organisation_kind(name, kind):
    assert organisation_kind(name) == kind


def test_clean_org_name():
    assert clean_org_name("the Foreign Ministry’s") == "Foreign Ministry"
    assert clean_org_name(" The  State\nDepartment. ") == "State Department"
    assert clean_org_name("THE Harbour Times") == "THE Harbour Times"


def test_clean_org_name_for_ingest_differs_only_where_it_always_did():
    assert clean_org_name_for_ingest("the Foreign Ministry’s") == "Foreign Ministry"
    assert clean_org_name_for_ingest("THE Harbour Times") == "Harbour Times"
    assert clean_org_name_for_ingest("the State  Department’s") == "State  Department"
