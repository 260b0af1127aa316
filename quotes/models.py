"""The quote database: articles, the quotes found in them, and who said them.

Names are matched through `name_key` (transliterated, lower-case, punctuation-free) so that
"Sergey Lavrov" and "Sergei Lavrov" meet in the alias table rather than in ad-hoc lookups.
"""
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from quotes.extraction.names import name_key
from quotes.indexes import NullsLastIndex, PostgreSQLGinIndex


# Models --------------------------------------------------------------------------------------


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


_UNSAFE_URL_CHARS = re.compile(r"[\x00-\x20\x7f<>\"'`\\]")


def safe_http_url(url: str | None) -> str:
    url = (url or "").strip()
    if not url or _UNSAFE_URL_CHARS.search(url):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def unique_slug(model, text, max_length=80):
    """A slug for `text` that no row of `model` uses yet (suffix -2, -3 … on collision)."""
    base = slugify(text)[:max_length].strip("-") or "item"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base[: max_length - 6]}-{n}"
        n += 1
    return slug


class Organisation(TimeStamped):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government body"
        NEWS_AGENCY = "news_agency", "News organisation"
        THINK_TANK = "think_tank", "Think tank"
        INTERNATIONAL = "international", "International body"
        COMPANY = "company", "Company"
        PARTY = "party", "Political party"
        NGO = "ngo", "Non-governmental organisation"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=90, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER, db_index=True)
    wikidata_id = models.CharField(max_length=20, blank=True, help_text="e.g. Q8673")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Organisation, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("organisation-detail", kwargs={"slug": self.slug})


class OrganisationAlias(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        verbose_name_plural = "organisation aliases"
        # Globally unique: an alias names one organisation, which is what lets concurrent
        # ingests agree on it (the loser of an insert race reads the winner's row).
        constraints = [models.UniqueConstraint(fields=["key"], name="uniq_org_alias_key_global")]

    def __str__(self):
        return self.name

    def clean(self):
        # The key is computed, so form validation cannot see the constraint; say it here.
        key = name_key(self.name)
        clash = OrganisationAlias.objects.filter(key=key).exclude(pk=self.pk).select_related("organisation").first()
        if clash is not None:
            raise ValidationError({"name": f"“{self.name}” is already an alias of {clash.organisation}."})

    def save(self, *args, **kwargs):
        self.key = name_key(self.name)
        super().save(*args, **kwargs)


class Speaker(TimeStamped):
    class Gender(models.TextChoices):
        FEMALE = "f", "Female"
        MALE = "m", "Male"
        UNKNOWN = "", "Unknown"

    name = models.CharField("canonical name", max_length=200)
    slug = models.SlugField(max_length=90, unique=True)
    role = models.CharField(max_length=200, blank=True, help_text="Most recent role given by an article")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="speakers"
    )
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True, default="")
    wikidata_id = models.CharField(max_length=20, blank=True, help_text="e.g. Q7747 (used in sameAs)")
    curated = models.BooleanField(
        default=False, help_text="A curator edited name, role or organisation; ingest no longer overwrites them"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"], name="speaker_name_idx"),
            PostgreSQLGinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="speaker_name_trgm"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Speaker, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("speaker-detail", kwargs={"slug": self.slug})


class SpeakerAlias(models.Model):
    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, db_index=True, editable=False)

    class Meta:
        verbose_name_plural = "speaker aliases"
        indexes = [PostgreSQLGinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="speakeralias_name_trgm")]
        constraints = [models.UniqueConstraint(fields=["speaker", "key"], name="uniq_speaker_alias_key")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.key = name_key(self.name)
        super().save(*args, **kwargs)


class SlugRedirect(models.Model):
    """An old slug left behind by a merge, so links to the merged page keep working."""

    old_slug = models.SlugField(max_length=90)
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(speaker__isnull=False, organisation__isnull=True)
                | Q(speaker__isnull=True, organisation__isnull=False),
                name="redirect_has_one_target",
            ),
            models.UniqueConstraint(fields=["old_slug"], condition=Q(speaker__isnull=False), name="uniq_speaker_redirect"),
            models.UniqueConstraint(
                fields=["old_slug"], condition=Q(organisation__isnull=False), name="uniq_org_redirect"
            ),
        ]


