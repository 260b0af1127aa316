"""Speakers and organisations: counts, aliases, the roles articles gave, merging, and a search
that finds names the way the public site does (alias keys, spelling variants)."""
from django.contrib import admin, messages
from django.db.models import Count, Q
from simple_history.admin import SimpleHistoryAdmin

from quotes import curation, search
from quotes.admin.common import (
    CURATION_MEDIA,
    IntermediateActionMixin,
    PublicPageColumn,
    QuoteCountColumn,
    RecentChangesMixin,
    WidenedSearchMixin,
    plural,
)
from quotes.admin.forms import MergeForm
from quotes.models import (
    Organisation,
    OrganisationAlias,
    Quote,
    Speaker,
    SpeakerAlias,
    SpeakerAppearance,
)


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    extra = 1
    fields = ["name"]


class SpeakerAppearanceInline(admin.TabularInline):
    """How each article presented the speaker (read-only: that is what the article said)."""

    model = SpeakerAppearance
    extra = 0
    can_delete = False
    fields = ["article", "name_as_written", "role", "organisation"]
    readonly_fields = fields
    verbose_name_plural = "roles as given by articles"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article", "organisation").defer("article__body")


class OrganisationAliasInline(admin.TabularInline):
    model = OrganisationAlias
    extra = 1
    fields = ["name"]


class PersonAdmin(
    QuoteCountColumn, PublicPageColumn, WidenedSearchMixin, RecentChangesMixin, IntermediateActionMixin,
    SimpleHistoryAdmin,
):
    """What the speaker and organisation pages share: columns, history, merging."""

    class Media:
        css = CURATION_MEDIA

    merge_service = None
    merge_noun = ""
    ordering = ["name"]  # aggregate queries drop Meta.ordering; autocomplete pages need one
    actions = ["merge"]

    @admin.action(description="Merge selected…", permissions=["change"])
    def merge(self, request, queryset):
        noun = self.merge_noun

        def apply(data):
            survivor = data["survivor"]
            outcome = type(self).merge_service(survivor, others=list(queryset), user=request.user)
            self.message_user(
                request,
                f"Merged {plural(outcome.merged, noun)} into {survivor}: "
                f"{plural(outcome.quotes, 'quote')} and {plural(outcome.aliases, 'alias')} moved.",
                messages.SUCCESS,
            )

        return self.action_form_response(
            request, queryset, MergeForm, f"Merge {noun}s", "Merge", apply
        )


@admin.register(Speaker)
class SpeakerAdmin(PersonAdmin):
    merge_service = curation.speaker_merge
    merge_noun = "speaker"
    list_display = ["name", "role", "organisation", "quote_count", "verified_count"]
    list_select_related = ["organisation"]
    list_filter = [("organisation", admin.RelatedOnlyFieldListFilter), "gender"]
    search_fields = ["name", "aliases__name", "role"]
    search_help_text = "Names and aliases (spelling variants too), roles"
    autocomplete_fields = ["organisation"]
    readonly_fields = ["slug", "public_link", "curated", "recent_changes"]
    fields = [
        "name", "slug", "public_link", "role", "organisation", "gender", "wikidata_id", "curated", "recent_changes",
    ]
    inlines = [SpeakerAliasInline, SpeakerAppearanceInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                quote_count=Count("quotes", distinct=True),
                verified_count=Count("quotes", filter=Q(quotes__status=Quote.Status.VERIFIED), distinct=True),
            )
        )

    def search_condition(self, request, search_term):
        """What the substring search finds, and speakers the site's name search finds."""
        return self.substring_found(request, search_term) | Q(pk__in=search.speaker_ids_like(search_term))

    def save_model(self, request, obj, form, change):
        curation.speaker_save_by_curator(obj, user=request.user, form_changed=form.changed_data)

    @admin.display(description="verified", ordering="verified_count")
    def verified_count(self, obj):
        return obj.verified_count


@admin.register(Organisation)
class OrganisationAdmin(PersonAdmin):
    merge_service = curation.organisation_merge
    merge_noun = "organisation"
    list_display = ["name", "kind", "quote_count", "speaker_count"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__name"]
    search_help_text = "Names and aliases (any spelling that folds to the same letters)"
    readonly_fields = ["slug", "public_link", "recent_changes"]
    fields = ["name", "slug", "public_link", "kind", "wikidata_id", "recent_changes"]
    inlines = [OrganisationAliasInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(quote_count=Count("quotes", distinct=True), speaker_count=Count("speakers", distinct=True))
        )

    def search_condition(self, request, search_term):
        """What the substring search finds, and organisations as the site finds them by name
        (an alias whose folded key, case, accents and transliteration aside, contains the term's)."""
        return self.substring_found(request, search_term) | Q(pk__in=search.organisation_ids_like(search_term))

    @admin.display(description="speakers", ordering="speaker_count")
    def speaker_count(self, obj):
        return obj.speaker_count
