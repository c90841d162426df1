"""Ranking over plain Python objects (layer 2): the documents (`Doc`), the BM25F ranker (`BM25`,
vectorised, cosine-normalised) and the index built once and queried many times (`MatchIndex`), with
the fit and leading-industry bonuses; every `Recommendation` carries its explanation (the matched
terms per field and the bonuses).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

#: Weights of the score parts: the text match normalised to the best one (0..1) + fit + leading industry.
FIT_BONUS = 0.25
LEADING_BONUS = 0.10
#: The highest score a document can reach (best text match, fit and leading industry): 100 on the scale.
MAX_SCORE = 1.0 + FIT_BONUS + LEADING_BONUS
#: BM25F field weights: a token of the field counts this much in the document's term frequency (and
#: length) before saturation; fields not named count 1. All 1: a term an expert names in two fields
#: (research fields and keywords) already counts twice; weighting keywords ×2 on top measured worse
#: (bench/bench_matching_quality.py, tuning half: nDCG@10 0.983 → 0.980 at ×1.25, 0.977 at ×1.5).
FIELD_WEIGHTS: dict[str, float] = {}
#: BM25 saturation and length normalisation of the ranker, chosen on the tuning half of the labelled set
#: (k1 1.2 … 20 tried; 6 and above give the same figure within 0.001, 1.5 — Lucene's default — 0.006 less).
K1 = 6.0
B = 0.75

#: Field code → label shown in the explanation.
FIELD_LABELS = {
    "research_fields": "研究领域",
    "keywords": "关键词",
    "achievements": "成果",
    "discipline": "学科",
    "title": "需求名称",
    "technical_field": "技术领域",
    "description": "需求描述",
    "expected_work": "预期工作",
}


@dataclass(frozen=True)
class Doc:
    """One rankable thing (an expert or a demand): its id, its tokens per field, the industry codes it
    fits and whether it belongs to (or fits) one of Changping's leading industries."""

    id: int
    fields: Mapping[str, Sequence[str]]
    tags: frozenset[str] = frozenset()
    leading: bool = False


@dataclass(frozen=True)
class Match:
    field: str
    terms: tuple[str, ...]

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


@dataclass(frozen=True)
class Recommendation:
    id: int
    score: float
    text_score: float
    fit: bool
    leading: bool
    matches: tuple[Match, ...] = field(default_factory=tuple)

    @property
    def terms(self) -> list[str]:
        seen: list[str] = []
        for match in self.matches:
            seen.extend(t for t in match.terms if t not in seen)
        return seen

    @property
    def percent(self) -> int:
        """The score on the 0–100 scale shown to users (enterprises.policy.match_percent)."""
        from ..policy import match_percent

        return match_percent(self.score, MAX_SCORE)

    @property
    def level(self) -> tuple[str, str]:
        from ..policy import match_level

        return match_level(self.percent)

    def reasons(self, source_text: str) -> list[str]:
        """The matched terms in the demand's own wording, longest first, no repeats."""
        from ..policy import reason_terms

        return reason_terms(self.terms, source_text)

    @property
    def fields_matched(self) -> list[str]:
        return [m.label for m in self.matches]

    @property
    def explanation(self) -> str:
        from ..policy import reason_terms

        parts = [f"{m.label}：{'、'.join(reason_terms(m.terms, ''))}" for m in self.matches]
        if self.fit:
            parts.append("学科与行业对口")
        if self.leading:
            parts.append("昌平区主导产业")
        return "；".join(parts)


def _doc_tokens(doc: Doc) -> tuple[list[str], list[float]]:
    """The document's tokens and, beside each, its field's weight (FIELD_WEIGHTS)."""
    tokens: list[str] = []
    weights: list[float] = []
    for name, words in doc.fields.items():
        tokens.extend(words)
        weights.extend([FIELD_WEIGHTS.get(name, 1.0)] * len(words))
    return tokens, weights


