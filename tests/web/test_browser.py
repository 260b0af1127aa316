"""The site in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

Run on SQLite only (live_server's transactional database); scripts/test.sh installs Debian's
chromium when it is missing so CI runs these rather than skipping them.
"""
import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import expect

from quotes.web.cards import quote_cards
from quotes.models import Quote, SpeakerAppearance, StatementGroup
from tests.factories import ArticleFactory, OrganisationFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("browser tests run on SQLite only (live_server needs a transactional test database)")


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("SKIP_BROWSER_TESTS") == "1":
            pytest.skip("SKIP_BROWSER_TESTS=1 and no /usr/bin/chromium")
        pytest.fail(f"{CHROMIUM} is missing: run scripts/test.sh as root or `apt-get install -y chromium`")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls in the tests are
    # ordinary blocking calls made between browser steps.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(sqlite_only, browser, live_server):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def corpus(transactional_db):
    """A few articles from two outlets, one statement reported by both, one verified quote."""
    kremlin = OrganisationFactory(name="Kremlin")
    peskov = SpeakerFactory(name="Dmitry Peskov", organisation=kremlin)
    ushakov = SpeakerFactory(name="Yuri Ushakov", organisation=kremlin)
    dw = ArticleFactory(outlet="DW", published=dt.date(2021, 12, 30), url="https://p.dw.com/p/44yl3",
                        title="Biden and Putin to discuss Ukraine by phone",
                        body="Intro.\n\nPeskov said the Kremlin is “in the mood for a conversation, this is what we want.”"
                             "\n\nThe end.")
    afp = ArticleFactory(outlet="AFP", published=dt.date(2021, 12, 31), url="",
                         body="Ushakov said: “It will be a colossal mistake which could lead to the most serious "
                              "consequences,” he warned.")
    text = "in the mood for a conversation, this is what we want."
    start = dw.body.index(text)
    group = StatementGroup.objects.create()
    q1 = QuoteFactory(article=dw, speaker=peskov, text=text, start=start, end=start + len(text), cue="said",
                      statement_group=group, organisation=kremlin)
    SpeakerAppearance.objects.create(speaker=peskov, article=dw, name_as_written="Peskov",
                                     role="Kremlin spokesman", organisation=kremlin)
    text2 = "It will be a colossal mistake which could lead to the most serious consequences,"
    s2 = afp.body.index("It will")
    q2 = QuoteFactory(article=afp, speaker=ushakov, text=text2, start=s2, end=s2 + len(text2), cue="said",
                      status=Quote.Status.VERIFIED, organisation=kremlin)
    q3 = QuoteFactory(article=afp, speaker=peskov, text="in the mood for a conversation", start=0, end=5,
                      statement_group=group, cue="said")
    return {"peskov": peskov, "ushakov": ushakov, "dw": dw, "afp": afp, "q1": q1, "q2": q2, "q3": q3}


def test_search_from_the_home_page_ranks_and_highlights(page, corpus):
    page.goto("/")
    page.get_by_label("Search quotes by their words").fill("colossal mistake")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/quotes/\?q=colossal"))
    assert page.locator(".result-count").inner_text().startswith("1 quote")
    first = page.locator(".quote-card").first
    assert first.locator(".quote-text mark").all_inner_texts() == ["colossal", "mistake"]
    assert "Yuri Ushakov" in first.inner_text() and "Verified" in first.inner_text()


def test_filtering_by_outlet_and_speaker_facet(page, corpus):
    page.goto("/quotes/")
    assert page.locator(".quote-card").count() == 3
    page.get_by_label("Outlet").select_option("AFP")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(re.compile(r"outlet=AFP"))
    assert page.locator(".quote-card").count() == 2
    page.locator(".facets").get_by_role("link", name="Dmitry Peskov").click()
    page.wait_for_url(re.compile(r"speaker=dmitry-peskov"))
    cards = page.locator(".quote-card")
    assert cards.count() == 1 and "Dmitry Peskov" in cards.first.inner_text()
    page.get_by_role("link", name="Clear filters").click()
    assert page.locator(".quote-card").count() == 3


