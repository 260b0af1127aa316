"""Finding speakers and organisations by a name as a reader types it: slug, name, transliterated alias keys,
then similar names (trigrams on PostgreSQL, RapidFuzz on SQLite)."""
from __future__ import annotations

from django.db import connection
from django.db.models import Q

from quotes.extraction.names import name_key
from quotes.models import Organisation, Speaker, SpeakerAlias
from quotes.search.backend import vendor_of
from quotes.search.query import MAX_QUERY_LENGTH

TRIGRAM_THRESHOLD = 0.45


def speaker_ids_like(name: str, limit: int = 200) -> list[int]:
    """The speaker whose slug is `name`, and speakers whose name or an alias contains it
    (transliteration-folded alias keys); when none does, speakers with a similar name: trigrams on PostgreSQL, RapidFuzz over the
    alias keys on SQLite. Similarity is only the fallback: "Anna Smith" finds Anna Smith, not
    every Anna."""
    key = name_key((name or "")[:MAX_QUERY_LENGTH])
    if not key:
        return []
    by_key = Speaker.objects.filter(
        Q(pk__in=SpeakerAlias.objects.filter(key__contains=key).values("speaker_id"))
        | Q(name__icontains=name.strip()) | Q(slug=name.strip())
    )
    ids = list(by_key.order_by().values_list("pk", flat=True)[:limit])
    if ids:
        return ids
    if vendor_of() == "postgresql":
        # The %> operator (not a word_similarity() annotation, which scored every alias: 140 ms
        # at 20,000 speakers) lets the trigram GIN indexes answer; its threshold is a setting.
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                           [str(TRIGRAM_THRESHOLD)])
        similar = Speaker.objects.filter(
            Q(pk__in=SpeakerAlias.objects.filter(name__trigram_word_similar=name).values("speaker_id"))
            | Q(name__trigram_word_similar=name)
        )
        return list(similar.order_by().values_list("pk", flat=True)[:limit])
    from rapidfuzz import fuzz, process

    choices = dict(SpeakerAlias.objects.values_list("pk", "key")[:20000])
    if not choices:
        return []

    def scorer(a, b, **kwargs):  # whole name, or one word of it ("Peskow" ~ "dmitry peskov")
        return max([fuzz.WRatio(a, b)] + [fuzz.ratio(a, word) for word in b.split()])

    hits = process.extract(key, choices, scorer=scorer, score_cutoff=80, limit=20)
    alias_ids = [alias_id for _, _, alias_id in hits]
    return list(SpeakerAlias.objects.filter(pk__in=alias_ids).values_list("speaker_id", flat=True).distinct())


def organisation_ids_like(name: str):
    """The organisations whose slug is `name` or whose name or an alias contains it, as a
    subquery of ids (filters combine it with their own conditions in one statement)."""
    name = (name or "").strip()
    return Organisation.objects.filter(
        Q(slug=name) | Q(name__icontains=name) | Q(aliases__key__contains=name_key(name) or name)
    ).values("pk")