class BM25:
    """Okapi BM25, Lucene variant (the default of bm25s; k1 = 1.5, b = 0.75), built with vectorised
    numpy and stored term-major (CSC-like: for each term, the documents containing it and their
    precomputed weights), so that a query is one gather and one `bincount`.

    Two options make it the portal's ranker (`MatchIndex`):

    - `weights`, beside each document's tokens, the weight of each token (BM25F: a field's weight
      multiplies its term frequency and length before saturation; integer weights give the same scores as
      repeating the tokens);
    - `normalise`: each document's vector of term weights is divided by its Euclidean norm, so that
      `get_scores(..., idf_query=True)` is the cosine of the document and the query (query terms weighted
      by their IDF) — in [0, 1], and a profile listing many terms no longer wins by its length alone.

    With neither, the scores equal bm25s's (tests/enterprises/test_matching.py checks this against it).
    bm25s builds its index with a Python loop per document: 3.9 s for 50,000 profiles of ~45 tokens on
    the project's 2-core machine, over the 3 s target; this build takes well under a second
    (bench/bench_matching.py).
    """

    def __init__(
        self,
        corpus: Sequence[Sequence[str]],
        *,
        k1: float = 1.5,
        b: float = 0.75,
        weights: Sequence[Sequence[float]] | None = None,
        normalise: bool = False,
    ):
        n = len(corpus)
        self.num_docs = n
        self.vocab: dict[str, int] = {}
        counts = np.fromiter((len(doc) for doc in corpus), dtype=np.int64, count=n)
        flat = [token for doc in corpus for token in doc]
        vocab = self.vocab
        term_ids = np.fromiter(
            (vocab.setdefault(t, len(vocab)) for t in flat), dtype=np.int64, count=len(flat)
        )
        size = max(len(vocab), 1)
        doc_ids = np.repeat(np.arange(n, dtype=np.int64), counts)
        if weights is None:
            token_weights = np.ones(len(flat))
        else:
            token_weights = np.fromiter(
                (w for doc in weights for w in doc), dtype=np.float64, count=len(flat)
            )
        lengths = np.bincount(doc_ids, weights=token_weights, minlength=n)
        # (term, document) pairs in term-major order, with their (weighted) term frequency
        pairs, inverse = np.unique(term_ids * max(n, 1) + doc_ids, return_inverse=True)
        tf = np.bincount(inverse.ravel(), weights=token_weights, minlength=len(pairs))
        terms, docs = np.divmod(pairs, max(n, 1))
        df = np.bincount(terms, minlength=size)
        idf = np.log1p((n - df + 0.5) / (df + 0.5))
        self.idf = idf
        avg = lengths.mean() if n and lengths.sum() else 1.0
        norm = k1 * ((1 - b) + b * lengths[docs] / avg)
        data = idf[terms] * tf / (tf + norm)
        if normalise and len(data):
            length = np.sqrt(np.bincount(docs, weights=data * data, minlength=n))
            data = data / np.where(length > 0, length, 1.0)[docs]
        self.data = data.astype(np.float32)
        self.indices = docs.astype(np.int32)
        self.indptr = np.concatenate(([0], np.cumsum(df))).astype(np.int64)

    def get_scores(self, query: Iterable[str], *, idf_query: bool = False) -> np.ndarray:
        """Score of every document for the query tokens (unknown tokens ignored): the BM25 sum, or with
        `idf_query` each distinct query term weighted by its IDF, the query vector normalised to length 1
        (the cosine when the index was built with `normalise`)."""
        query = list(dict.fromkeys(query)) if idf_query else list(query)
        ids = [self.vocab[t] for t in query if t in self.vocab]
        if not ids:
            return np.zeros(self.num_docs, dtype=np.float64)
        spans = [(self.indptr[i], self.indptr[i + 1]) for i in ids]
        docs = np.concatenate([self.indices[a:z] for a, z in spans])
        weights = np.concatenate([self.data[a:z] for a, z in spans]).astype(np.float64)
        if idf_query:
            q = self.idf[ids]
            q = q / (np.sqrt((q * q).sum()) or 1.0)
            weights *= np.repeat(q, [z - a for a, z in spans])
        return np.bincount(docs, weights=weights, minlength=self.num_docs)


