"""Quote search, one module for pages, API and exports.

Readers type web-search syntax: words, "exact phrase", -exclude, or. The input is parsed here
once (so a lone quote mark, a lone minus or an over-long query never reaches the database as
an error) and then run as PostgreSQL `websearch_to_tsquery` against the stored, weighted
`search_document` column, or as an FTS5 MATCH ranked by bm25 on SQLite (the database objects
are made by quotes/search_schema.py). Other databases get a plain substring match so the site
still works.

Highlights are produced with private-use marker characters and turned into <mark> only after
the text has been HTML-escaped, so quote text is always shown as text.
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, transaction
from django.db.models import BooleanField, Expression, F, FloatField, IntegerField, Q, QuerySet, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from quotes.extraction.names import name_key

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
MARK_START, MARK_END = "\ue000", "\ue001"
PG_CONFIG = "english"
FTS_WEIGHTS = (10.0, 4.0, 2.0, 2.0)  # text, speaker, organisation, description (bm25 columns)

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1

    def websearch(self) -> str:
        return f'"{" ".join(self.words)}"' if self.is_phrase else self.words[0]

    def fts5(self) -> str:
        # Every word is quoted, so FTS5 operators and column filters in the input are inert.
        return '"' + " ".join(w.replace('"', "") for w in self.words) + '"'


@dataclass
class ParsedQuery:
    raw: str = ""
    groups: list[list[Term]] = field(default_factory=list)  # OR of AND-groups
    excludes: list[Term] = field(default_factory=list)
    message: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.groups

    def websearch(self) -> str:
        parts = [" ".join(t.websearch() for t in g) for g in self.groups]
        text = " or ".join(parts)
        return " ".join([text] + ["-" + t.websearch() for t in self.excludes]).strip()

    def fts5(self) -> str:
        positive = " OR ".join("(" + " AND ".join(t.fts5() for t in g) + ")" for g in self.groups)
        expr = f"({positive})"
        for term in self.excludes:
            expr += f" NOT {term.fts5()}"
        return expr

    def words(self) -> list[str]:
        return [w for g in self.groups for t in g for w in t.words]


def parse_query(raw: str | None) -> ParsedQuery:
    """Web-search syntax to a small tree; anything unusable is dropped, never raised."""
    raw = (raw or "").replace("\x00", " ").strip()
    parsed = ParsedQuery(raw=raw)
    if not raw:
        return parsed
    if len(raw) > MAX_QUERY_LENGTH:
        parsed.message = f"That search is too long; use at most {MAX_QUERY_LENGTH} characters."
        return parsed
    raw = raw.replace("“", '"').replace("”", '"').replace("„", '"')
    current: list[Term] = []
    pending_or = False
    n_terms = 0
    for match in _TOKEN.finditer(raw):
        negate, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None:
            if bare.lower() == "or":
                pending_or = True
                continue
            negate = "-" if bare.startswith("-") else ""
            text = bare.lstrip("-")
        else:
            text = phrase
        words = tuple(w.lower() for w in _WORD.findall(text))
        if not words or n_terms >= MAX_TERMS:
            continue
        n_terms += 1
        term = Term(words)
        if negate:
            parsed.excludes.append(term)
            continue
        if pending_or and current:
            parsed.groups.append(current)
            current = []
        pending_or = False
        current.append(term)
    if current:
        parsed.groups.append(current)
    if parsed.is_empty:
        parsed.excludes = []
        parsed.message = "Type some words to search for (a search of only -exclusions finds nothing)."
    return parsed


def _vendor(qs: QuerySet | None = None) -> str:
    return connections[qs.db].vendor if qs is not None else connection.vendor


class BaseTableSQL(Expression):
    """SQL that refers to the query's own quote table, whatever alias a subquery gives it."""

    def __init__(self, template: str, params=(), output_field=None):
        super().__init__(output_field=output_field or FloatField())
        self.template, self.params = template, list(params)

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.template.format(table=table), self.params


def search_document() -> BaseTableSQL:
    return BaseTableSQL("{table}.search_document", output_field=SearchVectorField())


def _pg_query(parsed: ParsedQuery) -> SearchQuery:
    return SearchQuery(parsed.websearch(), search_type="websearch", config=PG_CONFIG)