class Article(TimeStamped):
    title = models.CharField(max_length=500)
    outlet = models.CharField(max_length=200, blank=True, db_index=True)
    byline = models.CharField(max_length=300, blank=True, help_text="Author or agency credit")
    published = models.DateField(null=True, blank=True, db_index=True)
    url = models.URLField(max_length=1000, blank=True)
    body = models.TextField(help_text="Cleaned article text; quote offsets point into it")
    content_hash = models.CharField(max_length=64, unique=True, help_text="sha256 of the cleaned body")
    source_file = models.CharField(max_length=500, blank=True)
    prose_chars = models.PositiveIntegerField(
        default=0, help_text="Characters of prose (sentence lines) in the text as it came in"
    )
    dropped_prose_chars = models.PositiveIntegerField(
        default=0, help_text="Characters of that prose the cleaner dropped as page furniture"
    )

    class Meta:
        ordering = ["-published", "-id"]
        # The article order of the quote lists, newest and oldest first: a page of the newest
        # quotes walks an index instead of sorting every quote.
        indexes = [
            NullsLastIndex(fields=["-published", "-id"], nulls_last=["published"], name="article_newest_idx"),
            NullsLastIndex(fields=["published", "id"], nulls_last=["published"], name="article_oldest_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("article-detail", kwargs={"pk": self.pk})

    @property
    def prose_kept_percent(self) -> int | None:
        """How much of the page's prose the body kept, in percent (None when it had none)."""
        if not self.prose_chars:
            return None
        return round(100 * (self.prose_chars - self.dropped_prose_chars) / self.prose_chars)

    @property
    def lost_most_prose(self) -> bool:
        """The body holds under half of the page's prose: a curator should look at it."""
        return self.dropped_prose_chars * 2 > self.prose_chars

    @property
    def public_url(self) -> str:
        """The publisher's address when it is safe to link to: http(s) with a host and nothing
        that could break out of an attribute or a Markdown link; otherwise ''. Ingested data
        may carry `javascript:` or `data:` addresses, which must never become links."""
        return safe_http_url(self.url)


class SpeakerAppearance(models.Model):
    """How one article presents a speaker: the role and organisation as given on that date."""

    speaker = models.ForeignKey(Speaker, on_delete=models.CASCADE, related_name="appearances")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="appearances")
    name_as_written = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["speaker", "article"], name="uniq_appearance")]

    def __str__(self):
        return f"{self.name_as_written} in {self.article_id}"


class StatementGroup(models.Model):
    """One statement as reported by several outlets (each keeps its own Quote)."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Statement {self.pk}"


class Quote(TimeStamped):
    class Kind(models.TextChoices):
        FULL = "full", "Full"
        PARTIAL = "partial", "Partial"

    class Status(models.TextChoices):
        UNREVIEWED = "unreviewed", "Unreviewed"
        VERIFIED = "verified", "Verified"
        REJECTED = "rejected", "Rejected"

    class RejectReason(models.TextChoices):
        NONE = "", "—"
        WRONG = "wrong", "Wrong or unverifiable"
        NOT_A_QUOTE = "not_quote", "Not a quote"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    text = models.TextField(help_text="The quoted words without quotation marks")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FULL, db_index=True)
    speaker = models.ForeignKey(Speaker, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes")
    speaker_description = models.CharField(
        max_length=300, blank=True, help_text='How the article describes an unnamed source, e.g. "a senior official"'
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quotes",
        help_text="Set when the organisation speaks for itself, or the speaker's organisation",
    )
    start = models.PositiveIntegerField(help_text="Character offset of the first quoted character in the body")
    end = models.PositiveIntegerField(help_text="Offset just past the last quoted character")
    cue = models.CharField(max_length=200, blank=True, help_text='"said", "told Euronews", "according to"…')
    method = models.CharField(
        max_length=30, blank=True, help_text="How the speaker was found: explicit, pronoun, title, continuation…"
    )
    confidence = models.FloatField(default=0.0, db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UNREVIEWED, db_index=True)
    reject_reason = models.CharField(max_length=12, choices=RejectReason.choices, blank=True, default="")
    curated = models.BooleanField(default=False, help_text="A curator changed this quote; re-extraction keeps it")
    statement_group = models.ForeignKey(
        StatementGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="quotes"
    )
    # The statement keys are set by every writer through ingest.statements.quote_set_keys.
    text_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False,
                                help_text="Hash of the normalised words: the same words in any outlet")
    lead_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False,
                                help_text="Hash of the first words of a long quote, to find near-copies")
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at", "text_key", "lead_key"])

    class Meta:
        ordering = ["-article__published", "article_id", "start"]
        constraints = [
            models.UniqueConstraint(fields=["article", "start", "end"], name="uniq_quote_span"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="quote_span_not_empty"),
            models.CheckConstraint(condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="confidence_0_1"),
        ]
        indexes = [
            models.Index(fields=["speaker", "status"], name="quote_speaker_status_idx"),
            models.Index(fields=["status", "confidence"], name="quote_status_conf_idx"),
            models.Index(fields=["speaker", "article"], name="quote_speaker_article_idx"),
            models.Index(fields=["organisation", "article"], name="quote_org_article_idx"),
        ]

    def __str__(self):
        return self.text[:80]

    def get_absolute_url(self):
        return reverse("quote-detail", kwargs={"pk": self.pk})

    @property
    def is_public(self):
        return self.status != self.Status.REJECTED


class QuoteReport(models.Model):
    """A reader's note that an attribution looks wrong; curators work through them as a queue."""

    class Resolution(models.TextChoices):
        OPEN = "", "Open"
        FIXED = "fixed", "Fixed"
        NO_CHANGE = "no_change", "No change needed"
        SPAM = "spam", "Spam"

    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="reports")
    note = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(max_length=12, choices=Resolution.choices, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["handled_at"], name="report_handled_idx")]

    def __str__(self):
        return f"Report on quote {self.quote_id}"
