"""Quotation marks to spans: what a reader takes for the quoted words."""
from quotes.extraction.spans import find_spans


def quoted(text):
    return [text[s.start:s.end] for s in find_spans(text)]


def test_a_quotation_inside_a_quotation_stays_inside_it():
    text = "“The town is no longer the quiet place (“stille sted”) it was,” the mayor said."
    assert quoted(text) == ["The town is no longer the quiet place (“stille sted”) it was,"]


def test_a_curly_mark_that_lost_its_closing_one_hides_no_other_quotation():
    text = ("“We had big plans already,” Berg says. “So the first thing we wrote was a theme. "
            "The composer laughs. “I made two hundred demos for this film,” he says.")
    assert quoted(text) == ["We had big plans already,", "I made two hundred demos for this film,"]


def test_after_a_stray_straight_mark_the_paragraph_is_not_trusted():
    assert quoted('Officials called the plan "bold and the opposition called it "reckless.') == []
