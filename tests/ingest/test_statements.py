"""Statements across articles: the same words reported by several outlets share a group."""
import pytest

from quotes.ingest import statements as ingest_statements
from quotes.ingest import store
from quotes.extraction.types import ArticleMeta, ExtractedQuote, ExtractionResult
from quotes.models import Quote, Speaker, StatementGroup

pytestmark = pytest.mark.django_db


def test_same_statement_in_two_outlets_shares_a_group(seeded_db):
    price = Speaker.objects.get(name="Ned Price")
    grouped = price.quotes.filter(text__startswith="The two discussed")
    assert grouped.count() == 2
    assert grouped.values("statement_group").distinct().count() == 1
    assert grouped.first().statement_group_id is not None


def test_statement_linker_reads_the_same_pages_as_one_query_per_key():
    """The batched same-words pages are, key by key, the first LINK_KEY_PAGE quotes by id of
    the other articles (what one query per quote read), however many copies exist."""
    from tests.factories import ArticleFactory, QuoteFactory

    speaker = Speaker.objects.create(name="Rosa Lindqvist")
    texts = ["We will not sign this agreement today.", "Never.", "Talks continue"]
    for n in range(ingest_statements.LINK_KEY_PAGE + 5):
        article = ArticleFactory()
        for i, text in enumerate(texts[: 1 + n % 3]):
            QuoteFactory(article=article, text=text, speaker=speaker, start=i * 100, end=i * 100 + len(text))
    own = ArticleFactory()
    mine = [Quote(article=own, text=t, speaker=speaker, start=i, end=i + 1) for i, t in enumerate(texts + ["New words"])]
    for quote in mine:
        ingest_statements.quote_set_keys(quote)
    linker = ingest_statements.StatementLinker(own.pk, mine)
    for quote in mine:
        expected = list(
            Quote.objects.exclude(article=own).filter(text_key=quote.text_key).order_by("id")
            .values_list("id", flat=True)[: ingest_statements.LINK_KEY_PAGE]
        )
        assert [c.id for c in linker.exact.get(quote.text_key, [])] == expected


def test_two_quotes_of_one_article_matching_one_ungrouped_quote_share_its_new_group():
    """The group created for another article's quote while linking the first quote is the one
    the second quote joins: candidates read once keep what linking did to them."""
    from tests.factories import QuoteFactory

    words = "We will not sign this agreement under any circumstances at all"
    other = QuoteFactory(text=words, end=len(words))
    assert other.statement_group_id is None
    # The first quote finds it by its opening words (read when needed) and creates the group;
    # the second has the same words, so it was in the same-words page read before that.
    longer = words + " whatsoever"
    result = ExtractionResult(
        meta=ArticleMeta(title="Copies"),
        body=f"“{longer}.” And again: “{words}”",
        quotes=[
            ExtractedQuote(text=longer + ".", start=1, end=len(longer) + 2, method="none"),
            ExtractedQuote(text=words, start=len(longer) + 16, end=len(longer) + 16 + len(words), method="none"),
        ],
    )
    outcome = store.article_store(result, "f" * 64, "copies.txt")
    other.refresh_from_db()
    groups = set(outcome.article.quotes.values_list("statement_group_id", flat=True))
    assert other.statement_group_id is not None and groups == {other.statement_group_id}
    assert StatementGroup.objects.count() == 1
