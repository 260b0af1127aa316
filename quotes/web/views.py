"""The public site. Views stay thin: search lives in quotes/search/, reads in selectors."""
from __future__ import annotations

import csv
import json

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponsePermanentRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import DetailView, FormView, ListView, TemplateView, View

from config.client_ip import client_ip
from quotes import curation, exports, search, selectors
from quotes.models import Article, Organisation, SlugRedirect, Speaker
from quotes.search.filters import OrganisationQuoteFilter, QuoteFilter, SpeakerQuoteFilter
from quotes.web import jsonld
from quotes.web.cards import rendered_cards
from quotes.web.forms import NameSearchForm, QuoteReportForm
from quotes.web.text import article_paragraphs, statement_diffs
from quotes.web.timeline import quote_timeline

REPORTS_PER_HOUR = 5


class CappedPaginator(Paginator):
    """Counts at most search.COUNT_CAP + 1 rows: a million matches are not counted one by one."""

    @cached_property
    def count(self):
        return search.capped_count(self.object_list)


class QuoteSearchMixin(ListView):
    """A page of public quotes found through the search entrance, with facets, highlights and
    cards. Subclasses narrow `base_queryset` and choose the filter set."""

    filterset_class = QuoteFilter
    paginate_by = 20
    paginator_class = CappedPaginator

    def base_queryset(self):
        return selectors.public_quotes()

    def get_queryset(self):
        self.search = search.quote_search(self.request.GET, base=self.base_queryset(),
                                          filterset_class=self.filterset_class)
        return self.search.results

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        found = self.search
        page_quotes = list(context["object_list"])
        context["quotes"] = page_quotes
        context["cards"] = rendered_cards(page_quotes, found.highlights(page_quotes))
        paginator = context.get("paginator")
        context["result_count"], context["result_count_more"], context["result_count_estimated"] = (
            found.shown_count(paginator.count if paginator else len(page_quotes))
        )
        context["search"] = found
        context["facets"] = found.facets()
        context["search_message"] = found.message
        context["query_string"] = self.request.GET.urlencode()
        context["filters_active"] = found.active
        return context


class HomeView(TemplateView):
    template_name = "quotes/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cards"] = rendered_cards(search.newest_first(selectors.public_quotes())[:6])
        context["top_speakers"] = selectors.top_speakers(10)
        public = selectors.public_quotes()
        context["stats"] = {
            "quotes": public.count(),
            "speakers": Speaker.objects.filter(quotes__in=public.values("pk")).distinct().count(),
            "articles": Article.objects.count(),
        }
        context["outlets"] = selectors.outlet_counts(public)[:12]
        return context


class QuoteListView(QuoteSearchMixin):
    template_name = "quotes/quote_list.html"