def test_malformed_search_shows_a_message(page, corpus):
    page.goto("/quotes/?q=%22")
    assert page.get_by_role("alert").first.is_visible()
    assert "No quotes found" in page.locator("#results").inner_text()


def test_speaker_page_with_timeline_bars_linking_to_quotes(page, corpus):
    page.goto(corpus["peskov"].get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == "Dmitry Peskov"
    assert "DW" in page.locator(".facts").inner_text() and "AFP" in page.locator(".facts").inner_text()
    bars = page.locator(".bars a")
    assert bars.count() == 2
    bars.first.click()
    page.wait_for_url(re.compile(r"date_after=2021-12-30&date_before=2021-12-30"))
    cards = page.locator(".quote-card")
    assert cards.count() == 1 and "DW" in cards.first.inner_text()


def test_article_page_marks_each_quote_with_its_speaker(page, corpus):
    page.goto(corpus["dw"].get_absolute_url())
    mark = page.locator(f"#q-{corpus['q1'].pk}")
    assert mark.is_visible()
    assert mark.locator(".q-label").inner_text().lower() == "dmitry peskov"
    mark.locator(".q-label").click()
    page.wait_for_url(re.compile(rf"/quotes/{corpus['q1'].pk}/$"))
    assert "Also reported by" in page.locator(".quote-card").inner_text()


def test_copy_button_puts_the_attribution_on_the_clipboard(page, corpus):
    quote = corpus["q1"]
    expected = quote_cards([quote])[0].copy["plain"]
    assert expected == (
        "“in the mood for a conversation, this is what we want,” Kremlin spokesman Dmitry Peskov said, "
        "as reported by DW on 30 December 2021. https://p.dw.com/p/44yl3"
    )
    page.goto(quote.get_absolute_url())
    button = page.locator(".quote-actions .copy-button")
    button.click()
    expect(page.locator(".copy-status")).to_have_text("Copied")  # set once the clipboard write resolves
    assert page.evaluate("navigator.clipboard.readText()") == expected


def test_copy_works_from_the_keyboard_and_in_other_formats(page, corpus):
    quote = corpus["q2"]
    page.goto("/quotes/?q=colossal")
    page.evaluate("navigator.clipboard.writeText('')")
    page.locator(".quote-actions .copy-button").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".copy-status").first).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == quote_cards([quote])[0].copy["plain"]
    page.get_by_text("Copy with attribution").first.click()
    page.get_by_role("button", name="Copy Markdown").first.click()
    markdown = quote_cards([quote])[0].copy["markdown"]
    # the clipboard write is asynchronous: wait until it holds the Markdown text
    page.wait_for_function("async (t) => (await navigator.clipboard.readText()) === t", arg=markdown, timeout=5000)
    assert page.evaluate("navigator.clipboard.readText()") == markdown


def test_without_javascript_the_copy_text_is_shown_selectable(sqlite_only, browser, live_server, corpus):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto(corpus["q1"].get_absolute_url())
    assert not page.locator(".quote-actions .copy-button").is_visible()
    textarea = page.get_by_label("Plain text")
    assert textarea.is_visible() and textarea.input_value() == quote_cards([corpus["q1"]])[0].copy["plain"]
    context.close()


def test_report_a_problem(page, corpus):
    page.goto(corpus["q2"].get_absolute_url())
    page.get_by_role("link", name="Report a problem with this attribution").click()
    page.get_by_label("What is wrong with this attribution?").fill("The speaker was Peskov, not Ushakov.")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_url(re.compile(rf"/quotes/{corpus['q2'].pk}/$"))
    assert "Thank you" in page.get_by_role("status").first.inner_text()
    assert corpus["q2"].reports.get().note == "The speaker was Peskov, not Ushakov."


def test_phone_layout_collapses_filters(sqlite_only, browser, live_server, corpus):
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    page.goto("/quotes/")
    assert page.locator("details.filter-panel").get_attribute("open") is None
    assert page.locator(".quote-card").first.is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "page scrolls sideways on a phone"
    context.close()
