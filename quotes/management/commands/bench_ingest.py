"""Ingest throughput against the bare spaCy pipeline, on the same texts, in one run.

The corpus is written to a temporary folder and everything is streamed from disk: neither the
articles nor their chunks are ever held in memory as a whole, so peak memory must stay flat as
--articles grows. The full ingest goes into a fresh database (a temporary SQLite file, or
`<db>_bench_ingest` on PostgreSQL), never the developer's.

Memory: the main process's peak (ru_maxrss of RUSAGE_SELF) and the largest worker's peak
(RUSAGE_CHILDREN, filled in once the pool's workers have exited); `peak_rss_mb` is the
upper bound of what the machine needs at once: main + workers x largest worker.
"""
import json
import os
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
from quotes.extraction.spans import find_spans
from quotes.ingest.files import iter_records
from quotes.ingest.pipeline import ingest_records

SEEDS = Path(__file__).resolve().parents[3] / "seeds"


def make_corpus(folder: Path, n: int, seed: int = 7) -> None:
    """N distinct articles from the seeds, written one by one: the middle paragraphs of a seed
    reordered and a numbered dateline added, so no two articles hash alike."""
    rng = random.Random(seed)
    sources = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    for i in range(n):
        text = sources[i % len(sources)]
        head, _, rest = text.partition("\n\n")
        body = [p for p in rest.split("\n\n") if p.strip()]
        if len(body) > 6:  # keep the opening, shuffle the middle
            middle = body[3:-2]
            rng.shuffle(middle)
            body = body[:3] + middle + body[-2:]
        dateline = f"Dispatch {i} from desk {rng.randint(1, 10**9)}."
        (folder / f"{i:06d}.txt").write_text(head + "\n\n" + dateline + "\n\n" + "\n\n".join(body), encoding="utf-8")


def write_chunks(folder: Path, target: Path) -> tuple[int, int]:
    """The texts the ingest will parse (chunks of bodies with quotations), one JSON line each.

    Returns (words in all bodies, chunks). Streaming them back from disk costs microseconds per
    chunk, so the spaCy timing measures spaCy and not our cleaning.
    """
    words = n_chunks = 0
    with target.open("w", encoding="utf-8") as out:
        for path in sorted(folder.glob("*.txt")):
            body = clean_article(path.read_text(encoding="utf-8"))[1]
            words += len(body.split())
            if not find_spans(body):
                continue  # the ingest does not parse these either
            for s, e in chunk_offsets(body):
                out.write(json.dumps(body[s:e]) + "\n")
                n_chunks += 1
    return words, n_chunks


def read_chunks(path: Path):
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def rss_mb(who) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def time_spacy(nlp, chunks: Path, workers: int) -> float:
    """Seconds for the bare spaCy pipeline over the same chunks the ingest parses."""
    start = time.perf_counter()
    for _ in nlp.pipe(read_chunks(chunks), batch_size=PIPE_BATCH_SIZE, n_process=workers):
        pass
    return time.perf_counter() - start


def time_ingest(folder: Path, tmp: Path, workers: int, nlp) -> tuple[float, object, str]:
    """(seconds, counts, database name) of a full ingest of `folder` into a fresh database."""
    old_name = connection.settings_dict["NAME"]
    test_settings = connection.settings_dict.setdefault("TEST", {})
    old_test_name = test_settings.get("NAME")
    test_settings["NAME"] = str(tmp / "bench.sqlite3") if connection.vendor == "sqlite" else f"{old_name}_bench_ingest"
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        start = time.perf_counter()
        counts = ingest_records(iter_records([str(folder)], 10**8), workers=workers, nlp=nlp if workers <= 1 else None)
        return time.perf_counter() - start, counts, test_name
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        test_settings["NAME"] = old_test_name


class Command(BaseCommand):
    help = (
        "Time a full ingest of N generated articles into a fresh database against the bare spaCy "
        "pipeline on the same texts; print articles/s, words/s, the ratio and peak memory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=200)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument("--skip-spacy", action="store_true", help="time the ingest only (ratio is null)")

    def handle(self, *args, articles, workers, **options):
        nlp = load_nlp()
        with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
            folder = Path(tmp) / "corpus"
            folder.mkdir()
            make_corpus(folder, articles)
            words, n_chunks = write_chunks(folder, Path(tmp) / "chunks.jsonl")
            spacy_seconds = None if options["skip_spacy"] else time_spacy(nlp, Path(tmp) / "chunks.jsonl", workers)
            ingest_seconds, counts, test_name = time_ingest(folder, Path(tmp), workers, nlp)
        main_mb, worker_mb = rss_mb(resource.RUSAGE_SELF), rss_mb(resource.RUSAGE_CHILDREN)
        total_mb = round(main_mb + (workers * worker_mb if workers > 1 else 0), 1)
        result = {
            "articles": articles,
            "workers": workers,
            "database": connection.vendor,
            "stored": counts.new,
            "failed": counts.failed,
            "quotes": counts.quotes,
            "words": words,
            "chunks": n_chunks,
            "pipe_batch_size": PIPE_BATCH_SIZE,
            "ingest_seconds": round(ingest_seconds, 2),
            "spacy_seconds": round(spacy_seconds, 2) if spacy_seconds else None,
            "ratio": round(ingest_seconds / spacy_seconds, 3) if spacy_seconds else None,
            "articles_per_second": round(articles / ingest_seconds, 2),
            "words_per_second": round(words / ingest_seconds),
            "peak_rss_mb": total_mb,
            "peak_rss_main_mb": main_mb,
            "peak_rss_worker_mb": worker_mb,
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }
        if options["json"]:
            self.stdout.write(json.dumps(result))
            return
        spacy_line = (f"{result['spacy_seconds']:>8} s  {round(words / spacy_seconds)} words/s"
                      if spacy_seconds else "skipped")
        self.stdout.write(
            f"{articles} articles ({words} words, {n_chunks} chunks) on {result['database']}, "
            f"{workers} worker(s), fresh db {test_name}\n"
            f"  ingest:     {result['ingest_seconds']:>8} s  {result['articles_per_second']} articles/s, "
            f"{result['words_per_second']} words/s ({counts.new} stored, {counts.failed} failed, "
            f"{counts.quotes} quotes)\n"
            f"  bare spaCy: {spacy_line}  (nlp.pipe, batch {PIPE_BATCH_SIZE}, n_process={workers})\n"
            f"  ratio ingest/spaCy: {result['ratio']}\n"
            f"  peak RSS: {total_mb} MB (main {main_mb} MB, largest worker {worker_mb} MB)\n"
            f"  load average: {result['load_average']} on {result['cpus']} CPUs"
        )
