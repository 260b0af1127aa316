import sys

from django.core.management.base import BaseCommand, CommandError

from quotes import backup




class Command(BaseCommand):
    help = (
        "Restore a backup written by `export_quotes --with-articles` (JSONL; '-' reads stdin): "
        "organisations and speakers by slug with their aliases, then each article with its quotes "
        "in one transaction. Articles already stored (same content hash) are left as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .jsonl backup, or - for stdin")

    def handle(self, *args, path, **options):
        self.failed = 0
        restore = backup.BackupRestore(on_failure=self._fail)
        stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
        with stream:
            for n, line in enumerate(stream, 1):
                if line.strip():
                    restore.add_line(f"line {n}", line)
        restore.finish()
        counts = restore.counts
        self.stdout.write(
            f"organisations: {counts['organisation']}, speakers: {counts['speaker']}; "
            f"articles: {counts['new']} new, {counts['unchanged']} unchanged; "
            f"quotes: {counts['quotes']} new; {self.failed} record(s) failed"
        )
        if self.failed:
            raise CommandError(f"{self.failed} record(s) failed", returncode=1)

    def _fail(self, label, reason):
        self.failed += 1
        self.stderr.write(f"FAILED {label}: {' '.join(str(reason).split())}")
