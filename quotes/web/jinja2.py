"""The Jinja2 environment for the quote card, the one template rendered many times a page.

Django's template language took 42 ms to render 20 cards (bench_search profile at 100,000
quotes); Jinja2 compiles the same template to Python and renders it several times faster.
Pages stay Django templates and receive each card as HTML (views.prepare_cards).
"""
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.text import capfirst
from jinja2 import Environment


def environment(**options) -> Environment:
    env = Environment(**options)
    env.globals["url"] = lambda name, *args: reverse(name, args=args)
    env.filters["capfirst"] = capfirst
    env.filters["date"] = lambda value, fmt: date_format(value, fmt) if value else ""
    return env
