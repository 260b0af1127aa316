"""Reads from the quote database, shared by pages, API and exports."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter, defaultdict
from typing import Iterator

from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import mark_safe

from quotes.models import Article, Organisation, Quote, Speaker, SpeakerAppearance
from quotes.search import RANK_CANDIDATES

EXPORT_FIELDS = [
    "id", "quote", "kind", "speaker", "speaker_role", "speaker_description", "organisation", "cue",
    "method", "confidence", "status", "article_id", "article_title", "outlet", "published", "url",
    "start", "end", "statement_group", "also_reported_by",
]


def quotes_for_export(queryset: QuerySet | None = None) -> QuerySet:
    """Quotes in reporting order: earliest publication first (undated last), then ingest order."""
    qs = Quote.objects.all() if queryset is None else queryset
    return qs.select_related("speaker", "organisation", "article").order_by(
        F("article__published").asc(nulls_last=True), "article_id", "start"
    )


def quote_export_record(quote: Quote, also_reported_by: list[dict] | None = None) -> dict:
    article = quote.article
    return {
        "id": quote.pk,
        "quote": quote.text,
        "kind": quote.kind,
        "speaker": quote.speaker.name if quote.speaker_id else None,
        "speaker_role": quote.speaker.role if quote.speaker_id else "",
        "speaker_description": quote.speaker_description,
        "organisation": quote.organisation.name if quote.organisation_id else None,
        "cue": quote.cue,
        "method": quote.method,
        "confidence": round(quote.confidence, 3),
        "status": quote.status,
        "article_id": article.pk,
        "article_title": article.title,
        "outlet": article.outlet,
        "published": article.published.isoformat() if article.published else None,
        "url": article.url,
        "start": quote.start,
        "end": quote.end,
        "statement_group": quote.statement_group_id,
        "also_reported_by": also_reported_by or [],
    }


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_row(record: dict) -> dict:
    """An export record as a CSV row: other reports on one line, every text cell inert."""
    also = record.get("also_reported_by")
    if isinstance(also, list):
        record = {**record, "also_reported_by": "; ".join(f"{r['outlet']} {r['url']}".strip() for r in also)}
    return {key: csv_cell(value) for key, value in record.items()}


def export_records(queryset: QuerySet | None = None, per_article: bool = False) -> Iterator[dict]:
    """One record per statement (its fullest report, naming the others), or per article copy.

    A statement carried by several outlets is one statement: counting it once per outlet
    would inflate a speaker's quote count, so by default it is exported once, like
    Quotebank's quotation-centric records, with the other reports in `also_reported_by`.
    """
    qs = quotes_for_export(queryset)
    reports: dict[int, list[dict]] = defaultdict(list)
    grouped = qs.filter(statement_group__isnull=False).values(
        "id", "statement_group_id", "article_id", "article__outlet", "article__url", "article__published",
        "start", "end",
    )
    representative: dict[int, tuple[int, int]] = {}  # group -> (length, quote id); the fullest wins
    for row in grouped.iterator(chunk_size=2000):
        length = row["end"] - row["start"]
        best = representative.get(row["statement_group_id"])
        if best is None or length > best[0]:
            representative[row["statement_group_id"]] = (length, row["id"])
        reports[row["statement_group_id"]].append(
            {
                "quote_id": row["id"],
                "article_id": row["article_id"],
                "outlet": row["article__outlet"],
                "url": row["article__url"],
                "published": row["article__published"].isoformat() if row["article__published"] else None,
            }
        )
    for quote in qs.iterator(chunk_size=2000):
        group = quote.statement_group_id
        if group and not per_article and representative[group][1] != quote.pk:
            continue
        others = [r for r in reports.get(group, []) if r["quote_id"] != quote.pk] if group else []
        yield quote_export_record(quote, others)

# Public site reads ---------------------------------------------------------------------------
# Every helper here runs a fixed number of queries whatever the number of quotes it handles,
# so pages stay within a bounded query budget (see tests/test_views.py).

CONTEXT_CHARS = 700


def public_quotes() -> QuerySet:
    """Quotes the public may see: rejected ones never are."""
    return Quote.objects.exclude(status=Quote.Status.REJECTED).select_related(
        "speaker", "organisation", "article"
    )


def paragraph_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (blank-line separated) around body[start:end], capped for very long ones."""
    p_start = body.rfind("\n\n", 0, start)
    p_start = 0 if p_start < 0 else p_start + 2
    p_end = body.find("\n\n", end)
    p_end = len(body) if p_end < 0 else p_end
    return max(p_start, start - CONTEXT_CHARS), min(p_end, end + CONTEXT_CHARS)


