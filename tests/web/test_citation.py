"""The copy text is what journalists paste into their copy: every case is an exact string."""
import datetime as dt
import json

import pytest

from quotes.web.cards import quote_cards
from quotes.web.citation import words_before_attribution, typographic, with_the
from quotes.models import SpeakerAppearance
from tests.factories import ArticleFactory, OrganisationFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db


def attribution_texts(quote):
    """Every copy format of `quote`, as its card on a page carries them."""
    return quote_cards([quote])[0].copy


def attribution_text(quote, fmt="plain"):
    return attribution_texts(quote)[fmt]


def appear(quote, role="", organisation=None):
    return SpeakerAppearance.objects.create(
        speaker=quote.speaker, article=quote.article, name_as_written=quote.speaker.name,
        role=role, organisation=organisation,
    )


@pytest.fixture
def dw():
    return ArticleFactory(outlet="DW", published=dt.date(2021, 12, 30), url="https://p.dw.com/p/44yl3")


def test_quote_given_to_the_outlet_credits_it_in_the_verb():
    article = ArticleFactory(outlet="Euronews", published=dt.date(2021, 12, 28), url="")
    quote = QuoteFactory(
        article=article, text="Ukraine has always been wary of deals made over its head.",
        speaker__name="Peter Dickinson", cue="told Euronews",
    )
    appear(quote, "Ukraine Editor", OrganisationFactory(name="Atlantic Council"))
    assert attribution_text(quote) == (
        "“Ukraine has always been wary of deals made over its head,” "
        "Peter Dickinson, Ukraine Editor at the Atlantic Council, told Euronews."
    )


def test_quote_reported_by_an_outlet_names_outlet_date_and_url(dw):
    quote = QuoteFactory(article=dw, text="in the mood for a conversation, this is what we want.",
                         speaker__name="Dmitry Peskov", cue="said")
    appear(quote, "Kremlin spokesman", OrganisationFactory(name="Kremlin"))
    assert attribution_text(quote) == (
        "“in the mood for a conversation, this is what we want,” Kremlin spokesman Dmitry Peskov said, "
        "as reported by DW on 30 December 2021. https://p.dw.com/p/44yl3"
    )


def test_no_url_when_none_is_known_and_no_date_when_none_is_known():
    article = ArticleFactory(outlet="Al Jazeera", published=None, url="")
    quote = QuoteFactory(article=article, text="We are ready to talk,", speaker__name="Ana Lima", cue="said")
    assert attribution_text(quote) == "“We are ready to talk,” Ana Lima said, as reported by Al Jazeera."


def test_role_is_the_one_the_article_gave_not_the_current_one(dw):
    speaker = SpeakerFactory(name="Ana Lima", role="Foreign minister")
    quote = QuoteFactory(article=dw, speaker=speaker, text="No comment.")
    appear(quote, "deputy spokesperson")
    assert attribution_text(quote).startswith("“No comment,” deputy spokesperson Ana Lima said, as reported by DW")


def test_long_role_goes_after_the_name(dw):
    quote = QuoteFactory(article=dw, text="It is a test.", speaker__name="Ana Lima")
    appear(quote, "a senior fellow for Russia and Eurasia studies")
    assert attribution_text(quote).startswith(
        "“It is a test,” Ana Lima, a senior fellow for Russia and Eurasia studies, said, as reported by DW"
    )


def test_organisation_without_role_follows_the_name(dw):
    quote = QuoteFactory(article=dw, text="It is a test.", speaker__name="Ana Lima")
    appear(quote, "", OrganisationFactory(name="NATO"))
    assert attribution_text(quote).startswith("“It is a test,” Ana Lima of NATO said, as reported by DW")


def test_anonymous_source_uses_the_description(dw):
    quote = QuoteFactory(article=dw, speaker=None, speaker_description="A senior administration official",
                         text="gravely concerned", kind="partial", cue="said")
    assert attribution_text(quote) == (
        "“gravely concerned,” a senior administration official said, as reported by DW on 30 December 2021. "
        "https://p.dw.com/p/44yl3"
    )


