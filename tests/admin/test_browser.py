"""A curator in headless Chromium finds the weakest attribution, reassigns it and verifies it.

Runs on SQLite only (the live server shares the in-memory test database) and needs Debian's
chromium plus the playwright package; never `playwright install`. Screenshots go to
/tmp/screens-admin/. The ORM is used only outside the Playwright block: Playwright's sync API
runs an event loop, inside which Django refuses synchronous queries.
"""
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection

from quotes.models import Quote
from tests.factories import ArticleFactory, QuoteFactory, SpeakerFactory

# serialized_rollback restores what the migrations wrote (the curator group) after the flush.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENS = Path("/tmp/screens-admin")
BODY = (
    "Union rejects pay offer\n"
    "“We will not back down,” said Maria Costa, the union's spokeswoman, after a long night of talks.\n"
    "“The offer is final,” said John Reed, a spokesman for the Ministry of Labour.\n"
)


@pytest.fixture
def sync_playwright():
    if connection.vendor != "sqlite":
        pytest.skip("browser tests run on SQLite only")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")
    return pytest.importorskip("playwright.sync_api").sync_playwright


def test_curator_reassigns_and_verifies_the_weakest_quote(sync_playwright, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    curator = User.objects.create_user("cora", password="curate-me-please", is_staff=True)
    curator.groups.add(Group.objects.get(name="curator"))
    costa = SpeakerFactory(name="Maria Costa", role="union spokeswoman")
    reed = SpeakerFactory(name="John Reed")
    article = ArticleFactory(title="Union rejects pay offer", outlet="Example Post", body=BODY)
    start = BODY.index("We will")
    weakest = QuoteFactory(
        article=article, text="We will not back down,", start=start, end=start + 22, speaker=reed,
        confidence=0.21, cue="said", method="pronoun",
    )
    start = BODY.index("The offer")
    QuoteFactory(article=article, text="The offer is final,", start=start, end=start + 19, speaker=reed,
                 confidence=0.93, cue="said")
    QuoteFactory(confidence=0.55)
    SCREENS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/admin/login/?next=/admin/quotes/quote/")
        page.fill("#id_username", "cora")
        page.fill("#id_password", "curate-me-please")
        page.click("input[type=submit]")
        page.wait_for_selector("#result_list")

        # The list is sorted weakest first: the first row is the one to look at.
        first_row = page.locator("#result_list tbody tr").first
        assert "We will not back down" in first_row.inner_text()
        first_row.locator("input.action-select").check()
        page.select_option("select[name=action]", "reassign_speaker")
        page.click("button[name=index]")

        page.wait_for_selector(".field-speaker .select2-selection")
        page.click(".field-speaker .select2-selection")
        page.fill(".select2-search__field", "Costa")
        page.locator(".select2-results__option", has_text="Maria Costa").click()
        page.screenshot(path=str(SCREENS / "reassign-form.png"), full_page=True)
        page.click("input[name=apply]")
        assert "1 quote reassigned to Maria Costa." in page.inner_text(".messagelist")

        first_row = page.locator("#result_list tbody tr").first
        assert "Maria Costa" in first_row.inner_text()
        first_row.locator("input.action-select").check()
        page.select_option("select[name=action]", "verify")
        page.click("button[name=index]")
        assert "1 quote verified." in page.inner_text(".messagelist")
        page.screenshot(path=str(SCREENS / "changelist-after.png"), full_page=True)

        page.goto(f"{live_server.url}/admin/quotes/quote/{weakest.pk}/change/")
        page.click("fieldset.collapse summary")  # open "History"
        assert page.inner_text("mark.quote") == "We will not back down,"
        page.screenshot(path=str(SCREENS / "quote-change.png"), full_page=True)
        browser.close()

    weakest.refresh_from_db()
    assert (weakest.speaker, weakest.status, weakest.curated) == (costa, Quote.Status.VERIFIED, True)
    assert set(weakest.history.values_list("history_user__username", flat=True)) >= {"cora"}
