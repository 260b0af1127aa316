import json
import random
import resource
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection

from quotes.extraction import load_nlp
from quotes.extraction.batch import PIPE_BATCH_SIZE
from quotes.extraction.clean import clean_article
from quotes.extraction.pipeline import chunk_offsets
from quotes.ingest import ingest_records

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def make_corpus(folder: Path, n: int, seed: int = 7) -> None:
    """N distinct articles from the seeds: paragraphs reordered and a numbered dateline added."""
    rng = random.Random(seed)
    sources = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for i in range(n):
        text = sources[i % len(sources)]
        head, _, rest = text.partition("\n\n")
        paragraphs = [p for p in rest.split("\n\n") if p.strip()]
        body = paragraphs[:]
        if len(body) > 6:  # keep the opening, shuffle the middle so no two texts hash alike
            middle = body[3:-2]
            rng.shuffle(middle)
            body = body[:3] + middle + body[-2:]
        dateline = f"Dispatch {i} from desk {rng.randint(1, 10**9)}."
        (folder / f"{i:06d}.txt").write_text(head + "\n\n" + dateline + "\n\n" + "\n\n".join(body), encoding="utf-8")


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


class Command(BaseCommand):
    help = (
        "Time a full ingest of N generated articles into a fresh database against the bare spaCy "
        "pipeline on the same texts; print articles/s, words/s, the ratio and peak memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=200)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, articles, workers, **options):
        from quotes.management.commands.ingest_articles import iter_records

        nlp = load_nlp()
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            make_corpus(folder, articles)
            bodies = [clean_article(p.read_text(encoding="utf-8"))[1] for p in sorted(folder.glob("*.txt"))]
            words = sum(len(b.split()) for b in bodies)
            chunks = [b[s:e] for b in bodies for s, e in chunk_offsets(b)]
            del bodies

            start = time.perf_counter()
            for _ in nlp.pipe(chunks, batch_size=PIPE_BATCH_SIZE, n_process=workers):
                pass
            spacy_seconds = time.perf_counter() - start
            del chunks

            old_name = connection.settings_dict["NAME"]
            test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            try:
                start = time.perf_counter()
                counts = ingest_records(iter_records([str(folder)], 10**8), workers=workers,
                                        nlp=nlp if workers <= 1 else None)
                ingest_seconds = time.perf_counter() - start
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)
        result = {
            "articles": articles,
            "workers": workers,
            "database": connection.vendor,
            "stored": counts.new,
            "quotes": counts.quotes,
            "words": words,
            "ingest_seconds": round(ingest_seconds, 2),
            "spacy_seconds": round(spacy_seconds, 2),
            "ratio": round(ingest_seconds / spacy_seconds, 3) if spacy_seconds else None,
            "articles_per_second": round(articles / ingest_seconds, 1),
            "words_per_second": round(words / ingest_seconds),
            "peak_rss_mb": peak_rss_mb(),
        }
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        self.stdout.write(
            f"{articles} articles ({words} words) on {result['database']}, {workers} worker(s), test db {test_name}\n"
            f"  ingest:     {result['ingest_seconds']:>8} s  {result['articles_per_second']} articles/s, "
            f"{result['words_per_second']} words/s ({counts.new} stored, {counts.quotes} quotes)\n"
            f"  bare spaCy: {result['spacy_seconds']:>8} s  (nlp.pipe, batch {PIPE_BATCH_SIZE}, n_process={workers})\n"
            f"  ratio ingest/spaCy: {result['ratio']}\n"
            f"  peak RSS: {result['peak_rss_mb']} MB"
        )