def match(qs: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """Quotes matching the query; an empty or invalid query matches nothing."""
    if parsed.is_empty:
        return qs.none()
    vendor = _vendor(qs)
    if vendor == "postgresql":
        return qs.alias(_document=search_document()).filter(_document=_pg_query(parsed))
    if vendor == "sqlite":
        fts = BaseTableSQL(
            "{table}.id IN (SELECT rowid FROM quote_fts WHERE quote_fts MATCH %s)",
            [parsed.fts5()],
            output_field=BooleanField(),
        )
        return qs.filter(fts)
    condition = Q()
    for group in parsed.groups:
        sub = Q()
        for term in group:
            sub &= Q(text__icontains=" ".join(term.words))
        condition |= sub
    for term in parsed.excludes:
        condition &= ~Q(text__icontains=" ".join(term.words))
    return qs.filter(condition)


def marked_html(text: str) -> SafeString:
    """Escape `text`, then turn the highlight markers into <mark> elements."""
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    if html.count("<mark>") != html.count("</mark>"):
        html = escape(text.replace(MARK_START, "").replace(MARK_END, ""))
    return mark_safe(html)


def _pg_headline(parsed: ParsedQuery) -> SearchHeadline:
    return SearchHeadline("text", _pg_query(parsed), config=PG_CONFIG, start_sel=MARK_START,
                          stop_sel=MARK_END, highlight_all=True)


def headlines(quotes: list, parsed: ParsedQuery) -> dict[int, SafeString]:
    """The whole text of each quote with matched words marked, in one query (none when the
    quotes came from RankedResults on PostgreSQL, which loads the highlight with them)."""
    from quotes.models import Quote

    ids = [q.pk for q in quotes]
    if parsed.is_empty or not ids:
        return {}
    vendor = connection.vendor
    if vendor == "postgresql":
        if all(hasattr(q, "search_headline") for q in quotes):
            rows = [(q.pk, q.search_headline) for q in quotes]
        else:
            rows = (
                Quote.objects.filter(pk__in=ids)
                .order_by()  # the model's default order would join the articles for nothing
                .annotate(headline=_pg_headline(parsed))
                .values_list("pk", "headline")
            )
    elif vendor == "sqlite":
        placeholders = ", ".join("%s" for _ in ids)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, highlight(quote_fts, 0, %s, %s) FROM quote_fts "
                f"WHERE quote_fts MATCH %s AND rowid IN ({placeholders})",
                [MARK_START, MARK_END, parsed.fts5(), *ids],
            )
            rows = cursor.fetchall()
    else:
        return {}
    return {pk: marked_html(text) for pk, text in rows if text}


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
    rank = SearchRank(search_document(), _pg_query(parsed), normalization=1)
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
    if _vendor(qs) != "postgresql":
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
    vendor = _vendor(qs)
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
    if _vendor(qs) != "postgresql":
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
    if _vendor(qs) == "postgresql":
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
        if self.parsed is not None and _vendor(qs) == "postgresql":
            # The highlight comes with the rows (headlines() reads it): one query, not two.
            qs = qs.annotate(search_headline=_pg_headline(self.parsed))
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


def order(qs: QuerySet, sort: str, parsed: ParsedQuery) -> QuerySet:
    """relevance (when searching), newest or oldest; ties fall back to newest first."""
    newest = [F("article__published").desc(nulls_last=True), "-article_id", "start"]
    oldest = [F("article__published").asc(nulls_last=True), "article_id", "start"]
    if sort == "oldest":
        return qs.order_by(*oldest)
    if sort == "newest" or parsed.is_empty:
        return qs.order_by(*newest)
    return in_id_order(qs, [c.pk for c in relevance_candidates(qs, parsed)])


def estimated_count(qs: QuerySet) -> tuple[int, bool]:
    """(number of rows in `qs`, whether it is an estimate). PostgreSQL gives the planner's
    estimate (1 ms; counting 10,000 matches of a common word took 65 ms at a million quotes),
    remembered on `qs` because ranking and the result count both ask; other databases count
    up to selectors.COUNT_CAP + 1."""
    from quotes.selectors import capped_count

    if _vendor(qs) != "postgresql":
        return capped_count(qs), False
    if getattr(qs, "_estimated_count", None) is None:
        # A filter that can match nothing (e.g. a speaker name no one has) leaves no SQL to
        # explain: Django then returns no plan, and the count is 0.
        plan = qs.order_by().values("pk").explain(format="json")
        qs._estimated_count = int(json.loads(plan)[0]["Plan"]["Plan Rows"]) if plan else 0
    return qs._estimated_count, True


def search_quotes(qs: QuerySet, raw: str, sort: str = "relevance") -> tuple[QuerySet, ParsedQuery]:
    """Match, rank and order in one call; an empty query lists everything (newest first)."""
    parsed = parse_query(raw)
    if parsed.raw and parsed.is_empty:
        return qs.none(), parsed
    if not parsed.is_empty:
        qs = match(qs, parsed)
    return order(qs, sort, parsed), parsed


# Speakers ------------------------------------------------------------------------------------

TRIGRAM_THRESHOLD = 0.45


def speaker_ids_like(name: str, limit: int = 200) -> list[int]:
    """The speaker whose slug is `name`, and speakers whose name or an alias contains it
    (transliteration-folded alias keys); when none does, speakers with a similar name: trigrams on PostgreSQL, RapidFuzz over the
    alias keys on SQLite. Similarity is only the fallback: "Anna Smith" finds Anna Smith, not
    every Anna."""
    from quotes.models import Speaker, SpeakerAlias

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
    if _vendor() == "postgresql":
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
