from django.urls import path, re_path

from quotes.web import views
from quotes.api import api
from quotes.web.caching import public_page_cache as cached
from quotes.web.feeds import SpeakerQuotesFeed

urlpatterns = [
    path("", cached(views.HomeView.as_view()), name="home"),
    path("quotes/", cached(views.QuoteListView.as_view()), name="quote-list"),
    re_path(r"^quotes/export\.(?P<fmt>csv|jsonl)$", views.QuoteExportView.as_view(), name="quote-export"),
    path("quotes/<int:pk>/", cached(views.QuoteDetailView.as_view()), name="quote-detail"),
    path("quotes/<int:pk>/report/", views.QuoteReportView.as_view(), name="quote-report"),
    path("speakers/", cached(views.SpeakerListView.as_view()), name="speaker-list"),
    path("speakers/<slug:slug>/", cached(views.SpeakerDetailView.as_view()), name="speaker-detail"),
    path("speakers/<slug:slug>/feed/", SpeakerQuotesFeed(), name="speaker-feed"),
    path("organisations/", cached(views.OrganisationListView.as_view()), name="organisation-list"),
    path("organisations/<slug:slug>/", cached(views.OrganisationDetailView.as_view()), name="organisation-detail"),
    path("articles/<int:pk>/", cached(views.ArticleDetailView.as_view()), name="article-detail"),
    path("api/", api.urls),
]
