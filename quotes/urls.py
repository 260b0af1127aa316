from django.urls import path, re_path

from quotes import views
from quotes.api import api
from quotes.feeds import SpeakerQuotesFeed

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("quotes/", views.QuoteListView.as_view(), name="quote-list"),
    re_path(r"^quotes/export\.(?P<fmt>csv|jsonl)$", views.QuoteExportView.as_view(), name="quote-export"),
    path("quotes/<int:pk>/", views.QuoteDetailView.as_view(), name="quote-detail"),
    path("quotes/<int:pk>/report/", views.QuoteReportView.as_view(), name="quote-report"),
    path("speakers/", views.SpeakerListView.as_view(), name="speaker-list"),
    path("speakers/<slug:slug>/", views.SpeakerDetailView.as_view(), name="speaker-detail"),
    path("speakers/<slug:slug>/feed/", SpeakerQuotesFeed(), name="speaker-feed"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article-detail"),
    path("api/", api.urls),
]
