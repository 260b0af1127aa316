import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from quotes.extraction.evaluation import load_jsonl, score
from quotes.extraction import extract_article, load_nlp


class Command(BaseCommand):
    help = (
        "Run the extractor on a folder of .txt articles (no database) and score it against a gold "
        "JSONL file with the shared scorer's rules."
    )

    def add_arguments(self, parser):
        parser.add_argument("gold")
        parser.add_argument("articles_dir")
        parser.add_argument("--verbose", action="store_true", help="list every miss and spurious quote")
        parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")

    def handle(self, *args, gold, articles_dir, verbose, **options):
        as_json = options["json"]
        folder = Path(articles_dir)
        if not folder.is_dir():
            raise CommandError(f"{articles_dir}: not a folder")
        nlp = load_nlp()
        texts, predictions = {}, []
        for path in sorted(folder.glob("*.txt")):
            texts[path.name] = path.read_text(encoding="utf-8")
            result = extract_article(texts[path.name], nlp=nlp)
            for q in result.quotes:
                predictions.append({"quote": q.text, "speaker": q.speaker, "article": path.name})
        figures, misses = score(load_jsonl(gold), texts, predictions)
        if verbose:
            self.stdout.write("\n".join(misses))
        if as_json:
            self.stdout.write(json.dumps(figures))
            return
        for kind in ("full", "all"):
            r = figures[kind]
            self.stdout.write(
                f"{kind:>4} quotes: gold {r['gold']}, predicted {r['predicted']}, recall {r['recall']}, "
                f"precision {r['precision']}, attribution accuracy {r['attribution_accuracy']}, "
                f"attributed F1 {r['attributed_f1']}"
            )
        self.stdout.write(f"attributed-quote F1 (full quotes): {figures['full']['attributed_f1']}")
