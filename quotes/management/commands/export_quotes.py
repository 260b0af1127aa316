import csv
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from quotes.models import Quote
from quotes.backup import backup_records
from quotes.exports import EXPORT_FIELDS, csv_row, export_records


class Command(BaseCommand):
    help = (
        "Write quotes to stdout as JSONL (default) or CSV: one record per statement, naming the "
        "other outlets that reported it; --per-article writes every article's own copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
        parser.add_argument("--public", action="store_true", help="leave out rejected quotes")
        parser.add_argument(
            "--per-article", action="store_true", help="one record per article copy of a statement"
        )
        parser.add_argument(
            "--with-articles", action="store_true",
            help="a backup for load_export: typed JSONL records of organisations, speakers, articles "
                 "(with their text) and every quote (implies --per-article)",
        )

    def handle(self, *args, format, public, per_article, with_articles, **options):
        qs = Quote.objects.all()
        if public:
            qs = qs.exclude(status=Quote.Status.REJECTED)
        out = getattr(self.stdout, "_out", sys.stdout)
        if with_articles:
            if format != "jsonl":
                raise CommandError("--with-articles writes JSONL only")
            for record in backup_records(qs):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            return
        if format == "csv":
            writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
            writer.writeheader()
        for record in export_records(qs, per_article=per_article):
            if format == "csv":
                writer.writerow(csv_row(record))
            else:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
