"""Atom feed of a speaker's quotes (Django's syndication framework)."""
import datetime as dt

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from quotes import selectors
from quotes.web.cards import quote_cards
from quotes.models import Speaker

FEED_SIZE = 50


class SpeakerQuotesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Speaker, slug=slug)

    def title(self, speaker):
        return f"Quotes by {speaker.name}"

    def link(self, speaker):
        return speaker.get_absolute_url()

    def subtitle(self, speaker):
        return f"New quotations attributed to {speaker.name}, with their sources."

    def items(self, speaker):
        qs = selectors.public_quotes().filter(speaker=speaker).order_by("-article__published", "-article_id", "start")
        return quote_cards(qs[:FEED_SIZE], full=False)

    def item_title(self, card):
        text = " ".join(card.quote.text.split())
        return f"“{text[:117]}…”" if len(text) > 120 else f"“{text}”"

    def item_description(self, card):
        # Atom summaries are HTML: escape so quote text is always shown as text.
        return escape(card.copy["plain"])

    def item_link(self, card):
        return card.quote.get_absolute_url()

    def item_pubdate(self, card):
        published = card.quote.article.published
        if published:
            return dt.datetime.combine(published, dt.time(), tzinfo=dt.timezone.utc)
        return card.quote.created_at

    def item_updateddate(self, card):
        return card.quote.updated_at
