"""Quote cards: what a page, the feed or the API shows of a quote besides its own fields (the
role its article gave the speaker, the other outlets, the paragraph, the copy texts), built for
a whole page with a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.template import engines
from django.utils.safestring import SafeString, mark_safe

from quotes import selectors
from quotes.models import Organisation, Quote, SpeakerAppearance
from quotes.web.citation import FORMATS, attribution_plain, attribution_texts
from quotes.web.text import quote_context

FORMAT_LABELS = dict(FORMATS)


@dataclass
class QuoteCard:
    quote: Quote
    appearance: SpeakerAppearance | None
    also_reported: list[Quote]  # the statement's reports in other articles, one per article
    copy: dict[str, str]  # copy format -> text (the API's cards hold "plain" only)
    context: dict | None = None  # before/quoted/after of the quote's paragraph
    highlight: SafeString | None = None  # the text with matched words in <mark>
    html: SafeString = field(default=SafeString(""))

    @property
    def role(self) -> str:
        return self.appearance.role if self.appearance else ""

    @property
    def role_organisation(self) -> Organisation | None:
        if self.appearance and self.appearance.organisation_id:
            return self.appearance.organisation
        return self.quote.organisation

    @property
    def display_text(self) -> str:
        # A trailing comma belongs to the reporter's sentence, not to the quotation.
        return self.quote.text.rstrip().removesuffix(",")

    @property
    def copy_list(self) -> list[tuple[str, str, str]]:
        return [(key, FORMAT_LABELS[key], text) for key, text in self.copy.items()]


def quote_cards(quotes, *, full: bool = True) -> list[QuoteCard]:
    """A card per quote, in order, in two queries. full=False (the API, the feed) leaves out the
    paragraph and builds the plain copy text only."""
    quotes = list(quotes)
    appearances = selectors.quote_appearances(quotes)
    reports = selectors.statement_reports(quotes)
    cards = []
    for q in quotes:
        appearance = appearances.get((q.speaker_id, q.article_id))
        seen, also = {q.article_id}, []
        for other in reports.get(q.statement_group_id, []):
            if other.article_id not in seen:
                seen.add(other.article_id)
                also.append(other)
        if full:
            cards.append(QuoteCard(q, appearance, also, attribution_texts(q, appearance), quote_context(q)))
        else:
            cards.append(QuoteCard(q, appearance, also, {"plain": attribution_plain(q, appearance)}))
    return cards


def rendered_cards(quotes, highlights: dict | None = None, **flags) -> list[QuoteCard]:
    """Cards with their HTML (`card.html`, the Jinja2 card template). Flags for the template:
    hide_context, compact, cite_open."""
    template = engines["jinja2"].get_template("quote_card.html")
    cards = quote_cards(quotes)
    for card in cards:
        highlight = (highlights or {}).get(card.quote.pk)
        card.highlight = mark_safe(highlight.rstrip().removesuffix(",")) if highlight else None
        card.html = mark_safe(template.render({"card": card, "quote": card.quote, **flags}))
    return cards
