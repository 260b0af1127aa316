"""Hostile input: every public page and API endpoint answers 2xx, 3xx or 4xx, never 500.

The URL patterns are read from the resolver, so a new page is covered as soon as it exists
(a pattern with path arguments must get sample arguments in SAMPLE_ARGS, or this fails). Each
is requested with every hostile value in every known query parameter, one parameter at a time.
No response may reveal a rejected quote, and no HTML response may carry the hostile markup.
"""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote as urlquote

import django_filters
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from quotes.api import api
from quotes.models import Quote
from tests.factories import ArticleFactory, OrganisationFactory, QuoteFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

SECRET = "Rejected secret words"
SCRIPT = "<script>alert(1)</script>"

# Values as a reader would type them (percent-encoded into the query string).
HOSTILE = {
    "sql-or": "' OR 1=1 --",
    "sql-drop": '"; DROP TABLE quotes_quote; --',
    "fts-near": "NEAR(",
    "fts-unterminated": '"unterminated',
    "fts-star": "*",
    "fts-minus": "-",
    "fts-or-or": "OR OR",
    "fts-column": "text:term",
    "fts-caret": "^",
    "script": SCRIPT,
    "huge": "x" * 100_000,
    "bad-date": "2021-13-45",
    "word-date": "yesterday",
    "page-huge": "999999",
    "page-negative": "-1",
    "not-a-number": "abc",
    "int-overflow": "9" * 40,
    "unknown-slug": "no-such-speaker-anywhere",
    "rejected": "rejected",
    "nul": "\x00",
    "nul-inside": "talks\x00sanctions",
    "unicode": "ﬁ😀\u202e\ufeff",
}
# Inserted into the query string as they are: broken percent-encodings.
RAW = {
    "pct-invalid-utf8": "%ff",
    "pct-nul": "%00",
    "pct-overlong": "%c0%af",
}

# Path arguments for the patterns that have them, by URL name (namespace:name for the API).
SAMPLE_ARGS = {
    "quote-export": lambda d: [{"fmt": "csv"}, {"fmt": "jsonl"}],
    "quote-detail": lambda d: [{"pk": d["quote"].pk}],
    "quote-report": lambda d: [{"pk": d["quote"].pk}],
    "speaker-detail": lambda d: [{"slug": d["speaker"].slug}],
    "speaker-feed": lambda d: [{"slug": d["speaker"].slug}],
    "organisation-detail": lambda d: [{"slug": d["organisation"].slug}],
    "article-detail": lambda d: [{"pk": d["article"].pk}],
    "api:get_quote": lambda d: [{"quote_id": d["quote"].pk}],
    "api:get_speaker": lambda d: [{"slug": d["speaker"].slug}],
    "api:get_organisation": lambda d: [{"slug": d["organisation"].slug}],
    "api:get_article": lambda d: [{"article_id": d["article"].pk}],
}
PRIVATE_NAMESPACES = {"admin"}  # needs a staff login: anonymous requests redirect to it