def quote_context(quote: Quote) -> dict:
    body = quote.article.body or ""
    start, end = min(quote.start, len(body)), min(quote.end, len(body))
    p_start, p_end = paragraph_bounds(body, start, end)
    return {
        "before": ("…" if p_start > 0 and body[p_start - 1] not in "\n" else "") + body[p_start:start].lstrip(),
        "quoted": body[start:end],
        "after": body[end:p_end].rstrip() + ("…" if p_end < len(body) and body[p_end] != "\n" else ""),
    }


def decorate_quotes(quotes, cards: bool = True) -> list[Quote]:
    """Attach what a quote card shows: the article's role for the speaker (`appearance`),
    other outlets with the same statement (`also_reported`), the paragraph (`context`) and
    the copy texts (`copy`). Two queries for any number of quotes. With cards=False (the
    API) there is no context and `copy` holds the plain text only."""
    from quotes.web.citation import attribution_plain, attribution_texts

    quotes = list(quotes)
    if not quotes:
        return quotes
    pairs = {(q.speaker_id, q.article_id) for q in quotes if q.speaker_id}
    appearances = {}
    if pairs:
        # By article only (a page's 20 articles have a few speakers each): an IN on the
        # speakers too made PostgreSQL read every appearance of the most quoted speakers.
        rows = SpeakerAppearance.objects.select_related("organisation").filter(article_id__in={a for _, a in pairs})
        appearances = {(r.speaker_id, r.article_id): r for r in rows if (r.speaker_id, r.article_id) in pairs}
    group_ids = {q.statement_group_id for q in quotes if q.statement_group_id}
    siblings = defaultdict(list)
    if group_ids:
        rows = (
            Quote.objects.exclude(status=Quote.Status.REJECTED)
            .filter(statement_group_id__in=group_ids)
            .select_related("article")
            .only("id", "statement_group_id", "article_id", "article__outlet", "article__title",
                  "article__published", "article__url")
            .order_by("article__published", "article_id")
        )
        for row in rows:
            siblings[row.statement_group_id].append(row)
    for q in quotes:
        q.appearance = appearances.get((q.speaker_id, q.article_id))
        q.role = q.appearance.role if q.appearance else ""
        q.role_organisation = (
            q.appearance.organisation if q.appearance and q.appearance.organisation_id else q.organisation
        )
        seen, q.also_reported = {q.article_id}, []
        for other in siblings.get(q.statement_group_id, []):
            if other.article_id not in seen:
                seen.add(other.article_id)
                q.also_reported.append(other)
        if cards:
            q.context = quote_context(q)
            q.copy = attribution_texts(q, q.appearance)
        else:
            q.copy = {"plain": attribution_plain(q, q.appearance)}
    return quotes


FACET_WINDOW = RANK_CANDIDATES  # facets count the newest this-many matches (all when fewer), as search ranks them
COUNT_CAP = 10000  # result counts stop here ("more than 10,000")


def round_estimate(n: int) -> int:
    """An estimated count to two significant figures (27,416 -> 27,000): no false precision."""
    if n < 100:
        return n
    scale = 10 ** (len(str(n)) - 2)
    return round(n / scale) * scale


