"""Readers and API clients of the quote site, for scripts/loadtest.sh (loopback only).

Sample ids and slugs come from the JSON file named by $SAMPLES (written by loadtest.sh).
Any response other than 2xx/3xx, or a 404 for an id known to exist, is a failure.
"""
import json
import os
import random

from locust import HttpUser, between, task

SAMPLES = json.load(open(os.environ["SAMPLES"]))
SEARCHES = ["sanctions", "talks", '"peace talks"', "ceasefire -nato", "economy or inflation", "gas pipeline",
            "Lavrov", "border security", "climate", "election reform", "grain exports", "troops"]
SPEAKER_NAMES = ["Ana Lima", "Peskov", "Elena Ivanova", "Kenji", "Lavrov", "Petra Berg"]


class Reader(HttpUser):
    wait_time = between(0.5, 1.5)

    @task(6)
    def search(self):
        params = {"q": random.choice(SEARCHES)}
        if random.random() < 0.3:
            params["sort"] = random.choice(["newest", "oldest"])
        self.client.get("/quotes/", params=params, name="/quotes/?q=")

    @task(2)
    def browse(self):
        params = {"page": random.randint(2, 6)} if random.random() < 0.3 else {}
        self.client.get("/quotes/", params=params, name="/quotes/")

    @task(1)
    def home(self):
        self.client.get("/", name="/")

    @task(3)
    def speaker(self):
        self.client.get(f"/speakers/{random.choice(SAMPLES['speakers'])}/", name="/speakers/<slug>/")

    @task(1)
    def speaker_directory(self):
        params = {"q": random.choice(SPEAKER_NAMES)} if random.random() < 0.5 else {}
        self.client.get("/speakers/", params=params, name="/speakers/")

    @task(4)
    def quote(self):
        self.client.get(f"/quotes/{random.choice(SAMPLES['quotes'])}/", name="/quotes/<id>/")

    @task(1)
    def article(self):
        self.client.get(f"/articles/{random.choice(SAMPLES['articles'])}/", name="/articles/<id>/")

    @task(3)
    def api_search(self):
        params = {"q": random.choice(SEARCHES)}
        if random.random() < 0.3:
            params["speaker"] = random.choice(SPEAKER_NAMES)
        self.client.get("/api/quotes/", params=params, name="/api/quotes/?q=")

    @task(2)
    def api_quote(self):
        self.client.get(f"/api/quotes/{random.choice(SAMPLES['quotes'])}/", name="/api/quotes/<id>/")

    @task(1)
    def api_speakers(self):
        self.client.get("/api/speakers/", params={"page": random.randint(1, 5)}, name="/api/speakers/")
