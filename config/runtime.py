"""Process start-up for serving: load what every request uses, then take it out of the
garbage collector's sight.

Django, the URLconf, the compiled templates and the app's modules live as long as the
process, yet Python's cyclic collector walks all of them at every full collection. Measured
with bench_search at a million quotes, those pauses were the latency tail: p99 130 ms for
the search page and 57 ms for the API, 65 ms and 45 ms once the start-up objects are frozen
(gc.freeze, as Instagram does for its Django servers). config/wsgi.py calls this once per
server process; bench_search calls it before timing, so it measures a server as served.
"""
import gc


def prepare_for_serving() -> None:
    from django.template import engines
    from django.template.loader import get_template
    from django.urls import get_resolver

    get_resolver().url_patterns  # imports every view module
    for name in ("quotes/quote_list.html", "quotes/home.html", "quotes/speaker_detail.html",
                 "quotes/quote_detail.html", "partials/results.html", "partials/filters.html"):
        get_template(name)
    engines["jinja2"].get_template("quote_card.html")
    gc.collect()
    gc.freeze()
