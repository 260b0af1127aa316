"""Score the extractor against a gold file, with the shared scorer's rules.

Rules (from ../shared/bench/score_quotes.py): a prediction is placed in the article it names,
or else in the first gold article whose text contains its words; it matches a gold quote of that article when their
word-overlap F1 is at least 0.6 (one-to-one, best first); the speaker is right when the last
names agree (transliteration-tolerant) or, for an unnamed gold source, when the prediction
names none of the article's gold speakers. Kept here so `evaluate_extraction` works on a
fresh clone without the shared folder. Pure Python.
"""
from __future__ import annotations

import json
import re
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

QUOTE_CHARS = "\"'“”‘’«»„‟"


def norm(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text or "").translate({ord(c): " " for c in QUOTE_CHARS})
    return re.findall(r"\w+", text.lower())


def overlap_f1(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    counts: dict[str, int] = {}
    for w in b:
        counts[w] = counts.get(w, 0) + 1
    common = 0
    for w in a:
        if counts.get(w, 0) > 0:
            counts[w] -= 1
            common += 1
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


def same_person(pred: str, gold: str) -> bool:
    a, b = (norm(pred) or [""])[-1], (norm(gold) or [""])[-1]
    if not a or not b:
        return False
    return a == b or (a[:4] == b[:4] and SequenceMatcher(None, a, b).ratio() >= 0.8)


def load_jsonl(path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _placed(gold: list[dict], texts: dict[str, str], predictions: list[dict]) -> tuple[dict, int]:
    """Gold and predictions by article: a prediction goes to the article it names (`article` or
    `source_file`), else to the first gold article whose text holds its words. Returns ({article: {"gold": [...], "pred": [...]}}, unplaced count)."""
    joined = {name: " ".join(norm(text)) for name, text in texts.items()}
    by_article: dict[str, dict] = {}
    for g in gold:
        by_article.setdefault(g["article"], {"gold": [], "pred": []})["gold"].append(g)
    unplaced = 0
    for p in predictions:
        words = " ".join(norm(p.get("quote")))
        named = Path(p.get("article") or p.get("source_file") or "").name
        if named:  # the prediction says where it was found, as the shared scorer reads it
            place = named if named in by_article else None
        else:
            place = next((a for a in by_article if words and words in joined.get(a, "")), None)
        if place is None:
            unplaced += 1
        else:
            by_article[place]["pred"].append(p)
    return by_article, unplaced


def _matched(gold: list[dict], pred: list[dict]) -> dict[int, int]:
    """gold index -> prediction index, best word overlap first, each used once (overlap >= 0.6)."""
    pairs = sorted(
        ((f, gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
         if (f := overlap_f1(norm(g["quote"]), norm(p.get("quote")))) >= 0.6),
        reverse=True,
    )
    used_p, match = set(), {}
    for _, gi, pi in pairs:
        if gi not in match and pi not in used_p:
            used_p.add(pi)
            match[gi] = pi
    return match


def _attributed(g: dict, said: str, names: list[str]) -> bool:
    """Whether the predicted speaker `said` is right for gold quote `g` (an unnamed gold
    speaker is right when the prediction names none of the article's named speakers)."""
    if g.get("speaker"):
        return any(same_person(said, n) for n in [g["speaker"]] + g.get("alt_speakers", []))
    return not any(same_person(said, n) for n in names) or any(same_person(said, n) for n in g.get("alt_speakers", []))


def _figures(rows: dict[str, list[int]], unplaced: int) -> dict:
    figures = {"unplaced_predictions": unplaced}
    for kind, (n_gold, n_match, n_ok, n_pred) in rows.items():
        n_pred += unplaced
        rec, prec = (n_match / n_gold if n_gold else 0), (n_match / n_pred if n_pred else 0)
        arec, aprec = (n_ok / n_gold if n_gold else 0), (n_ok / n_pred if n_pred else 0)
        figures[kind] = {
            "gold": n_gold, "predicted": n_pred, "matched": n_match, "attributed": n_ok,
            "recall": round(rec, 3), "precision": round(prec, 3),
            "f1": round(2 * rec * prec / (rec + prec), 3) if rec + prec else 0.0,
            "attributed_f1": round(2 * arec * aprec / (arec + aprec), 3) if arec + aprec else 0.0,
            "attribution_accuracy": round(n_ok / n_match, 3) if n_match else 0.0,
        }
    return figures


def score(gold: list[dict], texts: dict[str, str], predictions: list[dict]) -> tuple[dict, list[str]]:
    """(figures for "full" and "all" quotes, list of misses) — see the module docstring."""
    by_article, unplaced = _placed(gold, texts, predictions)
    rows = {"full": [0, 0, 0, 0], "all": [0, 0, 0, 0]}  # gold, matched, attributed, predicted
    misses: list[str] = []
    for art, d in by_article.items():
        names = [g["speaker"] for g in d["gold"] if g.get("speaker")]
        match = _matched(d["gold"], d["pred"])
        for gi, g in enumerate(d["gold"]):
            ok = False
            if gi in match:
                said = d["pred"][match[gi]].get("speaker") or ""
                ok = _attributed(g, said, names)
                if not ok:
                    misses.append(f"{art}: wrong speaker {said!r} for {g['quote'][:50]!r} (gold {g.get('speaker')!r})")
            else:
                misses.append(f"{art}: missed {g['kind']} {g['quote'][:60]!r} ({g.get('speaker')})")
            for kind in ["all"] + (["full"] if g.get("kind") == "full" else []):
                rows[kind][0] += 1
                rows[kind][1] += gi in match
                rows[kind][2] += ok
        used_p = set(match.values())
        matched_full = {pi for gi, pi in match.items() if d["gold"][gi].get("kind") == "full"}
        for pi, p in enumerate(d["pred"]):
            rows["all"][3] += 1
            rows["full"][3] += not (pi in used_p and pi not in matched_full)
            if pi not in used_p:
                misses.append(f"{art}: spurious {p.get('quote', '')[:60]!r} ({p.get('speaker')})")
    return _figures(rows, unplaced), misses
