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
