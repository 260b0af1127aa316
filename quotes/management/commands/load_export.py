import json
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
        counts = {"organisation": 0, "speaker": 0, "new": 0, "unchanged": 0, "quotes": 0}
        groups: dict[int, int] = {}
        pending: tuple[str, dict, list] | None = None  # (label, article record, its quote records)

        def flush():
            nonlocal pending
            if pending is None:
                return
            label, article, quotes = pending
            pending = None
            try:
                outcome = backup.article_restore(article, quotes, groups)
            except Exception as exc:  # one bad article never stops the others
                self._fail(label, f"article {article.get('title', '')[:60]!r}: {exc}")
                return
            counts[outcome.status] += 1
            counts["quotes"] += outcome.quotes

        stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
        with stream:
            for n, line in enumerate(stream, 1):
                if not line.strip():
                    continue
                label = f"line {n}"
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    self._fail(label, f"malformed JSON: {exc.msg}")
                    continue
                kind = record.get("type") if isinstance(record, dict) else None
                try:
                    if kind == "organisation":
                        backup.organisation_restore(record)
                        counts["organisation"] += 1
                    elif kind == "speaker":
                        backup.speaker_restore(record)
                        counts["speaker"] += 1
                    elif kind == "article":
                        flush()
                        pending = (label, record, [])
                    elif kind == "quote":
                        if pending is None or pending[1].get("content_hash") != record.get("content_hash"):
                            raise ValueError("quote without its article record before it")
                        pending[2].append(record)
                    else:
                        raise ValueError(
                            "not a backup record (no 'type'); write backups with "
                            "`export_quotes --with-articles`"
                        )
                except (KeyError, TypeError, ValueError) as exc:
                    self._fail(label, f"{type(exc).__name__}: {exc}" if isinstance(exc, KeyError) else str(exc))
        flush()
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
