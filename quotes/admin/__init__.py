"""The curation admin: find doubtful attributions fast, fix them in a few clicks, lose nothing.

One module per group of models; importing them runs their registrations. Actions and pages stay
thin: every write goes through quotes.curation, which marks what a curator touched and records
history with the curator and a reason.

- common: shared mixins and columns, the site titles, `shared_nlp`
- quotes: QuoteAdmin and its list filters
- reports: QuoteReportAdmin and the report inline
- people: SpeakerAdmin, OrganisationAdmin, their inlines and the merge action
- articles: ArticleAdmin (paste to add, re-extract)
- forms: the action forms and the paste form
"""
from quotes.admin import articles, common, people, quotes, reports  # noqa: F401  (registrations)
