from django import forms

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
