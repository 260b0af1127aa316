"""Forms of the curation admin: the intermediate action pages and the paste-an-article page."""
from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.urls import reverse
from django.utils.html import format_html

from quotes import curation
from quotes.ingest.pipeline import prepare
from quotes.models import Article, Quote


def use_quote_autocomplete(form, name: str) -> None:
    """The admin's autocomplete widget for Quote.<name> on an action form."""
    field = Quote._meta.get_field(name)
    form.fields[name].widget = AutocompleteSelect(field, form.admin_site)
    form.fields[name].queryset = field.related_model.objects.all()  # after the widget: sets its choices


class ActionForm(forms.Form):
    """An intermediate action form; `admin_site` feeds the autocomplete widgets."""

    def __init__(self, *args, admin_site=None, queryset=None, **kwargs):
        self.admin_site = admin_site
        self.queryset = queryset
        super().__init__(*args, **kwargs)


class ReassignSpeakerForm(ActionForm):
    speaker = forms.ModelChoiceField(queryset=None, label="New speaker")
    use_organisation = forms.BooleanField(
        required=False,
        initial=True,
        label="Also use the speaker's organisation",
        help_text="Set each quote's organisation to the new speaker's, when the speaker has one.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_quote_autocomplete(self, "speaker")


class SetOrganisationForm(ActionForm):
    organisation = forms.ModelChoiceField(
        queryset=None, required=False, help_text="Leave empty to clear the organisation."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_quote_autocomplete(self, "organisation")


class MergeForm(ActionForm):
    """Pick the surviving row among the selected ones."""

    survivor = forms.ModelChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep",
        help_text="The others are folded into it and deleted; their pages redirect to it.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = self.queryset
        self.fields["survivor"].label_from_instance = self.label_for
        if self.queryset is not None and not self.is_bound:
            first = self.queryset.order_by("-quote_count", "pk").first()
            self.initial.setdefault("survivor", first.pk if first else None)

    @staticmethod
    def label_for(obj):
        count = getattr(obj, "quote_count", None)
        return f"{obj} ({obj.slug}, {count} quotes)" if count is not None else f"{obj} ({obj.slug})"

    def clean(self):
        if self.queryset is not None and self.queryset.count() < 2:
            raise forms.ValidationError("Select at least two rows to merge.")
        return super().clean()


class QuoteAdminForm(forms.ModelForm):
    class Meta:
        model = Quote
        fields = "__all__"

    def clean(self):
        """The reject reason is made to agree with the status before the model validates it."""
        data = super().clean()
        if data.get("status"):
            data["reject_reason"] = curation.quote_reject_reason(
                status=data["status"], reject_reason=data.get("reject_reason", "")
            )
        return data


class ArticlePasteForm(forms.ModelForm):
    """Add an article by pasting its text; saving runs the extractor at once."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
        help_text="The article as copied from the page. Quotes are extracted when you save.",
    )
    url = forms.URLField(required=False, max_length=1000, assume_scheme="https")

    class Meta:
        model = Article
        fields = ["title", "outlet", "url", "published"]

    def clean_text(self):
        """Cleaned and keyed once here; saving stores this very preparation (`self.prepared`)."""
        try:
            self.prepared = prepare(self.cleaned_data["text"])
        except ValueError:
            raise forms.ValidationError("No article text found in what was pasted.") from None
        existing = Article.objects.filter(content_hash=self.prepared.digest).first()
        if existing:
            url = reverse("admin:quotes_article_change", args=[existing.pk])
            raise forms.ValidationError(
                format_html('This text is already stored as <a href="{}">{}</a>.', url, existing.title)
            )
        return self.cleaned_data["text"]
