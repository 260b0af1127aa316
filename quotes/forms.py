from django import forms


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
