"""The client's IP address for login throttling.

Behind a reverse proxy REMOTE_ADDR is the proxy, which would lump every user together, so
with TRUSTED_PROXIES = n the address is the n-th entry from the right of X-Forwarded-For (the
one the outermost trusted proxy saw). Entries further left are client-supplied and ignored.
"""
from django.conf import settings


def client_ip(request) -> str:
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")