def test_organisation_statement_names_the_organisation(dw):
    quote = QuoteFactory(article=dw, speaker=None, organisation=OrganisationFactory(name="White House"),
                         text="The call will take place on Thursday.", cue="said in a statement")
    assert attribution_text(quote) == (
        "“The call will take place on Thursday,” the White House said in a statement, "
        "as reported by DW on 30 December 2021. https://p.dw.com/p/44yl3"
    )


def test_according_to_puts_the_source_after_the_words(dw):
    quote = QuoteFactory(article=dw, text="diplomatic path", kind="partial", speaker__name="Ana Lima",
                         cue="according to")
    appear(quote, "spokeswoman")
    assert attribution_text(quote) == (
        "“diplomatic path,” according to spokeswoman Ana Lima, as reported by DW on 30 December 2021. "
        "https://p.dw.com/p/44yl3"
    )


def test_told_another_outlet_still_says_where_it_was_reported(dw):
    quote = QuoteFactory(article=dw, text="Yes.", speaker__name="Ana Lima", cue="told AFP")
    assert attribution_text(quote) == (
        "“Yes,” Ana Lima told AFP, as reported by DW on 30 December 2021. https://p.dw.com/p/44yl3"
    )


def test_unattributed_quote_says_so(dw):
    quote = QuoteFactory(article=dw, speaker=None, text="blah blah blah", cue="")
    assert attribution_text(quote) == (
        "“blah blah blah” (speaker not identified), as reported by DW on 30 December 2021. https://p.dw.com/p/44yl3"
    )


def test_questions_keep_their_mark_and_inner_quotes_become_single():
    assert words_before_attribution("Why now?") == "Why now?"
    assert words_before_attribution('We call it "Munich syndrome".') == "We call it ‘Munich syndrome’,"
    assert typographic("There's always been a mantra: 'Nothing about Ukraine'") == (
        "There’s always been a mantra: ‘Nothing about Ukraine’"
    )


def test_the_is_added_to_institutions_not_to_names_or_acronyms():
    assert with_the("Atlantic Council") == "the Atlantic Council"
    assert with_the("NATO") == "NATO"
    assert with_the("Reuters") == "Reuters"
    assert with_the("University of Oxford") == "the University of Oxford"


def test_markdown_html_and_csl_formats(dw):
    quote = QuoteFactory(article=dw, text="We are ready to talk,", speaker__name="Ana Lima", cue="said")
    texts = attribution_texts(quote)
    assert texts["markdown"] == (
        "> “We are ready to talk,” Ana Lima said, as reported by [DW](https://p.dw.com/p/44yl3) on 30 December 2021."
    )
    assert texts["html"] == (
        '<figure>\n  <blockquote cite="https://p.dw.com/p/44yl3">\n    <p>“We are ready to talk”</p>\n'
        "  </blockquote>\n"
        '  <figcaption>— Ana Lima said, as reported by <cite><a href="https://p.dw.com/p/44yl3">DW</a></cite>'
        " on 30 December 2021.</figcaption>\n</figure>"
    )
    [item] = json.loads(texts["csl"])
    assert item == {
        "id": f"quote-{quote.pk}",
        "type": "article-newspaper",
        "title": dw.title,
        "container-title": "DW",
        "URL": "https://p.dw.com/p/44yl3",
        "issued": {"date-parts": [[2021, 12, 30]]},
        "note": texts["plain"],
    }


def test_markup_in_quote_text_stays_text_in_every_format(dw):
    quote = QuoteFactory(article=dw, text="<script>alert(1)</script> & more", speaker__name="Ana <b>Lima</b>")
    texts = attribution_texts(quote)
    assert texts["plain"].startswith("“<script>alert(1)</script> & more,” Ana <b>Lima</b> said")
    assert "<script>" not in texts["html"] and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in texts["html"]
    assert "&lt;b&gt;Lima&lt;/b&gt;" in texts["html"]
    assert "\\<script\\>" in texts["markdown"]
    assert json.loads(texts["csl"])[0]["note"] == texts["plain"]
