import contextlib
import itertools

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from quotes.extraction import load_nlp
from quotes.ingest.files import iter_records
from quotes.ingest.pipeline import IngestEvent, ingest_records
from quotes.models import Quote, Speaker


class DryRunRollback(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Parse article files (.txt, .html, .json, .jsonl) or folders of them into the database. "
        "One transaction per article; re-running on the same files changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--dry-run", action="store_true", help="report what would be stored, store nothing")
        parser.add_argument(
            "--max-bytes", type=int, default=None,
            help="refuse files larger than this many bytes (default: settings.INGEST_MAX_BYTES)",
        )
        parser.add_argument("--workers", type=int, default=1, help="processes that parse articles in parallel")

    def handle(self, *args, paths, dry_run, max_bytes, workers, **options):
        records = iter_records(paths, max_bytes or settings.INGEST_MAX_BYTES)
        first = list(itertools.islice(records, 1))
        nlp = load_nlp() if first and workers <= 1 else None
        speakers_before, quotes_before = Speaker.objects.count(), Quote.objects.count()
        try:
            # One transaction per article; a dry run wraps them all in one that is rolled back.
            with transaction.atomic() if dry_run else contextlib.nullcontext():
                counts = ingest_records(itertools.chain(first, records), workers=workers, nlp=nlp,
                                        on_event=self._report)
                summary = (
                    f"{'Dry run, nothing stored. Would store: ' if dry_run else ''}"
                    f"articles: {counts.new} new, {counts.unchanged} unchanged, {counts.failed} failed; "
                    f"quotes: {Quote.objects.count() - quotes_before} new ({Quote.objects.count()} in all); "
                    f"speakers: {Speaker.objects.count() - speakers_before} new ({Speaker.objects.count()} in all)"
                )
                if dry_run:
                    raise DryRunRollback
        except DryRunRollback:
            pass
        self.stdout.write(summary)
        if counts.failed:
            raise CommandError(f"{counts.failed} file(s) failed", returncode=1)

    def _report(self, event: IngestEvent) -> None:
        if event.status == "failed":
            self.stderr.write(f"FAILED {event.name}: {' '.join(event.reason.split())}")
        elif event.status == "new":
            article = event.outcome.article
            dropped = ""
            if article.dropped_prose_chars:
                dropped = f"; {100 - article.prose_kept_percent}% of its prose dropped as page furniture"
            self.stdout.write(f"      new  {event.name}: {article.title[:60]!r}, {event.outcome.quotes} quotes{dropped}")
            if article.lost_most_prose:
                self.stderr.write(
                    f"WARNING {event.name}: the article kept only {article.prose_kept_percent}% of the page's "
                    "prose; check its text in the admin"
                )
        elif event.reason:
            self.stderr.write(f"DUPLICATE {event.name}: {event.reason}")
        else:
            self.stdout.write(f"unchanged  {event.name}")
