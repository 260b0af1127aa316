"""Page text to article text: chrome removed, metadata read from what the page shows."""
import datetime as dt

import pytest

from quotes.extraction.clean import clean_article, parse_date


@pytest.mark.parametrize("text,expected", [
    ("By AFP - Dec 29,2021 - Last updated at Dec 29,2021", dt.date(2021, 12, 29)),
    ("December 30, 2021", dt.date(2021, 12, 30)),
    ("4 min. 31.12.2021 From our online archive", dt.date(2021, 12, 31)),
    ("Published 3 March 2023", dt.date(2023, 3, 3)),
    ("2022-07-01T10:00:00Z", dt.date(2022, 7, 1)),
    ("no date here", None),
])
def test_dates(text, expected):
    assert parse_date(text) == expected


PAGE = """Menu
Search

Harbour strike ends after nine days

By Coastal Wire with Reuters - Mar 3,2023
Share this article
Dock workers at the harbour on Friday
Dock workers at the harbour on Friday Copyright Jan Olsen / Coastal Wire

Dock workers voted on Friday to end a nine-day strike that had stranded dozens of ships.

“We got what we came for,” union leader Maria Costa told reporters.

©2023 Coastal Wire Ltd.
You might also like
Another story entirely
"""


def test_chrome_and_captions_are_removed():
    meta, body = clean_article(PAGE)
    assert meta.title == "Harbour strike ends after nine days"
    assert meta.outlet == "Coastal Wire"
    assert meta.byline == "Coastal Wire with Reuters"
    assert meta.published == dt.date(2023, 3, 3)
    assert body.splitlines()[0].startswith("Dock workers voted")
    for chrome in ["Share this article", "Copyright", "©", "You might also like", "Another story", "Menu"]:
        assert chrome not in body
    assert "“We got what we came for,” union leader Maria Costa told reporters." in body


def test_source_line_names_the_outlet():
    meta, body = clean_article("Floods hit the valley again\n\nRivers rose overnight across the valley and roads closed.\n\nSource: Valley Herald and news agencies")
    assert meta.outlet == "Valley Herald"
    assert "Source:" not in body


def test_url_line_names_the_outlet():
    meta, _ = clean_article("Floods hit the valley again\n\nhttps://www.valleyherald.com/p/123\n\nRivers rose overnight across the valley and roads closed.")
    assert meta.url == "https://www.valleyherald.com/p/123"
    assert meta.outlet == "Valleyherald"


# --- Whole articles: no furniture line ends the article, and every loss is counted -----------

BOXED = """Ferry fares to rise in spring

By Island Courier - Feb 2, 2024

The island's ferry company will raise fares by eight percent from April, its board decided on Thursday evening.

More from Island news
Lighthouse keeper retires after forty years
Council debates new harbour wall
“We will not pay more,” say angry islanders

Commuters who cross twice a day said the rise would cost them more than a week's wages over the year.

“It is another tax on people who have no bridge,” said Tomas Lind, who runs the commuters' association.

Read more: Ferry company posts record profit

The company said the increase covered higher fuel and crew costs and that it had frozen fares for three years.
"""


def test_a_recirculation_box_mid_article_is_dropped_and_the_article_goes_on():
    meta, body = clean_article(BOXED)
    assert meta.title == "Ferry fares to rise in spring"
    for furniture in ["More from", "Lighthouse keeper", "harbour wall", "angry islanders", "Read more", "record profit"]:
        assert furniture not in body
    for prose in ["Commuters who cross twice a day", "another tax on people who have no bridge",
                  "higher fuel and crew costs"]:
        assert prose in body
    assert meta.dropped_prose_chars == 0 and not meta.lost_most_prose


def test_a_paragraph_that_mentions_copyright_is_prose_not_a_copyright_line():
    page = ("Court rules on song dispute\n\nThe court said the copyright claim over the chorus was "
            "“without any merit at all,” and ordered the label to pay costs.\n\n© 2024 Court Reporter Ltd")
    _, body = clean_article(page)
    assert "without any merit at all" in body and "Court Reporter Ltd" not in body


def test_a_page_that_opens_with_prose_keeps_it_above_an_embedded_post():
    page = """Residents flee as hillside fire spreads

HILLTOWN — Thousands of residents drove through thick smoke on Friday as a fire spread across the hills above the town, officials said.

Crews worked through the night to hold the fire back from the school and the clinic, the county fire service said in a statement.

Cars queue on the only road out of Hilltown #hillfire pic.twitter.com/abc123
— Ana Ruiz (@anaruiz) May 3, 2024

“I have never seen smoke like it,” said Peter Holm, who left his farm with two dogs and a suitcase.
"""
    meta, body = clean_article(page)
    assert meta.title == "Residents flee as hillside fire spreads"
    assert "Thousands of residents drove through thick smoke" in body
    assert "Crews worked through the night" in body
    assert "I have never seen smoke like it" in body


def test_a_lower_case_menu_line_above_the_byline_is_not_the_headline():
    page = """News feed
Ministry figures show record harvest in the north of the country this year, officials said on Monday.
MORE NEWS
follow us on video
Minister: ‘We will not cut the grain subsidy,’ despite budget gap
by Staff Reporter March 4, 2024 1:10 PM
The agriculture minister said on Monday that the grain subsidy would stay “exactly as it is” next year.
"""
    meta, body = clean_article(page)
    assert meta.title.startswith("Minister: ‘We will not cut the grain subsidy,’")
    assert "“exactly as it is”" in body


def test_prose_the_cleaner_drops_is_counted_and_a_mostly_lost_page_is_flagged():
    page = "Short notice\n\n" + "\n\n".join(
        f"Related: A long teaser sentence number {n} about another story that readers may like to read." for n in range(6)
    ) + "\n\nThe only article paragraph says the meeting was moved to Tuesday afternoon next week."
    meta, body = clean_article(page)
    assert body == "The only article paragraph says the meeting was moved to Tuesday afternoon next week."
    assert meta.prose_chars > 4 * len(body)
    assert meta.dropped_prose_chars == meta.prose_chars - len(body)
    assert meta.lost_most_prose


@pytest.mark.parametrize("furniture", [
    "Jan Novak / AP",  # a photo credit
    "LISBON — The Harbour Times",  # a dateline naming the outlet
    "A caption that runs on and on describing every person standing in the photograph from the left to the right of the frame",
])
def test_a_credit_a_dateline_or_a_long_caption_above_the_byline_is_not_the_headline(furniture):
    page = (f"Ferry strike ends after nine days\n\n{furniture}\n\nBy Staff Reporter March 4, 2024\n\n"
            "Ferry crews voted on Friday to end a strike that had stranded island commuters for nine days.")
    meta, body = clean_article(page)
    assert meta.title == "Ferry strike ends after nine days"
    assert "Ferry crews voted on Friday" in body
