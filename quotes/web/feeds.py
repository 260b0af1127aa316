"""Atom feed of a speaker's quotes (Django's syndication framework)."""
import datetime as dt

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from quotes import selectors
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
        return selectors.decorate_quotes(qs[:FEED_SIZE])

    def item_title(self, quote):
        text = " ".join(quote.text.split())
        return f"“{text[:117]}…”" if len(text) > 120 else f"“{text}”"

    def item_description(self, quote):
        # Atom summaries are HTML: escape so quote text is always shown as text.
        return escape(quote.copy["plain"])

    def item_link(self, quote):
        return quote.get_absolute_url()

    def item_pubdate(self, quote):
        published = quote.article.published
        if published:
            return dt.datetime.combine(published, dt.time(), tzinfo=dt.timezone.utc)
        return quote.created_at

    def item_updateddate(self, quote):
        return quote.updated_at
