"""A short-lived cache of the public, anonymous pages and API reads.

Every reader without a session sees the same page for the same URL, and the expensive parts
(counts and facets over the whole database, ranking) change only when an ingest or a curator
does, so a page is kept for settings.PAGE_CACHE_SECONDS (0 turns the cache off; it is off in
development and in tests unless a test turns it on).

Never cached: a request that carries a session or messages cookie (a curator, or a reader who
just sent a report and is shown a thank-you message), a response that sets a cookie or used the
session or the CSRF token (forms), and anything but a complete 200 response.
"""
from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache

PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")


def _is_personal(request) -> bool:
    return any(name in request.COOKIES for name in PERSONAL_COOKIES)


def _key(request) -> str:
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return "page:" + hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


def _cacheable(request, response) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (session is not None and session.accessed)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(getattr(request, "_messages", None), "used", False)
    )


def public_page_cache(view):
    """Serve a GET of `view` from the cache when it is the same for every anonymous reader."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = getattr(settings, "PAGE_CACHE_SECONDS", 0)
        if not seconds or request.method not in ("GET", "HEAD") or _is_personal(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
            response.render()
        if _cacheable(request, response):
            cache.set(key, response, seconds)
        return response

    return wrapped
