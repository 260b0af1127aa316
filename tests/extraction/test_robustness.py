"""Any text yields a result: no input makes the extractor raise."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.extraction import extract_article, extract_from_cleaned

MARKS = st.sampled_from(list("\"'“”‘’«»„ \n.,:;—-") + ["said", " he said.", "\n\n", "according to", "Ms Lee"])
TEXTS = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(MARKS, st.text(alphabet="abcXYZ ", max_size=12)), max_size=80).map("".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_never_raises_and_offsets_point_at_the_words(text, nlp):
    result = extract_article(text, nlp=nlp)
    for quote in result.quotes:
        assert result.body[quote.start:quote.end] == quote.text
        assert 0 <= quote.confidence <= 1
        assert quote.kind in ("full", "partial")


@pytest.mark.parametrize("text", [
    "",
    "   \n\n  ",
    "No quotation marks at all in this article, only reporting.",
    "“" * 500,
    "\"unbalanced quotes \" everywhere \" and \" nowhere \"",
    "«Nous ne céderons pas», a déclaré la ministre.",
    "„Wir geben nicht auf“, sagte die Ministerin.",
    "“这是一个测试，”他说。",
    "Word " * 30000 + "“A very long article still ends,” she said.",
])
def test_odd_inputs(text, nlp):
    result = extract_article(text, nlp=nlp)
    assert isinstance(result.quotes, list)


def test_long_article_is_parsed_in_chunks(nlp):
    paragraph = "The council met on Monday to discuss the budget for the coming year.\n\n"
    text = "Budget talks\n\n" + paragraph * 800 + "“We will balance the books,” said treasurer Ana Ruiz."
    result = extract_article(text, nlp=nlp)
    assert [(q.text, q.speaker) for q in result.quotes] == [("We will balance the books,", "Ana Ruiz")]


def test_body_without_quotes_skips_parsing():
    class NoParser:
        def pipe(self, *a, **k):
            raise AssertionError("should not parse")

    assert extract_from_cleaned("Nothing quoted here.", nlp=NoParser()).quotes == []


def test_given_name_table_is_the_one_gender_guesser_builds():
    """The detector reads its data file its own faster way; the table must not change."""
    import gender_guesser.detector as gd

    from quotes.extraction.names import _detector

    assert _detector().names == gd.Detector(case_sensitive=False).names
