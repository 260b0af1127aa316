from django.shortcuts import get_object_or_404, render
from django.views.generic import DetailView, ListView

from quotes.models import Article, Organisation, Quote, Speaker


def public_quotes():
    return Quote.objects.exclude(status=Quote.Status.REJECTED).select_related("speaker", "organisation", "article")


class HomeView(ListView):
    template_name = "quotes/home.html"
    context_object_name = "quotes"
    paginate_by = 30

    def get_queryset(self):
        return public_quotes().order_by("-article__published", "-article_id", "start")


class QuoteDetailView(DetailView):
    template_name = "quotes/quote_detail.html"
    context_object_name = "quote"

    def get_queryset(self):
        return public_quotes()


class SpeakerDetailView(DetailView):
    model = Speaker
    template_name = "quotes/speaker_detail.html"


class OrganisationDetailView(DetailView):
    model = Organisation
    template_name = "quotes/organisation_detail.html"


class ArticleDetailView(DetailView):
    model = Article
    template_name = "quotes/article_detail.html"
