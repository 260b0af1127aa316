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
from django.template import engines
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django_filters.views import FilterView

from quotes import curation
from quotes import search, selectors
from quotes.web.citation import FORMATS
from quotes.web.filters import OrganisationQuoteFilter, QuoteDownloadFilter, QuoteFilter, SpeakerQuoteFilter
from quotes.web.forms import NameSearchForm, QuoteReportForm
from quotes.models import Article, Organisation, Quote, SlugRedirect, Speaker

REPORTS_PER_HOUR = 5


def json_ld(data: dict) -> str:
    """JSON for a <script> element: '<', '>' and '&' escaped so text can never close the tag."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)


def prepare_cards(quotes, parsed: search.ParsedQuery | None = None, **flags) -> list[Quote]:
    """Decorate a page of quotes and render each one's card (`quote.card`, HTML) with a fixed
    number of queries. Flags for the card: hide_context, compact, cite_open."""
    card = engines["jinja2"].get_template("quote_card.html")
    quotes = selectors.decorate_quotes(quotes)
    marks = search.headlines(quotes, parsed) if parsed else {}
    labels = dict(FORMATS)
    for q in quotes:
        # A trailing comma belongs to the reporter's sentence, not to the quotation.
        q.display_text = q.text.rstrip().removesuffix(",")
        highlight = marks.get(q.pk)
        q.highlight = mark_safe(highlight.rstrip().removesuffix(",")) if highlight else None
        q.copy_list = [(key, labels[key], text) for key, text in q.copy.items()]
        q.card = mark_safe(card.render({"quote": q, **flags}))
    return quotes


class CappedPaginator(Paginator):
    """Counts at most selectors.COUNT_CAP + 1 rows: a million matches are not counted one by one."""

    @cached_property
    def count(self):
        return selectors.capped_count(self.object_list)


def result_count(fs, paginator, shown: int) -> tuple[int, bool, bool]:
    """(count to show, whether there are more than that, whether it is an estimate)."""
    listed = paginator.count if paginator else shown
    count, estimated = fs.result_size(listed)
    if estimated:
        return selectors.round_estimate(count), False, True
    return min(count, selectors.COUNT_CAP), count > selectors.COUNT_CAP, False


class QuoteSearchMixin:
    """A FilterView over public quotes with facets, highlights and decorated cards."""

    filterset_class = QuoteFilter
    paginate_by = 20
    paginator_class = CappedPaginator
    strict = True

    def base_queryset(self):
        return selectors.public_quotes()

    def get_queryset(self):
        return search.order(self.base_queryset(), "newest", search.ParsedQuery())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        fs = self.filterset
        valid = not fs.is_bound or fs.is_valid()
        context["quotes"] = prepare_cards(context["object_list"], fs.parsed)
        context["result_count"], context["result_count_more"], context["result_count_estimated"] = result_count(
            fs, context.get("paginator"), len(context["quotes"])
        )
        context["facets"] = (
            selectors.quote_facets(fs.matched, window=fs.facet_window()) if valid
            else selectors.quote_facets(fs.queryset.none())
        )
        context["search_message"] = fs.parsed.message
        context["query_string"] = self.request.GET.urlencode()
        context["filters_active"] = bool(fs.is_bound and valid and fs.active)
        return context


class HomeView(TemplateView):
    template_name = "quotes/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = search.order(selectors.public_quotes(), "newest", search.ParsedQuery())[:6]
        context["quotes"] = prepare_cards(latest)
        context["top_speakers"] = selectors.top_speakers(10)
        public = selectors.public_quotes()
        context["stats"] = {
            "quotes": public.count(),
            "speakers": Speaker.objects.filter(quotes__in=public.values("pk")).distinct().count(),
            "articles": Article.objects.count(),
        }
        context["outlets"] = selectors.outlet_counts(public)[:12]
        return context


class QuoteListView(QuoteSearchMixin, FilterView):
    template_name = "quotes/quote_list.html"


class QuoteExportView(FilterView):
    """The current search result as CSV or JSONL (the export records of selectors)."""

    filterset_class = QuoteDownloadFilter
    strict = True

    def get_queryset(self):
        return search.order(selectors.public_quotes(), "newest", search.ParsedQuery())

    def render_to_response(self, context, **kwargs):
        fmt = self.kwargs["fmt"]
        rows = (selectors.quote_export_record(q) for q in self.object_list.iterator(chunk_size=1000))
        if fmt == "csv":
            class Echo:
                def write(self, value):
                    return value

            writer = csv.DictWriter(Echo(), fieldnames=selectors.EXPORT_FIELDS)
            header = ",".join(selectors.EXPORT_FIELDS) + "\r\n"
            body = (writer.writerow(selectors.csv_row(r)) for r in rows)
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
        quote = prepare_cards([self.object], cite_open=True, hide_context=True)[0]
        context["quote"] = quote
        context["versions"] = selectors.statement_versions(quote)
        permalink = self.request.build_absolute_uri(quote.get_absolute_url())
        context["permalink"] = permalink
        context["json_ld"] = json_ld(self.quotation_ld(quote, permalink))
        return context

    def quotation_ld(self, quote: Quote, permalink: str) -> dict:
        article = quote.article
        data = {"@context": "https://schema.org", "@type": "Quotation", "url": permalink, "text": quote.text}
        if quote.speaker_id:
            person = {"@type": "Person", "name": quote.speaker.name,
                      "url": self.request.build_absolute_uri(quote.speaker.get_absolute_url())}
            if quote.role:
                person["jobTitle"] = quote.role
            if quote.speaker.wikidata_id:
                person["sameAs"] = f"https://www.wikidata.org/wiki/{quote.speaker.wikidata_id}"
            data["spokenByCharacter"] = data["creator"] = person
        elif quote.organisation_id:
            data["spokenByCharacter"] = data["creator"] = {"@type": "Organization", "name": quote.organisation.name}
        source = {"@type": "NewsArticle", "headline": article.title}
        if article.public_url:
            source["url"] = article.public_url
        if article.published:
            source["datePublished"] = article.published.isoformat()
        if article.outlet:
            source["publisher"] = {"@type": "Organization", "name": article.outlet}
        data["isBasedOn"] = source
        if article.published:
            data["dateCreated"] = article.published.isoformat()
        return data


def client_ip(request) -> str:
    """REMOTE_ADDR; a proxy in front must set it (e.g. via its own real-IP module)."""
    return request.META.get("REMOTE_ADDR", "unknown")


class QuoteReportView(FormView):
    """Report a problem with an attribution: no account, CSRF-protected, rate-limited per IP."""

    form_class = QuoteReportForm
    template_name = "quotes/quote_report.html"

    def dispatch(self, request, *args, **kwargs):
        self.quote = get_object_or_404(selectors.public_quotes(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["quote"] = prepare_cards([self.quote], compact=True)[0]
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
            ids = search.speaker_ids_like(self.q)
            qs = qs.filter(Q(pk__in=ids))
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


class SpeakerDetailView(SlugRedirectMixin, QuoteSearchMixin, FilterView):
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
        context.update(selectors.quote_profile(all_quotes))
        url = self.request.build_absolute_uri(speaker.get_absolute_url())
        person = {"@context": "https://schema.org", "@type": "Person", "name": speaker.name, "url": url}
        if speaker.role:
            person["jobTitle"] = speaker.role
        if speaker.organisation_id:
            person["affiliation"] = {"@type": "Organization", "name": speaker.organisation.name}
        if speaker.wikidata_id:
            person["sameAs"] = f"https://www.wikidata.org/wiki/{speaker.wikidata_id}"
        if context["aliases"]:
            person["alternateName"] = context["aliases"]
        context["json_ld"] = json_ld(person)
        params = self.request.GET.copy()
        params.pop("page", None)
        params["speaker"] = speaker.slug
        context["export_query"] = params.urlencode()
        return context


class OrganisationListView(DirectoryView):
    template_name = "quotes/organisation_list.html"
    context_object_name = "organisations"

    def get_queryset(self):
        public = ~Q(quotes__status=Quote.Status.REJECTED)
        qs = Organisation.objects.annotate(
            n_quotes=Count("quotes", filter=public, distinct=True), n_people=Count("speakers", distinct=True)
        ).filter(Q(n_quotes__gt=0) | Q(n_people__gt=0))
        if not self.search_form.is_valid():
            return qs.none()
        if self.q:
            matching = Organisation.objects.filter(
                Q(name__icontains=self.q) | Q(aliases__key__contains=search.name_key(self.q) or self.q)
            ).values("pk")
            qs = qs.filter(pk__in=matching)
        return qs.order_by("-n_quotes", "name")


class OrganisationDetailView(SlugRedirectMixin, QuoteSearchMixin, FilterView):
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
        context["has_statements"] = bool(context["quotes"]) or self.base_queryset().exists()
        return context


class ArticleDetailView(DetailView):
    """The cleaned text with every public quote marked, to check attributions against it."""

    model = Article
    template_name = "quotes/article_detail.html"
    context_object_name = "article"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quotes = list(
            selectors.public_quotes().filter(article=self.object).order_by("start")
        )
        quotes = prepare_cards(quotes)
        context["quotes"] = quotes
        context["paragraphs"] = selectors.article_paragraphs(self.object, quotes)
        return context
