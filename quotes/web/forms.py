from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from quotes.search import MAX_QUERY_LENGTH


class QuoteReportForm(forms.Form):
    note = forms.CharField(
        label="What is wrong with this attribution?",
        min_length=5,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="E.g. the wrong speaker, a wrong role, or words the source does not contain. "
        "Say how you know if you can.",
    )
    # Honeypot: hidden from people by CSS; bots that fill every field are ignored.
    website = forms.CharField(
        required=False,
        label="Leave this empty",
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )


class NameSearchForm(forms.Form):
    """The `q` box of the speaker and organisation directories. A NUL character (which no
    name contains and PostgreSQL cannot compare) makes the form invalid; a long query is cut."""

    q = forms.CharField(required=False)

    def clean_q(self):
        return self.cleaned_data["q"][:MAX_QUERY_LENGTH].strip()


class QuickSelect(forms.Select):
    """A single <select> built by joining strings. Django renders each <option> through a
    template: 113 ms a page for 300 outlets (bench_search profile); this takes about 1 ms."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(v)}"{" selected" if v in selected else ""}>{escape(label)}</option>'
            for v, label in ((str(v), str(label)) for v, label in self.choices)
        )
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final_attrs), mark_safe(options))
