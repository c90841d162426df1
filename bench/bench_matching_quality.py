"""Quality of the matching engine on a labelled set (issue 17), beside a plain TF-IDF cosine baseline.

    .venv/bin/python bench/bench_matching_quality.py [--experts 20000] [--demands 200]

The set comes from the bench data generator (`bench.generate.matching_eval_set`): experts and demands
written from the technical terms of one discipline, relevance 2 for the demand's discipline, 1 for its
sibling disciplines (same section of the dictionary, same industry), 0 otherwise. Both rankers see the
same tokens (`enterprises.matching.tokenize` of every field); the portal's ranker is what
`expert_recommendations` runs — cosine-normalised BM25F with the field weights and IDF-weighted query
terms, the industry-fit and leading-industry bonuses — and the baseline is the cosine of TF-IDF vectors
(log tf, smooth idf) of the fields put together.

The demands are split in two: even ids are the tuning half (the ranker's parameters — K1, B,
FIELD_WEIGHTS in enterprises/matching/ranking.py — were chosen on it), odd ids the held-out half. The
headline figures are the held-out half's; the tuning half's carry the suffix `_tuning`. Prints one JSON
object per line:

- matching_ndcg10: mean nDCG@10 of the portal's ranker (gain 2^rel − 1) — informational, target 0.5;
- matching_recall20: mean share of the demand's discipline's experts in the top 20 (of at most 20);
- matching_ndcg10_tfidf, matching_recall20_tfidf: the same for the baseline;
- matching_ndcg10_vs_tfidf: the portal's nDCG@10 over the baseline's — target ≥ 1.0 (a change to the
  ranker that makes it worse than the baseline fails here, not by eye);
- the same five with `_tuning` for the tuning half.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections import Counter
from functools import cache
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _setup_django() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    django.setup()


def emit(name, value, unit, *, target, higher_is_better=True):
    from bench.common import emit as common_emit

    return common_emit(name, value, unit, target=target, higher_is_better=higher_is_better)


@cache
def _term_tokens(term: str) -> tuple[str, ...]:
    from enterprises.matching import tokenize

    return tuple(tokenize(term))


def tokens_of(text: str) -> list[str]:
    """Tokens of a field: the profile's text is a list of terms separated by ；，、 (segmenting the whole
    text gives the same tokens; per term it is cached, so 20,000 profiles take a second, not a minute)."""
    import re

    out: list[str] = []
    for part in re.split(r"[；，、。\s]+", text):
        if part:
            out.extend(_term_tokens(part))
    return out


class TfIdf:
    """Cosine of log-tf · smooth-idf vectors, term-major like enterprises.matching.BM25."""

    def __init__(self, corpus: list[list[str]]):
        n = len(corpus)
        self.n = n
        self.vocab: dict[str, int] = {}
        postings: dict[int, list[tuple[int, float]]] = {}
        df: Counter = Counter()
        counted = []
        for doc in corpus:
            tf = Counter(doc)
            counted.append(tf)
            df.update(tf.keys())
        self.idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}
        for i, tf in enumerate(counted):
            weights = {t: (1 + math.log(c)) * self.idf[t] for t, c in tf.items()}
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for t, w in weights.items():
                term = self.vocab.setdefault(t, len(self.vocab))
                postings.setdefault(term, []).append((i, w / norm))
        self.postings = {
            t: (np.array([d for d, _ in rows], dtype=np.int64), np.array([w for _, w in rows]))
            for t, rows in postings.items()
        }

    def rank(self, query: list[str], k: int) -> list[int]:
        tf = Counter(t for t in query if t in self.vocab)
        if not tf:
            return []
        weights = {t: (1 + math.log(c)) * self.idf[t] for t, c in tf.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        scores = np.zeros(self.n)
        for t, w in weights.items():
            docs, dw = self.postings[self.vocab[t]]
            scores[docs] += dw * (w / norm)
        top = np.argsort(-scores, kind="stable")[:k]
        return [int(p) for p in top if scores[p] > 0]


def ndcg(grades_ranked: list[int], all_grades: list[int], k: int = 10) -> float:
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades_ranked[:k]))
    ideal = sorted(all_grades, reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(grades_ranked: list[int], all_grades: list[int], k: int = 20) -> float:
    relevant = sum(1 for g in all_grades if g == 2)
    return sum(1 for g in grades_ranked[:k] if g == 2) / min(relevant, k) if relevant else 0.0


def evaluate(n_experts: int, n_demands: int) -> dict[str, float]:
    from bench.generate import EVAL_SECTIONS, matching_eval_set
    from enterprises.matching import Doc, MatchIndex, all_tokens, industry_tags

    experts, demands = matching_eval_set(experts=n_experts, demands=n_demands)
    # Changping's leading industries (enterprises/data/changping_industries.csv): 医药健康, 先进能源, 先进制造
    leading = {"medicine_health", "advanced_energy", "advanced_manufacturing"}
    industries = [(code, set(disciplines), code in leading) for code, disciplines in EVAL_SECTIONS.values()]
    docs, flat = [], []
    for e in experts:
        fields = {name: tokens_of(text) for name, text in e.fields.items()}
        fields = {k: v for k, v in fields.items() if v}
        tags, leading = industry_tags(e.discipline, industries)
        docs.append(Doc(id=e.id, fields=fields, tags=tags, leading=leading))
        flat.append(all_tokens(fields))
    index = MatchIndex(docs)
    baseline = TfIdf(flat)
    halves = {"tuning": _totals(), "held_out": _totals()}
    for d in demands:
        query = all_tokens({k: tokens_of(v) for k, v in d.fields.items()})
        grades = [d.grade(e) for e in experts]
        portal = [grades[r.id - 1] for r in index.rank(query, tags={d.industry}, k=20)]
        plain = [grades[p] for p in baseline.rank(query, 20)]
        totals = halves[half_of(d.id)]
        totals["n"] += 1
        totals["portal_ndcg"] += ndcg(portal, grades)
        totals["portal_recall"] += recall(portal, grades)
        totals["tfidf_ndcg"] += ndcg(plain, grades)
        totals["tfidf_recall"] += recall(plain, grades)
    return {
        half: {k: v / totals["n"] for k, v in totals.items() if k != "n"} for half, totals in halves.items()
    }


def _totals() -> dict[str, float]:
    return {"n": 0, "portal_ndcg": 0.0, "portal_recall": 0.0, "tfidf_ndcg": 0.0, "tfidf_recall": 0.0}


def half_of(demand_id: int) -> str:
    """Demands with an even id are the tuning half (the ranker's parameters were chosen on them), odd ids
    the held-out half, which the headline figures report."""
    return "tuning" if demand_id % 2 == 0 else "held_out"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--experts", type=int, default=20_000)
    parser.add_argument("--demands", type=int, default=200)
    args = parser.parse_args(argv)
    _setup_django()
    start = time.perf_counter()
    halves = evaluate(args.experts, args.demands)
    print(f"# labelled set: {args.experts} experts, {args.demands} demands (half tuning, half held out), "
          f"{time.perf_counter() - start:.1f} s", flush=True)
    for half, suffix in (("held_out", ""), ("tuning", "_tuning")):
        figures = halves[half]
        emit(f"matching_ndcg10{suffix}", figures["portal_ndcg"], "", target=0.5)
        emit(f"matching_recall20{suffix}", figures["portal_recall"], "", target=0.5)
        emit(f"matching_ndcg10_tfidf{suffix}", figures["tfidf_ndcg"], "", target=0.0)
        emit(f"matching_recall20_tfidf{suffix}", figures["tfidf_recall"], "", target=0.0)
        base = figures["tfidf_ndcg"]
        ratio = figures["portal_ndcg"] / base if base else float("inf")
        emit(f"matching_ndcg10_vs_tfidf{suffix}", ratio, "x", target=1.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
