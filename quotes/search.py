"""Quote search, one module for pages, API and exports.

Readers type web-search syntax: words, "exact phrase", -exclude, or. The input is parsed here
once (so a lone quote mark, a lone minus or an over-long query never reaches the database as
an error) and then run as PostgreSQL `websearch_to_tsquery` against the stored, weighted
`search_document` column, or as an FTS5 MATCH ranked by bm25 on SQLite (see migration
0002_search). Other databases get a plain substring match so the site still works.

Highlights are produced with private-use marker characters and turned into <mark> only after
the text has been HTML-escaped, so quote text is always shown as text.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connection, connections
from django.db.models import BooleanField, Expression, F, FloatField, Q, QuerySet, Value
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


def annotate_rank(qs: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """Adds `rank` (higher is better) to an already matched queryset."""
    if parsed.is_empty:
        return qs.annotate(rank=Value(0.0, output_field=FloatField()))
    vendor = _vendor(qs)
    if vendor == "postgresql":
        return qs.annotate(rank=SearchRank(search_document(), _pg_query(parsed), normalization=1))
    if vendor == "sqlite":
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        rank = BaseTableSQL(
            "(SELECT -bm25(quote_fts, " + weights + ") FROM quote_fts "
            "WHERE quote_fts MATCH %s AND quote_fts.rowid = {table}.id)",
            [parsed.fts5()],
        )
        return qs.annotate(rank=rank)
    return qs.annotate(rank=Value(0.0, output_field=FloatField()))


def marked_html(text: str) -> SafeString:
    """Escape `text`, then turn the highlight markers into <mark> elements."""
    html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    if html.count("<mark>") != html.count("</mark>"):
        html = escape(text.replace(MARK_START, "").replace(MARK_END, ""))
    return mark_safe(html)


def headlines(ids: list[int], parsed: ParsedQuery) -> dict[int, SafeString]:
    """The whole quote text of each id with matched words marked, in one query."""
    from quotes.models import Quote

    if parsed.is_empty or not ids:
        return {}
    vendor = connection.vendor
    if vendor == "postgresql":
        rows = (
            Quote.objects.filter(pk__in=ids)
            .annotate(
                headline=SearchHeadline(
                    "text", _pg_query(parsed), config=PG_CONFIG, start_sel=MARK_START,
                    stop_sel=MARK_END, highlight_all=True,
                )
            )
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
# RANK_CANDIDATES matches instead (all of them when there are fewer), which an index scan
# on the primary key finds without visiting the rest.
RANK_CANDIDATES = 1000


def rank_candidates(qs: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """The same rows as `qs` restricted to its RANK_CANDIDATES newest matches (by id)."""
    recent = qs.order_by("-pk").values("pk")[:RANK_CANDIDATES]
    fresh = qs.model._default_manager.filter(pk__in=recent)
    fresh.query.select_related = qs.query.select_related
    return fresh


def order(qs: QuerySet, sort: str, parsed: ParsedQuery) -> QuerySet:
    """relevance (when searching), newest or oldest; ties fall back to newest first."""
    newest = [F("article__published").desc(nulls_last=True), "-article_id", "start"]
    oldest = [F("article__published").asc(nulls_last=True), "article_id", "start"]
    if sort == "oldest":
        return qs.order_by(*oldest)
    if sort == "newest" or parsed.is_empty:
        return qs.order_by(*newest)
    vendor = _vendor(qs)
    if vendor == "sqlite":
        return sqlite_ranked(qs, parsed)
    if vendor == "postgresql":
        qs = rank_candidates(qs, parsed)
    return annotate_rank(qs, parsed).order_by(F("rank").desc(nulls_last=True), *newest)


def sqlite_ranked(qs: QuerySet, parsed: ParsedQuery) -> QuerySet:
    """Relevance order on SQLite from one FTS5 pass over the candidates.

    A correlated bm25() subquery re-runs the MATCH for every row (4 s for 1,000 rows of a
    common word at 100,000 quotes); one query scoring all candidates at once takes
    milliseconds. The order (bm25, then newest) is fixed in Python and given to the
    queryset as the position of each id in one string parameter.
    """
    from django.db.models import IntegerField

    rows = list(
        qs.order_by("-pk").values_list("pk", "article__published", "article_id", "start")[:RANK_CANDIDATES]
    )
    fresh = qs.model._default_manager.filter(pk__in=[r[0] for r in rows])
    fresh.query.select_related = qs.query.select_related
    if not rows:
        return fresh.annotate(rank=Value(0.0, output_field=FloatField()))
    weights = ", ".join(str(w) for w in FTS_WEIGHTS)
    placeholders = ", ".join("%s" for _ in rows)
    with connections[qs.db].cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25(quote_fts, {weights}) FROM quote_fts "
            f"WHERE quote_fts MATCH %s AND rowid IN ({placeholders})",
            [parsed.fts5(), *[r[0] for r in rows]],
        )
        scores = dict(cursor.fetchall())
    # rank desc, then published desc (undated last), article desc, start asc
    rows.sort(key=lambda r: (-scores.get(r[0], float("-inf")), r[1] is None,
                             -(r[1].toordinal() if r[1] else 0), -r[2], r[3]))
    # The position of the id in one ",id,id," string parameter: no thousand-branch CASE to compile.
    ordered = "," + ",".join(str(r[0]) for r in rows) + ","
    position = BaseTableSQL("instr(%s, ',' || {table}.id || ',')", [ordered], output_field=IntegerField())
    return fresh.order_by(position)


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


def speakers_matching(name: str, qs: QuerySet | None = None) -> QuerySet:
    """Speakers whose name or an alias looks like `name`: alias keys (transliteration-folded)
    everywhere, plus trigram similarity on PostgreSQL for misspellings."""
    from quotes.models import Speaker

    qs = Speaker.objects.all() if qs is None else qs
    key = name_key((name or "")[:MAX_QUERY_LENGTH])
    if not key:
        return qs.none()
    condition = Q(aliases__key__contains=key) | Q(name__icontains=name.strip())
    if _vendor(qs) == "postgresql":
        from django.contrib.postgres.search import TrigramWordSimilarity
        from quotes.models import SpeakerAlias

        similar_aliases = (
            SpeakerAlias.objects.annotate(similarity=TrigramWordSimilarity(Value(name), "name"))
            .filter(similarity__gte=TRIGRAM_THRESHOLD)
            .values("speaker_id")
        )
        similar_names = (
            Speaker.objects.annotate(similarity=TrigramWordSimilarity(Value(name), "name"))
            .filter(similarity__gte=TRIGRAM_THRESHOLD)
            .values("pk")
        )
        condition |= Q(pk__in=similar_aliases) | Q(pk__in=similar_names)
    ids = qs.filter(condition).values("pk")
    return qs.filter(pk__in=ids)


def speaker_ids_like(name: str) -> list[int]:
    """Ids for a fuzzy speaker filter; on SQLite a RapidFuzz pass over alias keys stands in for
    trigrams when nothing matches by key."""
    from quotes.models import SpeakerAlias

    ids = list(speakers_matching(name).values_list("pk", flat=True)[:200])
    if ids or _vendor() == "postgresql":
        return ids
    from rapidfuzz import fuzz, process

    key = name_key(name)
    choices = dict(SpeakerAlias.objects.values_list("pk", "key")[:20000])
    if not key or not choices:
        return []
    def scorer(a, b, **kwargs):  # whole name, or one word of it ("Peskow" ~ "dmitry peskov")
        return max([fuzz.WRatio(a, b)] + [fuzz.ratio(a, word) for word in b.split()])

    hits = process.extract(key, choices, scorer=scorer, score_cutoff=80, limit=20)
    alias_ids = [alias_id for _, _, alias_id in hits]
    return list(SpeakerAlias.objects.filter(pk__in=alias_ids).values_list("speaker_id", flat=True).distinct())


# Keeping the SQLite FTS objects alive --------------------------------------------------------

def ensure_sqlite_fts(using: str = "default", **kwargs) -> None:
    """Recreate the FTS triggers (and reindex) after a migration rebuilt quotes_quote.

    SQLite migrations that add a NOT NULL column copy the table and drop the old one, which
    drops its triggers; this post_migrate hook puts them back so search stays current.
    """
    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name IN ('quote_fts', 'quote_fts_ai')")
        present = {row[0] for row in cursor.fetchall()}
        if "quote_fts" not in present or "quote_fts_ai" in present:
            return
        migration = importlib.import_module("quotes.migrations.0002_search")
        for statement in migration.SQLITE_FORWARD[1:]:
            if statement.lstrip().startswith("CREATE TRIGGER"):
                cursor.execute(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))
        cursor.execute("DELETE FROM quote_fts")
        cursor.execute(migration.SQLITE_FORWARD[-1])