def url_patterns(patterns=None, namespace=None):
    """(URL name, pattern) for every public pattern of the project."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            if p.namespace in PRIVATE_NAMESPACES:
                continue
            yield from url_patterns(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield (f"{namespace}:{p.name}" if namespace else p.name), p


PATTERNS = dict(url_patterns())


def filter_parameters(filterset_class) -> set[str]:
    names = set()
    for name, f in filterset_class.base_filters.items():
        if isinstance(f, django_filters.DateFromToRangeFilter):
            names |= {f"{name}_after", f"{name}_before"}
        elif f is not None:
            names.add(name)
    return names


OPENAPI = api.get_openapi_schema()


def parameters_read_by(pattern) -> set[str]:
    """The query parameters a URL pattern's view reads: its FilterSet's, its OpenAPI query
    parameters, and `q` and `page` on the paginated list pages."""
    route = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", _ROUTES[pattern])
    names = set()
    for operation in OPENAPI["paths"].get(route, {}).values():
        names |= {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    view = getattr(pattern.callback, "view_class", None)
    if getattr(view, "filterset_class", None):
        names |= filter_parameters(view.filterset_class)
    if getattr(view, "paginate_by", None):
        names |= {"q", "page"}
    return names


_ROUTES = {}


def _collect_routes(patterns=None, prefix=""):
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            _collect_routes(p.url_patterns, prefix + str(p.pattern))
        else:
            _ROUTES[p] = prefix + str(p.pattern)


_collect_routes()
PARAMETERS = sorted(set().union(*(parameters_read_by(p) for p in PATTERNS.values())))


def query_strings(params):
    """(label, query string): each parameter a page reads with each hostile value, and repeated;
    a page that reads none gets every known parameter at once with each value (it must ignore them)."""
    values = [(label, urlquote(value, safe="")) for label, value in HOSTILE.items()] + list(RAW.items())
    for param in sorted(params):
        for label, value in values:
            yield f"{param}={label}", f"{param}={value}"
        yield f"{param} repeated", f"{param}=verified&{param}=rejected&{param}=%ff&{param}=" + urlquote(SCRIPT)
    for label, value in values if not params else []:
        yield f"all={label}", "&".join(f"{param}={value}" for param in PARAMETERS)
    yield "raw-keys", "%ff=1&%00=2&=3&&&q"
    yield "too-many-fields", "&".join(f"f{i}=1" for i in range(1500))


@pytest.fixture
def sample():
    org = OrganisationFactory(name="Ministry of Talks")
    speaker = SpeakerFactory(name="Ana Lima", organisation=org)
    article = ArticleFactory(outlet="DW", published=dt.date(2022, 1, 10))
    quote = QuoteFactory(text="We discussed sanctions and talks", speaker=speaker, article=article,
                         organisation=org, status=Quote.Status.VERIFIED)
    QuoteFactory(text=f"{SECRET} about sanctions", speaker=speaker, article=article, start=40, end=60,
                 status=Quote.Status.REJECTED)
    QuoteFactory(text="Talks in Geneva", speaker=None, organisation=org, start=80, end=95)
    return {"organisation": org, "speaker": speaker, "article": article, "quote": quote}


def concrete_urls(name, data):
    pattern = PATTERNS[name]
    if not pattern.pattern.regex.groupindex:
        return [reverse(name)]
    assert name in SAMPLE_ARGS, f"add sample path arguments for the new URL pattern {name!r} to SAMPLE_ARGS"
    return [reverse(name, kwargs=kwargs) for kwargs in SAMPLE_ARGS[name](data)]


def check(response, url) -> str | None:
    """Why a response is unacceptable, or None."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.status_code >= 500:
        return f"{response.status_code}"
    text = body.decode("utf-8", "replace")
    if SECRET in text:
        return "reveals a rejected quote"
    if "html" in response.get("Content-Type", "") and "<script>alert(1)" in text:
        return "reflects markup unescaped"
    return None


def test_every_url_pattern_with_path_arguments_has_samples():
    missing = [n for n, p in PATTERNS.items() if p.pattern.regex.groupindex and n not in SAMPLE_ARGS]
    assert not missing, f"add sample path arguments for {missing} to SAMPLE_ARGS"


def test_the_known_parameters_include_every_filter_and_api_parameter():
    assert {"q", "speaker", "organisation", "outlet", "date_after", "date_before", "kind", "status",
            "sort", "page"} <= set(PARAMETERS)


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_hostile_query_string_makes_a_page_fail(name, sample):
    client = Client(raise_request_exception=False)
    failures = []
    for url in concrete_urls(name, sample):
        for label, query in query_strings(parameters_read_by(PATTERNS[name])):
            response = client.get(f"{url}?{query}")
            problem = check(response, url)
            if problem:
                failures.append(f"{url} {label}: {problem}")
    assert not failures, "\n".join(failures[:40])


HOSTILE_PATH_ARGS = ["0", "-1", "9" * 40, "abc", "%00", "%ff", "a%00b", "x" * 5000, "..", "%2e%2e%2f",
                     urlquote(SCRIPT, safe=""), urlquote("' OR 1=1 --", safe="")]


@pytest.mark.parametrize("name", sorted(n for n in SAMPLE_ARGS if n in PATTERNS and n != "quote-export"))
def test_no_hostile_path_argument_makes_a_page_fail(name, sample):
    """Ids and slugs in the path: nonexistent, overflowing, NUL, broken UTF-8: 404, never 500."""
    client = Client(raise_request_exception=False)
    [kwargs] = SAMPLE_ARGS[name](sample)
    [(arg, real)] = kwargs.items()
    url = reverse(name, kwargs=kwargs)
    failures = []
    for bad in HOSTILE_PATH_ARGS:
        hostile_url = url.replace(f"/{real}/", f"/{bad}/", 1)
        response = client.get(hostile_url)
        if response.status_code >= 500 or response.status_code < 400 and response.status_code != 301:
            failures.append(f"{hostile_url[:80]}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_rejected_status_filter_shows_no_rejected_quote(client, sample):
    for url in ["/quotes/", "/api/quotes/", "/quotes/export.csv", "/quotes/export.jsonl",
                sample["speaker"].get_absolute_url()]:
        response = client.get(url, {"status": "rejected"})
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert response.status_code in (200, 400, 422) and SECRET.encode() not in body, url


def test_hostile_report_form_posts_are_refused_or_accepted_never_an_error(sample):
    client = Client(raise_request_exception=False)
    url = reverse("quote-report", args=[sample["quote"].pk])
    for label, value in HOSTILE.items():
        cache.clear()
        response = client.post(url, {"note": value, "website": value})
        assert response.status_code in (200, 302), (label, response.status_code)
