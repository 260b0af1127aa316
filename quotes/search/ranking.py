"""Relevance order without ranking every match: the newest RANK_CANDIDATES matches are
ranked (ts_rank on PostgreSQL, bm25 on SQLite) and a page loads only its own rows."""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from django.contrib.postgres.search import SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import F, IntegerField, QuerySet

from quotes.search.backend import BaseTableSQL, pg_headline, pg_query, search_document, vendor_of
from quotes.search.counting import estimated_count
from quotes.search.query import FTS_WEIGHTS, ParsedQuery


# Ranking reads every matching document; a word found in a third of a million quotes would
# rank 300,000 rows for a page of 20. Relevance is computed over the most recently stored
# RANK_CANDIDATES matches instead (all of them when there are fewer): 25 pages of results.
# 500 rather than 1,000 halves the search's own cost (API p95 79 -> 55 ms at a million
# quotes, bench_search); sort=newest pages through every match.
RANK_CANDIDATES = 500


class Candidate(NamedTuple):
    """One ranked match with what the result page needs besides the card: the sort keys and
    the facet keys, so ranking, facets and the count come from one query. (A tuple: a page
    makes a thousand of these.)"""

    pk: int
    rank: float
    published: object  # date | None
    article_id: int
    start: int
    speaker_id: int | None
    outlet: str
    organisation_id: int | None

    @property
    def facet_key(self) -> tuple:
        return (self.speaker_id, self.outlet, self.organisation_id)


CANDIDATE_FIELDS = ("pk", "article__published", "article_id", "start", "speaker_id", "article__outlet", "organisation_id")


def candidate_query(qs: QuerySet) -> QuerySet:
    """The newest RANK_CANDIDATES matches of `qs` as rows of CANDIDATE_FIELDS (SQLite, other)."""
    return qs.order_by("-pk").values_list(*CANDIDATE_FIELDS)[:RANK_CANDIDATES]


def pg_candidate_sql(qs: QuerySet, parsed: ParsedQuery) -> tuple[str, list]:
    """PostgreSQL: the newest RANK_CANDIDATES matches of `qs` with their ts_rank (computed only
    on the rows the LIMIT keeps). Columns: id, article_id, start, speaker_id,
    organisation_id, rank."""
    rank = SearchRank(search_document(), pg_query(parsed), normalization=1)
    inner = qs.order_by("-pk").annotate(_rank=rank).values_list(
        "pk", "article_id", "start", "speaker_id", "organisation_id", "_rank"
    )[:RANK_CANDIDATES]
    sql, params = inner.query.sql_with_params()
    return sql, list(params)


# Below this share of all quotes, walking the primary key downwards to the newest
# RANK_CANDIDATES matches reads more than 25,000 rows (~10 ms, and 30–50 ms for 1,000
# candidates of a word in 1–1.5 %); the GIN index ANDed with an id range is then faster and
# steadier (12 ms for such a word, bench_search).
WALK_MIN_SHARE = 0.02


def recent_id_floor(qs: QuerySet) -> int | None:
    """On PostgreSQL, for a result too sparse to walk to, an id above which its newest
    RANK_CANDIDATES matches very probably lie (sized from the planner's estimate of the
    matches, with 50 % to spare); None when walking is cheap or the window would be most of
    the table (the planner then uses the GIN index for the whole result by itself)."""
    if vendor_of(qs) != "postgresql":
        return None
    estimate = max(estimated_count(qs)[0], 1)
    with connections[qs.db].cursor() as cursor:
        table = qs.model._meta.db_table
        cursor.execute(f'SELECT max(id), (SELECT reltuples FROM pg_class WHERE oid = %s::regclass) FROM "{table}"',
                       [table])
        top, rows = cursor.fetchone()
    if not top or not rows or rows <= 0 or estimate / rows >= WALK_MIN_SHARE:
        return None
    window = int(RANK_CANDIDATES * rows / estimate * 1.5)
    return top - window if window < top * 0.8 else None


def relevance_candidates(qs: QuerySet, parsed: ParsedQuery) -> list[Candidate]:
    """The newest RANK_CANDIDATES matches of `qs`, best first (relevance, then newest)."""
    vendor = vendor_of(qs)
    if vendor == "postgresql":
        floor = recent_id_floor(qs)
        rows = _pg_rows(qs, parsed, floor) if floor is not None else []
        if len(rows) < RANK_CANDIDATES:  # no window, or the estimate was too high
            rows = _pg_rows(qs, parsed, None)
        found = [Candidate(pk, rank or 0.0, published, article_id, start, speaker_id, outlet, org_id)
                 for pk, article_id, start, speaker_id, org_id, rank, published, outlet in rows]
    else:
        rows = list(candidate_query(qs))
        scores = _sqlite_scores([r[0] for r in rows], parsed, connections[qs.db]) if vendor == "sqlite" else {}
        found = [Candidate(r[0], scores.get(r[0], 0.0), *r[1:]) for r in rows]
    # rank desc, then published desc (undated last), article desc, start asc
    found.sort(key=lambda c: (-c.rank, c.published is None,
                              -(c.published.toordinal() if c.published else 0), -c.article_id, c.start))
    return found


