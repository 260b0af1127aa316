"""The evaluation command: anyone can check an extractor change against gold."""
import io
import json
from pathlib import Path

from django.core.management import call_command

from quotes.extraction.evaluation import overlap_f1, same_person, score

DATA = Path(__file__).resolve().parents[1] / "data"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_scoring_rules():
    assert same_person("Volodymyr Zelensky", "Volodymyr Zelenskyy")
    assert not same_person("Anna Berg", "Anna Lind")
    assert overlap_f1(["a", "b"], ["a", "b"]) == 1.0
    gold = [{"article": "a.txt", "quote": "We will win the vote", "kind": "full", "speaker": "Ana Ruiz"}]
    figures, misses = score(gold, {"a.txt": "“We will win the vote,” Ruiz said."},
                            [{"quote": "We will win the vote,", "speaker": "Ruiz"}])
    assert figures["full"]["attributed_f1"] == 1.0 and misses == []
    figures, misses = score(gold, {"a.txt": "“We will win the vote,” Ruiz said."},
                            [{"quote": "We will win the vote,", "speaker": "Someone Else"}])
    assert figures["full"]["attributed_f1"] == 0.0 and "wrong speaker" in misses[0]


def test_seed_set_score_does_not_regress(nlp):
    out = io.StringIO()
    call_command("evaluate_extraction", str(DATA / "seed_gold.jsonl"), str(SEEDS), "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["full"]["attributed_f1"] >= 0.9
    assert figures["all"]["attributed_f1"] >= 0.85
    assert figures["full"]["attribution_accuracy"] >= 0.95