def capped_count(qs: QuerySet, cap: int = COUNT_CAP) -> int:
    """len(qs) up to cap + 1: a count that stops early instead of visiting a million rows."""
    if not isinstance(qs, QuerySet):  # a list that knows its length (search.RankedResults)
        return min(len(qs), cap + 1)
    return qs.order_by()[: cap + 1].count()


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


OUTLETS_CACHE_KEY = "quotes:outlets"
OUTLETS_CACHE_SECONDS = 600


def outlet_choices() -> list[tuple[str, str]]:
    """Every outlet, for the filter forms. A DISTINCT over all articles (10–25 ms at 100,000
    articles) on every page is avoided by caching; saving or deleting an article forgets it."""
    from django.core.cache import cache

    outlets = cache.get(OUTLETS_CACHE_KEY)
    if outlets is None:
        outlets = list(Article.objects.exclude(outlet="").order_by("outlet").values_list("outlet", flat=True).distinct())
        cache.set(OUTLETS_CACHE_KEY, outlets, OUTLETS_CACHE_SECONDS)
    return [(o, o) for o in outlets]


def outlets_forget(**kwargs) -> None:
    from django.core.cache import cache

    cache.delete(OUTLETS_CACHE_KEY)


def public_quote_count() -> Count:
    return Count("quotes", filter=~Q(quotes__status=Quote.Status.REJECTED), distinct=True)


def speaker_directory() -> QuerySet:
    return (
        Speaker.objects.select_related("organisation")
        .annotate(n_quotes=public_quote_count())
        .order_by("-n_quotes", "name")
    )


def top_speakers(limit: int = 10) -> list[Speaker]:
    return list(speaker_directory().filter(n_quotes__gt=0)[:limit])


def speaker_roles(speaker: Speaker) -> list[dict]:
    """Roles as articles gave them, with the dates they were given."""
    return list(
        speaker.appearances.exclude(role="")
        .values("role", "organisation__name", "organisation__slug")
        .annotate(first=Min("article__published"), last=Max("article__published"), n=Count("id"))
        .order_by("-last", "role")
    )


def outlet_counts(qs: QuerySet) -> list[dict]:
    return list(
        qs.order_by().exclude(article__outlet="").values("article__outlet")
        .annotate(n=Count("id")).order_by("-n", "article__outlet")
    )


def quote_profile(qs: QuerySet) -> dict:
    """A speaker page's numbers in one pass over their quotes: the count, the outlets
    (outlet_counts' rows) and the timeline (quote_timeline's). One GROUP BY (date, outlet)
    instead of three reads of every quote with its article: 0.4 s rather than 0.8 s for a
    speaker with 50,000 quotes (bench_search)."""
    rows = list(
        qs.order_by().values_list("article__published", "article__outlet").annotate(n=Count("id"))
    )
    outlets, dates = Counter(), Counter()
    for published, outlet, n in rows:
        if outlet:
            outlets[outlet] += n
        dates[published] += n
    return {
        "n_quotes": sum(dates.values()),
        "outlets": outlet_rows(outlets),
        "timeline": quote_timeline(dates),
    }


def outlet_rows(counts: Counter) -> list[dict]:
    """Outlet counts as outlet_counts gives them: most quotes first, then by name."""
    return [{"article__outlet": o, "n": n} for o, n in sorted(counts.items(), key=lambda i: (-i[1], i[0]))]


