from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from quotes.models import (
    Article,
    Organisation,
    OrganisationAlias,
    Quote,
    QuoteReport,
    Speaker,
    SpeakerAlias,
    SpeakerAppearance,
)


class SpeakerAliasInline(admin.TabularInline):
    model = SpeakerAlias
    extra = 0


class OrganisationAliasInline(admin.TabularInline):
    model = OrganisationAlias
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__name"]
    inlines = [OrganisationAliasInline]


@admin.register(Speaker)
class SpeakerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "role", "organisation"]
    search_fields = ["name", "aliases__name"]
    autocomplete_fields = ["organisation"]
    inlines = [SpeakerAliasInline]


class QuoteInline(admin.TabularInline):
    model = Quote
    extra = 0
    fields = ["text", "speaker", "organisation", "kind", "status", "confidence"]
    readonly_fields = ["text", "confidence"]
    autocomplete_fields = ["speaker", "organisation"]
    show_change_link = True


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "outlet", "published"]
    list_filter = ["outlet"]
    search_fields = ["title", "body"]
    inlines = [QuoteInline]


@admin.register(Quote)
class QuoteAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "speaker", "organisation", "article", "confidence", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["text", "speaker__name", "speaker__aliases__name", "article__title"]
    autocomplete_fields = ["speaker", "organisation"]
    list_select_related = ["speaker", "organisation", "article"]


admin.site.register(QuoteReport)
admin.site.register(SpeakerAppearance)
