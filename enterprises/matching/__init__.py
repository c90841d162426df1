"""The matching engine: which admitted experts fit a demand, which published demands fit an expert.

Three layers, each testable on its own (each a module of this package; every public name is importable
from `enterprises.matching`):

1. Segmentation (`tokens`: `tokenize`, `tokenize_fields`): jieba with the domain dictionary
   `enterprises/data/tech_terms.txt`, so that technical terms (锂离子电池, 抗体偶联药物) stay whole.
   Tokens are computed when an expert or demand is saved and stored (`ExpertProfileIndex.tokens`,
   `Demand.tokens`); the index is built from stored tokens and never runs jieba.
2. Ranking over plain Python objects (`ranking`: `Doc`, `MatchIndex`): BM25F (`BM25`, the Lucene
   variant of bm25s, vectorised; each field's term frequencies weighted before saturation) with the
   document vectors cosine-normalised and the query's distinct terms weighted by their IDF, normalised to
   the best match, plus a discipline/industry fit bonus and a bonus for Changping's leading industries
   (主导产业). Only documents sharing at least one term with the query are ranked, and every
   `Recommendation` carries its explanation: the matched terms per field and the bonuses. Measured
   against a labelled set beside a TF-IDF cosine baseline by bench/bench_matching_quality.py
   (docs/ENTERPRISES.md).
3. The portal side (`portal`: `expert_recommendations`, `demand_recommendations`): indexes built from the
   database once, cached in the process and, as a pickled blob, in the Django cache (Redis in
   production) under a version key. `index_rebuild(kind)` — run by the Celery tasks in
   `enterprises.tasks` whenever an expert, a demand or the industry list changes (inline in the
   embedded default) — builds the index, stores it and bumps the version; every process picks up the new
   version at its next request. Nothing is rebuilt per request.

Serving experts (`serving`; SPEC §4: at most one active appointment) are never recommended for a demand
nor may they be invited: `serving_expert_ids()` is the union of the registered providers. Until the
projects app exists, the one built-in provider counts an expert as serving when staff have marked one of
their accepted intents "已到岗服务" (`Intent.in_service`). The projects app registers its own provider
(experts with an active appointment) with `register_serving_provider`.
"""

from __future__ import annotations

from .portal import (
    BUILDERS,
    DEMANDS,
    EXPERTS,
    KINDS,
    MAX_BLOB_BYTES,
    all_tokens,
    build_demand_index,
    build_expert_index,
    demand_fields,
    demand_recommendations,
    demand_text,
    expert_fields,
    expert_recommendations,
    get_index,
    index_invalidate,
    index_rebuild,
)
from .portal import _local as _local
from .portal import _version_key as _version_key
from .ranking import (
    BM25,
    FIELD_LABELS,
    FIELD_WEIGHTS,
    FIT_BONUS,
    K1,
    LEADING_BONUS,
    MAX_SCORE,
    B,
    Doc,
    Match,
    MatchIndex,
    Recommendation,
    industry_tags,
)
from .serving import _serving_providers as _serving_providers
from .serving import is_serving, register_serving_provider, serving_expert_ids
from .tokens import STOPWORDS, TERMS_PATH, fields_hash, load_terms, tokenize, tokenize_fields

__all__ = [
    "BM25",
    "BUILDERS",
    "DEMANDS",
    "EXPERTS",
    "FIELD_LABELS",
    "FIELD_WEIGHTS",
    "FIT_BONUS",
    "K1",
    "KINDS",
    "LEADING_BONUS",
    "MAX_BLOB_BYTES",
    "MAX_SCORE",
    "STOPWORDS",
    "TERMS_PATH",
    "B",
    "Doc",
    "Match",
    "MatchIndex",
    "Recommendation",
    "all_tokens",
    "build_demand_index",
    "build_expert_index",
    "demand_fields",
    "demand_recommendations",
    "demand_text",
    "expert_fields",
    "expert_recommendations",
    "fields_hash",
    "get_index",
    "index_invalidate",
    "index_rebuild",
    "industry_tags",
    "is_serving",
    "load_terms",
    "register_serving_provider",
    "serving_expert_ids",
    "tokenize",
    "tokenize_fields",
]