class QuoteExportView(View):
    """The current search result as CSV or JSONL: every match (newest first), not a page."""

    def get(self, request, fmt):
        found = search.quote_search(request.GET, base=selectors.public_quotes(), rank=False)
        rows = (exports.quote_export_record(q) for q in found.results.iterator(chunk_size=1000))
        if fmt == "csv":
            class Echo:
                def write(self, value):
                    return value

            writer = csv.DictWriter(Echo(), fieldnames=exports.EXPORT_FIELDS)
            header = ",".join(exports.EXPORT_FIELDS) + "\r\n"
            body = (writer.writerow(exports.csv_row(r)) for r in rows)
            response = StreamingHttpResponse(_chain([header], body), content_type="text/csv; charset=utf-8")
        else:
            body = (json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
            response = StreamingHttpResponse(body, content_type="application/x-ndjson; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="quotes.{fmt}"'
        return response


def _chain(*iterables):
    for it in iterables:
        yield from it


class QuoteDetailView(DetailView):
    template_name = "quotes/quote_detail.html"
    context_object_name = "quote"

    def get_queryset(self):
        return selectors.public_quotes()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quote = self.object
        card = rendered_cards([quote], cite_open=True, hide_context=True)[0]
        context["card"] = card
        context["versions"] = statement_diffs(quote, selectors.statement_versions(quote))
        permalink = self.request.build_absolute_uri(quote.get_absolute_url())
        context["permalink"] = permalink
        context["json_ld"] = jsonld.script(jsonld.quotation(self.request, card, permalink))
        return context


class QuoteReportView(FormView):
    """Report a problem with an attribution: no account, CSRF-protected, rate-limited per IP."""

    form_class = QuoteReportForm
    template_name = "quotes/quote_report.html"

    def dispatch(self, request, *args, **kwargs):
        self.quote = get_object_or_404(selectors.public_quotes(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["quote"] = self.quote
        context["card"] = rendered_cards([self.quote], compact=True)[0]
        return context

    def post(self, request, *args, **kwargs):
        key = f"quote-report:{client_ip(request)}"
        cache.add(key, 0, timeout=3600)
        if cache.get(key, 0) >= REPORTS_PER_HOUR:
            context = self.get_context_data(form=self.get_form())
            context["rate_limited"] = True
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if form.cleaned_data.get("website"):  # honeypot: humans leave it empty
            return redirect(self.quote.get_absolute_url())
        curation.quote_report_create(self.quote, note=form.cleaned_data["note"])
        key = f"quote-report:{client_ip(self.request)}"
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=3600)
        messages.success(self.request, "Thank you. An editor will check this attribution.")
        return redirect(self.quote.get_absolute_url())


class DirectoryView(ListView):
    """A paginated directory with a `q` name search (NameSearchForm)."""

    paginate_by = 50

    def get(self, request, *args, **kwargs):
        self.search_form = NameSearchForm(request.GET)
        self.q = self.search_form.cleaned_data["q"] if self.search_form.is_valid() else ""
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(q=self.q, search_form=self.search_form, **kwargs)


class SpeakerListView(DirectoryView):
    template_name = "quotes/speaker_list.html"
    context_object_name = "speakers"

    def get_queryset(self):
        qs = selectors.speaker_directory()
        if not self.search_form.is_valid():
            return qs.none()
        if self.q:
            qs = qs.filter(pk__in=search.speaker_ids_like(self.q))
        return qs


def _redirect_old_slug(model, slug: str, field: str):
    redirect_row = (
        SlugRedirect.objects.filter(old_slug=slug, **{f"{field}__isnull": False})
        .select_related(field).first()
    )
    if redirect_row is None:
        raise Http404(f"No {model._meta.verbose_name} here")
    return getattr(redirect_row, field)


class SlugRedirectMixin:
    """A merged-away slug answers with a 301 to the surviving page."""

    redirect_field = "speaker"

    def get(self, request, *args, **kwargs):
        slug = kwargs["slug"]
        model = Speaker if self.redirect_field == "speaker" else Organisation
        if not model.objects.filter(slug=slug).exists():
            target = _redirect_old_slug(model, slug, self.redirect_field)
            url = target.get_absolute_url()
            if request.GET:
                url += "?" + request.GET.urlencode()
            return HttpResponsePermanentRedirect(url)
        return super().get(request, *args, **kwargs)


class SpeakerDetailView(SlugRedirectMixin, QuoteSearchMixin):
    template_name = "quotes/speaker_detail.html"
    filterset_class = SpeakerQuoteFilter

    @property
    def speaker(self) -> Speaker:
        if not hasattr(self, "_speaker"):
            self._speaker = get_object_or_404(
                Speaker.objects.select_related("organisation").prefetch_related("aliases"), slug=self.kwargs["slug"]
            )
        return self._speaker

    def base_queryset(self):
        return selectors.public_quotes().filter(speaker=self.speaker)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        speaker = self.speaker
        all_quotes = self.base_queryset()
        context["speaker"] = speaker
        context["aliases"] = sorted({a.name for a in speaker.aliases.all()} - {speaker.name})
        context["roles"] = selectors.speaker_roles(speaker)
        profile = selectors.quote_profile(all_quotes)
        context.update(n_quotes=profile["n_quotes"], outlets=profile["outlets"], timeline=quote_timeline(profile["dates"]))
        context["json_ld"] = jsonld.script(jsonld.person(self.request, speaker, context["aliases"]))
        params = self.request.GET.copy()
        params.pop("page", None)
        params["speaker"] = speaker.slug
        context["export_query"] = params.urlencode()
        return context


class OrganisationListView(DirectoryView):
    template_name = "quotes/organisation_list.html"
    context_object_name = "organisations"

    def get_queryset(self):
        qs = selectors.organisation_directory().annotate(n_people=Count("speakers", distinct=True))
        qs = qs.filter(Q(n_quotes__gt=0) | Q(n_people__gt=0))
        if not self.search_form.is_valid():
            return qs.none()
        if self.q:
            qs = qs.filter(pk__in=search.organisation_ids_like(self.q))
        return qs.order_by("-n_quotes", "name")


class OrganisationDetailView(SlugRedirectMixin, QuoteSearchMixin):
    """An organisation's people and its own statements (quotes with no individual speaker)."""

    template_name = "quotes/organisation_detail.html"
    filterset_class = OrganisationQuoteFilter
    redirect_field = "organisation"

    @property
    def organisation(self) -> Organisation:
        if not hasattr(self, "_organisation"):
            self._organisation = get_object_or_404(Organisation, slug=self.kwargs["slug"])
        return self._organisation

    def base_queryset(self):
        return selectors.public_quotes().filter(speaker__isnull=True, organisation=self.organisation)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisation"] = self.organisation
        context["people"] = list(selectors.organisation_people(self.organisation)[:60])
        context["all_quotes_url"] = reverse("quote-list") + f"?organisation={self.organisation.slug}"
        context["hide_downloads"] = True
        context["has_statements"] = bool(context["cards"]) or self.base_queryset().exists()
        return context


class ArticleDetailView(DetailView):
    """The cleaned text with every public quote marked, to check attributions against it."""

    model = Article
    template_name = "quotes/article_detail.html"
    context_object_name = "article"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quotes = list(selectors.public_quotes().filter(article=self.object).order_by("start"))
        context["quotes"] = quotes
        context["paragraphs"] = article_paragraphs(self.object, quotes)
        return context
