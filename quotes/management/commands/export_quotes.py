import csv
import json
import sys

from django.core.management.base import BaseCommand

from quotes.models import Quote
from quotes.selectors import EXPORT_FIELDS, quote_export_record, quotes_for_export


class Command(BaseCommand):
    help = "Write every quote to stdout as JSONL (default) or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--public", action="store_true", help="leave out rejected quotes")

    def handle(self, *args, format, public, **options):
        qs = Quote.objects.all()
        if public:
            qs = qs.exclude(status=Quote.Status.REJECTED)
        out = self.stdout._out if hasattr(self.stdout, "_out") else sys.stdout
        if format == "csv":
            writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
            writer.writeheader()
        for quote in quotes_for_export(qs).iterator(chunk_size=2000):
            record = quote_export_record(quote)
            if format == "csv":
                writer.writerow(record)
            else:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
