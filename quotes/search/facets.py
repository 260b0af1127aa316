"""Facets of a result: its most frequent speakers, outlets and organisations."""
from __future__ import annotations

from collections import Counter

from django.db.models import QuerySet

from quotes.models import Organisation, Speaker
from quotes.search.ranking import RANK_CANDIDATES
from quotes.selectors import outlet_rows

FACET_WINDOW = RANK_CANDIDATES  # facets count the newest this-many matches (all when fewer), as search ranks them


def quote_facets(qs: QuerySet, limit: int = 8, window: list[tuple] | None = None) -> dict:
    """Counts of speakers, outlets and organisations among the newest FACET_WINDOW quotes of a
    result (exact for smaller results). `window`, when the caller already holds it, is that
    list of (speaker_id, outlet, organisation_id); otherwise one query reads it. Names are read
    only for the ids that can make the top `limit`."""
    rows = window if window is not None else list(
        qs.order_by("-pk").values_list("speaker_id", "article__outlet", "organisation_id")[:FACET_WINDOW]
    )
    speakers = Counter(s for s, _, _ in rows if s is not None)
    outlets = Counter(o for _, o, _ in rows if o)
    orgs = Counter(g for _, _, g in rows if g is not None)

    def contenders(counter: Counter) -> list[int]:
        # Ties are broken by name, so every id tied with the last place is a contender; a
        # result of a thousand one-quote speakers keeps its 200 most recent.
        ranked = counter.most_common()
        if len(ranked) <= limit:
            return [pk for pk, _ in ranked]
        floor = ranked[limit - 1][1]
        return [pk for pk, n in ranked if n >= floor][:200]

    speaker_rows = Speaker.objects.filter(pk__in=contenders(speakers)).values_list("pk", "slug", "name") if speakers else []
    org_rows = Organisation.objects.filter(pk__in=contenders(orgs)).values_list("pk", "slug", "name") if orgs else []

    def top(counter, named, slug_key, name_key):
        items = [(-counter[pk], name, slug) for pk, slug, name in named]
        return [{slug_key: slug, name_key: name, "n": -n} for n, name, slug in sorted(items)[:limit]]

    return {
        "speakers": top(speakers, speaker_rows, "speaker__slug", "speaker__name"),
        "outlets": outlet_rows(outlets)[:limit],
        "organisations": top(orgs, org_rows, "organisation__slug", "organisation__name"),
    }