class MatchIndex:
    """A BM25F index over `docs` (cosine-normalised, `K1`, `B`, `FIELD_WEIGHTS`) with the fit/leading
    vectors beside it. Build once, query many times."""

    def __init__(self, docs: Sequence[Doc]):
        self.ids = np.fromiter((d.id for d in docs), dtype=np.int64, count=len(docs))
        self.position = {int(doc_id): i for i, doc_id in enumerate(self.ids)}
        self.fields = [d.fields for d in docs]
        self.leading = np.fromiter((d.leading for d in docs), dtype=bool, count=len(docs))
        tags: dict[str, list[int]] = {}
        for i, doc in enumerate(docs):
            for tag in doc.tags:
                tags.setdefault(tag, []).append(i)
        self.tag_masks = {}
        for tag, positions in tags.items():
            mask = np.zeros(len(docs), dtype=bool)
            mask[positions] = True
            self.tag_masks[tag] = mask
        pairs = [_doc_tokens(d) for d in docs]
        tokens, weights = [p[0] for p in pairs], [p[1] for p in pairs]
        self.bm25 = BM25(tokens, weights=weights, k1=K1, b=B, normalise=True)

    def __len__(self) -> int:
        return len(self.ids)

    def rank(
        self,
        query: Iterable[str],
        *,
        tags: Iterable[str] = (),
        exclude: Iterable[int] = (),
        k: int = 20,
    ) -> list[Recommendation]:
        """The best `k` documents for the query tokens, best first (ties: lower id first). Only
        documents sharing at least one term with the query are candidates."""
        terms = [t for t in dict.fromkeys(query) if t in self.bm25.vocab]
        if not terms or k <= 0:
            return []
        text = self.bm25.get_scores(terms, idf_query=True)
        best = float(text.max())
        if best <= 0:
            return []
        fit = np.zeros(len(text), dtype=bool)
        for tag in set(tags):
            mask = self.tag_masks.get(tag)
            if mask is not None:
                fit |= mask
        score = text * (1.0 / best)
        score += FIT_BONUS * fit
        score += LEADING_BONUS * self.leading
        score[text <= 0] = -np.inf
        if exclude:
            position = self.position
            excluded = [position[i] for i in exclude if i in position]
            score[excluded] = -np.inf
        k = min(k, len(score))
        top = (
            np.argpartition(score, len(score) - k)[len(score) - k :]
            if k < len(score)
            else np.arange(len(score))
        )
        top = [int(p) for p in top if score[p] > -np.inf]
        top.sort(key=lambda p: (-score[p], self.ids[p]))
        query_set = set(terms)
        return [
            Recommendation(
                id=int(self.ids[p]),
                score=round(float(score[p]), 4),
                text_score=round(float(text[p]), 4),
                fit=bool(fit[p]),
                leading=bool(self.leading[p]),
                matches=self._matches(p, query_set),
            )
            for p in top
        ]

    def _matches(self, position: int, query: set[str]) -> tuple[Match, ...]:
        matches = []
        for name, words in self.fields[position].items():
            if query.isdisjoint(words):
                continue
            matches.append(Match(field=name, terms=tuple(dict.fromkeys(w for w in words if w in query))))
        return tuple(matches)


def industry_tags(
    discipline: str, industries: Iterable[tuple[str, set[str], bool]]
) -> tuple[frozenset[str], bool]:
    """The industry codes an expert of `discipline` fits, and whether one of them is a leading industry.

    `industries` holds (code, discipline names, is_leading) triples."""
    tags = set()
    leading = False
    for code, disciplines, is_leading in industries:
        if discipline and discipline in disciplines:
            tags.add(code)
            leading = leading or is_leading
    return frozenset(tags), leading
