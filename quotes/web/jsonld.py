"""schema.org JSON-LD for the quote and speaker pages (a Quotation, a Person)."""
from __future__ import annotations

import json

from django.utils.safestring import SafeString, mark_safe

from quotes.models import Speaker


def script(data: dict) -> SafeString:
    """JSON for a <script> element: '<', '>' and '&' escaped so text can never close the tag."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)


def quotation(request, card, permalink: str) -> dict:
    """A Quotation: the words, who said them (with the role the article gave) and the source."""
    quote, article = card.quote, card.quote.article
    data = {"@context": "https://schema.org", "@type": "Quotation", "url": permalink, "text": quote.text}
    if quote.speaker_id:
        person = {"@type": "Person", "name": quote.speaker.name,
                  "url": request.build_absolute_uri(quote.speaker.get_absolute_url())}
        if card.role:
            person["jobTitle"] = card.role
        if quote.speaker.wikidata_id:
            person["sameAs"] = f"https://www.wikidata.org/wiki/{quote.speaker.wikidata_id}"
        data["spokenByCharacter"] = data["creator"] = person
    elif quote.organisation_id:
        data["spokenByCharacter"] = data["creator"] = {"@type": "Organization", "name": quote.organisation.name}
    source = {"@type": "NewsArticle", "headline": article.title}
    if article.public_url:
        source["url"] = article.public_url
    if article.published:
        source["datePublished"] = article.published.isoformat()
    if article.outlet:
        source["publisher"] = {"@type": "Organization", "name": article.outlet}
    data["isBasedOn"] = source
    if article.published:
        data["dateCreated"] = article.published.isoformat()
    return data


def person(request, speaker: Speaker, aliases: list[str]) -> dict:
    """A Person: name, current role and organisation, Wikidata item and other spellings."""
    data = {"@context": "https://schema.org", "@type": "Person", "name": speaker.name,
            "url": request.build_absolute_uri(speaker.get_absolute_url())}
    if speaker.role:
        data["jobTitle"] = speaker.role
    if speaker.organisation_id:
        data["affiliation"] = {"@type": "Organization", "name": speaker.organisation.name}
    if speaker.wikidata_id:
        data["sameAs"] = f"https://www.wikidata.org/wiki/{speaker.wikidata_id}"
    if aliases:
        data["alternateName"] = aliases
    return data