def _pg_rows(qs: QuerySet, parsed: ParsedQuery, floor: int | None, explain: bool = False) -> list[tuple]:
    """Candidate rows, each followed by its article's (published, outlet), read afterwards.
    With explain=True, the EXPLAIN ANALYZE lines of the candidate statement instead."""
    article_table = qs.model._meta.get_field("article").related_model._meta.db_table
    conn = connections[qs.db]
    try:
        sql, params = pg_candidate_sql(qs if floor is None else qs.filter(pk__gt=floor), parsed)
    except EmptyResultSet:  # a filter that can match nothing, e.g. an empty list of speakers
        return []
    with transaction.atomic(using=qs.db), conn.cursor() as cursor:
        if floor is not None:
            # The planner costs the ordered walk down the primary key below the bitmap plan
            # it should take here (the window holds ~1.5 x the rows wanted; it chose the walk
            # at 35–50 ms over the bitmap at 12 ms): plain index scans are off for this
            # statement only, so it ANDs the GIN index with the id range.
            cursor.execute("SET LOCAL enable_indexscan = off")
        if explain:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if floor is not None:
            cursor.execute("RESET enable_indexscan")
        articles = {}
        if rows:
            cursor.execute(f'SELECT id, published, outlet FROM "{article_table}" WHERE id = ANY(%s)',
                           [list({r[1] for r in rows})])
            articles = {pk: (published, outlet) for pk, published, outlet in cursor.fetchall()}
    return [row + articles.get(row[1], (None, "")) for row in rows]


def explain_candidates(qs: QuerySet, parsed: ParsedQuery) -> str:
    """The plan of the statement that finds the rank candidates of `qs`, as run (bench_search)."""
    if vendor_of(qs) != "postgresql":
        return candidate_query(qs).explain()
    floor = recent_id_floor(qs)
    note = f"id window: id > {floor}, plain index scans off\n" if floor is not None else "no id window\n"
    return note + "\n".join(_pg_rows(qs, parsed, floor, explain=True))


def _sqlite_scores(ids: list[int], parsed: ParsedQuery, conn) -> dict[int, float]:
    """bm25 for the candidates in one FTS5 pass over their rowid range.

    Not `rowid IN (…ids…)` and not a correlated subquery: FTS5 then runs the MATCH once per id,
    and for a phrase bm25 recounts the phrase's documents every time (17 s for a common
    two-word phrase at 100,000 quotes; one pass takes milliseconds)."""
    if not ids:
        return {}
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    wanted = set(ids)
    with conn.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25(quote_fts, {weights}) FROM quote_fts "
            "WHERE quote_fts MATCH %s AND rowid BETWEEN %s AND %s",
            [parsed.fts5(), min(ids), max(ids)],
        )
        return {pk: score for pk, score in cursor.fetchall() if pk in wanted}


def in_id_order(qs: QuerySet, ids: list[int]) -> QuerySet:
    """`qs` restricted to `ids`, in that order (one string or array parameter, no CASE)."""
    fresh = qs.model._default_manager.filter(pk__in=ids)
    fresh.query.select_related = qs.query.select_related
    fresh.query.deferred_loading = qs.query.deferred_loading
    if not ids:
        return fresh
    if vendor_of(qs) == "postgresql":
        position = BaseTableSQL("array_position(%s::bigint[], {table}.id)", [ids], output_field=IntegerField())
    else:
        ordered = "," + ",".join(str(pk) for pk in ids) + ","
        position = BaseTableSQL("instr(%s, ',' || {table}.id || ',')", [ordered], output_field=IntegerField())
    return fresh.order_by(position)


class RankedResults(Sequence):
    """A relevance-ordered result as a sequence of quotes: a slice loads only its own rows.

    (Slicing one queryset of all candidates ordered by their position made PostgreSQL join and
    sort all 1,000 rows for a page of 20: 33 ms at a million quotes.) Paginators take it as
    they take a queryset; `count()` is free.
    """

    def __init__(self, queryset: QuerySet, ids: list[int], parsed: ParsedQuery | None = None):
        self.queryset, self.ids, self.model, self.parsed = queryset, ids, queryset.model, parsed

    def __len__(self) -> int:
        return len(self.ids)

    def count(self) -> int:
        return len(self.ids)

    def _load(self, ids: list[int]) -> list:
        qs = in_id_order(self.queryset, ids)
        if self.parsed is not None and vendor_of(qs) == "postgresql":
            # The highlight comes with the rows (headlines() reads it): one query, not two.
            qs = qs.annotate(search_headline=pg_headline(self.parsed))
        return list(qs)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self.ids[index])
        return self._load([self.ids[index]])[0]

    def __iter__(self):
        for start in range(0, len(self.ids), 100):
            yield from self[start : start + 100]


def ranked(qs: QuerySet, parsed: ParsedQuery) -> tuple[RankedResults, list[Candidate]]:
    """Relevance order: the candidates (with sort and facet keys) and the quotes in that order."""
    candidates = relevance_candidates(qs, parsed)
    return RankedResults(qs, [c.pk for c in candidates], parsed), candidates


def by_date(qs: QuerySet, sort: str = "newest") -> QuerySet:
    """Newest (undated last) or oldest first; within an article, in reading order."""
    if sort == "oldest":
        return qs.order_by(F("article__published").asc(nulls_last=True), "article_id", "start")
    return qs.order_by(F("article__published").desc(nulls_last=True), "-article_id", "start")
