"""Bulk synthetic quotes for load tests: `manage.py fill_synthetic --quotes 100000`.

Deterministic (seeded) articles, speakers, organisations and quotes made with bulk_create, so a
load-test database has a realistic size in a minute. Each quote gets its statement keys
(ingest.statements.quote_set_keys), as an ingested one does. The search triggers (quotes/search/schema.py)
index every row as it is inserted. Not for production data: every row is marked
with the outlet "Synthetic Wire" and source files under synthetic/.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.core.management.base import BaseCommand
from django.db import transaction

from quotes.ingest.statements import quote_set_keys
from quotes.models import Article, Organisation, Quote, Speaker, SpeakerAlias, SpeakerAppearance

WORDS = (
    "sanctions talks ceasefire economy inflation border security election reform climate energy gas "
    "oil grain exports tariffs diplomacy negotiations troops summit agreement peace budget taxes "
    "health vaccine migration refugees court ruling parliament vote coalition strategy market "
    "investment jobs wages strike protest pipeline nuclear treaty alliance aid recovery"
).split()
GIVEN = "Ana Bob Carla Dmitri Elena Farid Greta Hugo Ines Jonas Kenji Lara Malik Nina Omar Petra".split()
FAMILY = "Lima Stone Novak Weber Rossi Khan Silva Meyer Kowalski Tanaka Haddad Berg Costa Ivanova".split()
OUTLETS = ["Synthetic Wire", "Synthetic Times", "Synthetic Post", "Synthetic Radio"]
QUOTES_PER_ARTICLE = 10


class Command(BaseCommand):
    help = "Add N synthetic quotes (with articles, speakers and organisations) for load testing."

    def add_arguments(self, parser):
        parser.add_argument("--quotes", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, quotes: int, seed: int, batch: int, **options):
        rng = random.Random(seed)
        prefix = f"synthetic-{seed}-{Article.objects.filter(source_file__startswith='synthetic/').count()}"
        with transaction.atomic():
            orgs = [
                Organisation.objects.get_or_create(name=f"Synthetic Ministry of {w.title()}")[0]
                for w in WORDS[:20]
            ]
            speakers = []
            for i in range(400):
                name = f"{GIVEN[i % len(GIVEN)]} {FAMILY[(i // len(GIVEN)) % len(FAMILY)]} {i}"
                speaker = Speaker.objects.filter(name=name).first() or Speaker.objects.create(
                    name=name, role="spokesperson", organisation=orgs[i % len(orgs)]
                )
                SpeakerAlias.objects.get_or_create(speaker=speaker, name=name)
                speakers.append(speaker)
        n_articles = -(-quotes // QUOTES_PER_ARTICLE)
        made = 0
        start_day = dt.date(2015, 1, 1)
        for first in range(0, n_articles, max(1, batch // QUOTES_PER_ARTICLE)):
            last = min(n_articles, first + max(1, batch // QUOTES_PER_ARTICLE))
            with transaction.atomic():
                articles = Article.objects.bulk_create([
                    Article(
                        title=f"Synthetic report {i}: " + " ".join(rng.sample(WORDS, 4)),
                        outlet=OUTLETS[i % len(OUTLETS)],
                        published=start_day + dt.timedelta(days=rng.randrange(3650)),
                        url=f"https://synthetic.example/{prefix}/{i}",
                        body="Synthetic article body.",
                        content_hash=hashlib.sha256(f"{prefix}-{i}".encode()).hexdigest(),
                        source_file=f"synthetic/{prefix}/{i}.txt",
                    )
                    for i in range(first, last)
                ])
                rows, appearances = [], []
                for article in articles:
                    for j in range(QUOTES_PER_ARTICLE):
                        if made >= quotes:
                            break
                        speaker = rng.choice(speakers)
                        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 24))).capitalize()
                        rows.append(quote_set_keys(Quote(
                            article=article, text=text, speaker=speaker, organisation=speaker.organisation,
                            start=j * 200, end=j * 200 + len(text), cue="said", method="synthetic",
                            confidence=round(rng.random(), 3),
                            kind=Quote.Kind.PARTIAL if j % 5 == 0 else Quote.Kind.FULL,
                            status=rng.choice([Quote.Status.UNREVIEWED] * 8 + [Quote.Status.VERIFIED,
                                                                               Quote.Status.REJECTED]),
                        )))
                        appearances.append((speaker.pk, article.pk, speaker.name, speaker.organisation_id))
                        made += 1
                Quote.objects.bulk_create(rows)
                SpeakerAppearance.objects.bulk_create(
                    [SpeakerAppearance(speaker_id=s, article_id=a, name_as_written=n, role="spokesperson",
                                       organisation_id=o) for s, a, n, o in set(appearances)],
                    ignore_conflicts=True,
                )
            self.stdout.write(f"{made} quotes", ending="\r")
        self.stdout.write(f"Added {made} synthetic quotes in {n_articles} articles.")