def quote_timeline(dates: Counter, max_bars: int = 36) -> dict:
    """Quote counts by publication date (by month when there are many dates), for a bar chart;
    `dates` maps a date (None for undated quotes) to its number of quotes."""
    rows = sorted((d, n) for d, n in dates.items() if d)
    undated = dates.get(None, 0)
    bars = [{"start": d, "end": d, "n": n} for d, n in rows]
    by_month = len(bars) > max_bars
    if by_month:
        months: dict[tuple[int, int], dict] = {}
        for d, n in rows:
            bar = months.setdefault((d.year, d.month), {"start": d.replace(day=1), "n": 0})
            bar["n"] += n
        bars = []
        for (year, month), bar in months.items():
            nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
            bar["end"] = nxt - dt.timedelta(days=1)
            bars.append(bar)
        bars = bars[-max_bars * 4:]
    peak = max((b["n"] for b in bars), default=0)
    width = 100 / max(len(bars), 1)
    for i, bar in enumerate(bars):
        bar["height"] = round(100 * bar["n"] / peak, 1) if peak else 0
        bar["y"] = round(100 - bar["height"], 1)
        bar["x"] = round(i * width + width * 0.1, 3)
        bar["width"] = round(width * 0.8, 3)
        start = bar["start"]
        bar["title"] = f"{start:%B %Y}" if by_month else f"{start.day} {start:%B %Y}"
        bar["label"] = f"{start:%b %Y}" if by_month else f"{start.day} {start:%b}"
    return {"bars": bars, "by_month": by_month, "peak": peak, "undated": undated}


_DIFF_TOKEN = re.compile(r"\w+|[^\w\s]|\s+")


def word_diff(a: str, b: str) -> tuple[str, str]:
    """Two escaped HTML strings with the words/punctuation that differ wrapped in <del>/<ins>."""
    # A trailing comma belongs to the reporter's sentence, not to the statement.
    ta = _DIFF_TOKEN.findall(" ".join(a.split()).removesuffix(","))
    tb = _DIFF_TOKEN.findall(" ".join(b.split()).removesuffix(","))
    out_a, out_b = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        left, right = escape("".join(ta[i1:i2])), escape("".join(tb[j1:j2]))
        if op == "equal":
            out_a.append(left)
            out_b.append(right)
            continue
        if left:
            out_a.append(f"<del>{left}</del>")
        if right:
            out_b.append(f"<ins>{right}</ins>")
    return mark_safe("".join(out_a)), mark_safe("".join(out_b))


def statement_versions(quote: Quote) -> list[dict]:
    """The other outlets' wording of the same statement, diffed against this quote."""
    if not quote.statement_group_id:
        return []
    others = (
        public_quotes().filter(statement_group_id=quote.statement_group_id)
        .exclude(pk=quote.pk).order_by("article__published", "article_id")
    )
    versions = []
    for other in others:
        mine, theirs = word_diff(quote.text, other.text)
        versions.append({"quote": other, "mine": mine, "theirs": theirs, "same": quote.text.split() == other.text.split()})
    return versions


def article_paragraphs(article: Article, quotes) -> list[list[dict]]:
    """The body as paragraphs of segments; a segment is plain text or (part of) a quote."""
    body = article.body or ""
    spans, last_end = [], 0
    for q in sorted(quotes, key=lambda q: (q.start, -q.end)):
        if q.start >= last_end and q.end <= len(body):
            spans.append(q)
            last_end = q.end
    paragraphs = []
    pos = 0
    for m in list(re.finditer(r"\n\s*\n", body)) + [None]:
        p_start, p_end = pos, (m.start() if m else len(body))
        pos = m.end() if m else len(body)
        if not body[p_start:p_end].strip():
            continue
        segments, cursor = [], p_start
        for q in spans:
            if q.end <= p_start or q.start >= p_end:
                continue
            s, e = max(q.start, p_start), min(q.end, p_end)
            if s > cursor:
                segments.append({"text": body[cursor:s]})
            segments.append({"text": body[s:e], "quote": q, "first": s == q.start})
            cursor = e
        if cursor < p_end:
            segments.append({"text": body[cursor:p_end]})
        paragraphs.append(segments)
    return paragraphs


def organisation_people(organisation: Organisation) -> QuerySet:
    """Speakers the data ties to the organisation, directly or through an article's role."""
    ids = SpeakerAppearance.objects.filter(organisation=organisation).values("speaker_id")
    return speaker_directory().filter(Q(organisation=organisation) | Q(pk__in=ids))
