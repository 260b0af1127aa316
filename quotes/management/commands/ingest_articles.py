import contextlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from quotes import services
from quotes.extraction import load_nlp
from quotes.models import Quote, Speaker
from quotes.sources import SourceError, iter_files, read_source


class DryRunRollback(Exception):
    pass


class Command(BaseCommand):
    help = "Parse article files (.txt, .html, .json, .jsonl) or folders of them into the database."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--dry-run", action="store_true", help="report what would be stored, store nothing")
        parser.add_argument("--max-bytes", type=int, default=None, help="refuse files larger than this")

    def handle(self, *args, paths, dry_run, max_bytes, **options):
        max_bytes = max_bytes or settings.INGEST_MAX_BYTES
        nlp = load_nlp()
        counts = {"new": 0, "unchanged": 0, "failed": 0, "quotes": 0}
        speakers_before = Speaker.objects.count()
        quotes_before = Quote.objects.count()
        try:
            # One transaction per article; a dry run wraps them all in one that is rolled back.
            with transaction.atomic() if dry_run else contextlib.nullcontext():
                for item in iter_files(paths):
                    records = [item] if isinstance(item, SourceError) else read_source(item, max_bytes)
                    for record in records:
                        self._ingest_one(record, nlp, counts)
                summary = self._summary(counts, speakers_before, quotes_before, dry_run)
                if dry_run:
                    raise DryRunRollback
        except DryRunRollback:
            pass
        self.stdout.write(summary)
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} file(s) failed", returncode=1)

    def _ingest_one(self, record, nlp, counts):
        if isinstance(record, SourceError):
            counts["failed"] += 1
            self.stderr.write(f"FAILED {record.name}: {record.reason}")
            return
        try:
            with transaction.atomic():
                outcome = services.article_ingest(record.text, record.name, record.meta, nlp=nlp)
        except Exception as exc:  # one broken article never stops the others
            counts["failed"] += 1
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.stderr.write(f"FAILED {record.name}: {reason}")
            return
        counts[outcome.status] += 1
        counts["quotes"] += outcome.quotes
        self.stdout.write(
            f"{outcome.status:>9}  {record.name}: {outcome.article.title[:60]!r}"
            + (f", {outcome.quotes} quotes" if outcome.status == "new" else "")
        )

    def _summary(self, counts, speakers_before, quotes_before, dry_run):
        prefix = "Dry run, nothing stored. Would store: " if dry_run else ""
        return (
            f"{prefix}articles: {counts['new']} new, {counts['unchanged']} unchanged, {counts['failed']} failed; "
            f"quotes: {Quote.objects.count() - quotes_before} new ({Quote.objects.count()} in all); "
            f"speakers: {Speaker.objects.count() - speakers_before} new ({Speaker.objects.count()} in all)"
        )
