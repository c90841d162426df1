"""The matching engine: which admitted experts fit a demand, which published demands fit an expert.

Three layers, each testable on its own:

1. Segmentation (`tokenize`, `tokenize_fields`): jieba with the domain dictionary
   `enterprises/data/tech_terms.txt`, so that technical terms (锂离子电池, 抗体偶联药物) stay whole.
   Tokens are computed when an expert or demand is saved and stored (`ExpertProfileIndex.tokens`,
   `Demand.tokens`); the index is built from stored tokens and never runs jieba.
2. Ranking over plain Python objects (`Doc`, `MatchIndex`): BM25F (`BM25`, the Lucene variant of bm25s,
   vectorised; each field's term frequencies weighted before saturation) with the document vectors
   cosine-normalised and the query's distinct terms weighted by their IDF, normalised to the best match,
   plus a discipline/industry fit bonus and a bonus for Changping's leading industries (主导产业). Only
   documents sharing at least one term with the query are ranked, and every `Recommendation` carries its
   explanation: the matched terms per field and the bonuses. Measured against a labelled set beside a
   TF-IDF cosine baseline by bench/bench_matching_quality.py (docs/ENTERPRISES.md).
3. The portal side (`expert_recommendations`, `demand_recommendations`): indexes built from the
   database once, cached in the process and, as a pickled blob, in the Django cache (Redis in
   production) under a version key. `index_rebuild(kind)` — run by the Celery tasks in
   `enterprises.tasks` whenever an expert, a demand or the industry list changes (inline in the
   embedded default) — builds the index, stores it and bumps the version; every process picks up the new
   version at its next request. Nothing is rebuilt per request.

Serving experts (SPEC §4: at most one active appointment) are never recommended for a demand nor may
they be invited: `serving_expert_ids()` is the union of the registered providers. Until the projects
app exists, the one built-in provider counts an expert as serving when staff have marked one of their
accepted intents "已到岗服务" (`Intent.in_service`). The projects app registers its own provider
(experts with an active appointment) with `register_serving_provider`.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

TERMS_PATH = Path(__file__).resolve().parent / "data" / "tech_terms.txt"

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

# Words that say nothing about a technical match.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "等",
        "在",
        "对",
        "为",
        "将",
        "把",
        "被",
        "从",
        "以",
        "于",
        "由",
        "中",
        "上",
        "下",
        "内",
        "外",
        "其",
        "该",
        "本",
        "各",
        "每",
        "并",
        "且",
        "而",
        "也",
        "又",
        "就",
        "都",
        "是",
        "有",
        "无",
        "我们",
        "我司",
        "公司",
        "企业",
        "单位",
        "需求",
        "需要",
        "希望",
        "进行",
        "开展",
        "相关",
        "方面",
        "领域",
        "技术",
        "研究",
        "开发",
        "研发",
        "工作",
        "项目",
        "问题",
        "能力",
        "经验",
        "负责",
        "协助",
        "提供",
        "具有",
        "具备",
        "熟悉",
        "主要",
        "重点",
        "包括",
        "以及",
        "通过",
        "实现",
        "提升",
        "提高",
        "推动",
        "建立",
        "完善",
        "形成",
        "围绕",
        "针对",
        "面向",
        "一个",
        "一种",
        "方法",
        "系统",
        "应用",
        "基于",
        "进展",
        "综述",
        "及其",
        "关键",
        "国家",
        "北京",
        "昌平",
        "专家",
        "团队",
        "平台",
        "岗位",
        "合作",
        "支持",
        "参与",
        "左右",
        "以上",
        "以下",
        "目前",
        "已经",
        "可以",
        "能够",
    ]
)

_ASCII_TOKEN = re.compile(r"^[a-z0-9][a-z0-9.+\-]*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


# --- 1. segmentation ---------------------------------------------------------------------------------


def load_terms(path: Path = TERMS_PATH) -> list[str]:
    """The domain dictionary: one term a line, "#" lines are headings or comments."""
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            terms.append(line)
    return terms


_jieba_lock = threading.Lock()


@lru_cache(maxsize=1)
def _term_set() -> frozenset[str]:
    return frozenset(t.lower() for t in load_terms())


def _sub_terms(word: str) -> list[str]:
    """Dictionary terms inside a longer dictionary term ("碳纤维复合材料" → 碳纤维, 复合材料), so that a
    compound still matches its parts."""
    terms = _term_set()
    if len(word) < 4 or word not in terms:
        return []
    found = []
    for size in range(len(word) - 1, 1, -1):
        for start in range(len(word) - size + 1):
            part = word[start : start + size]
            if part in terms and part not in found:
                found.append(part)
    return found


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _jieba_lock:
        tk = jieba.Tokenizer()
        tk.initialize()
        for term in load_terms():
            # A high frequency keeps the term whole even next to words that would pair with its parts.
            tk.add_word(term, freq=200_000)
    return tk


def tokenize(text: str) -> list[str]:
    """Segment `text` into matching tokens: technical terms whole, stopwords, punctuation and single
    characters dropped, Latin letters lower-cased ("mRNA疫苗" → ["mrna疫苗"], "5G" → ["5g"]); a
    compound term is followed by the dictionary terms inside it ("储能系统" → ["储能系统", "储能"])."""
    if not text:
        return []
    tokens = []
    for word in _tokenizer().cut(text, HMM=False):
        word = word.strip().lower()
        if len(word) < 2 or word in STOPWORDS:
            continue
        if _CJK.search(word) or _ASCII_TOKEN.match(word):
            tokens.append(word)
            tokens.extend(_sub_terms(word))
    return tokens


def tokenize_fields(fields: Mapping[str, str]) -> dict[str, list[str]]:
    """{"keywords": "储能、电池管理系统"} → {"keywords": ["储能", "电池管理系统"]} (empty fields left out)."""
    result = {}
    for name, text in fields.items():
        tokens = tokenize(text)
        if tokens:
            result[name] = tokens
    return result


def fields_hash(fields: Mapping[str, str]) -> str:
    """A digest of the source text and the dictionary, to skip re-segmenting unchanged profiles."""
    digest = hashlib.sha256()
    digest.update(str(TERMS_PATH.stat().st_mtime_ns).encode())
    for name in sorted(fields):
        digest.update(f"\x1e{name}\x1f{fields[name]}".encode())
    return digest.hexdigest()


# --- 2. ranking over plain objects ------------------------------------------------------------------


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
        from .policy import match_percent

        return match_percent(self.score, MAX_SCORE)

    @property
    def level(self) -> tuple[str, str]:
        from .policy import match_level

        return match_level(self.percent)

    def reasons(self, source_text: str) -> list[str]:
        """The matched terms in the demand's own wording, longest first, no repeats."""
        from .policy import reason_terms

        return reason_terms(self.terms, source_text)

    @property
    def fields_matched(self) -> list[str]:
        return [m.label for m in self.matches]

    @property
    def explanation(self) -> str:
        from .policy import reason_terms

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


# --- 3. the portal side: stored tokens, cached indexes, serving experts ------------------------------

EXPERTS = "experts"
DEMANDS = "demands"
KINDS = (EXPERTS, DEMANDS)
#: Blobs larger than this stay in the process only (each process then builds its own copy once).
MAX_BLOB_BYTES = 64 * 1024 * 1024

_local: dict[str, tuple[str, MatchIndex]] = {}
_local_lock = threading.Lock()


def _version_key(kind: str) -> str:
    return f"enterprises:matching:{kind}:version"


def _blob_key(kind: str, version: str) -> str:
    return f"enterprises:matching:{kind}:index:{version}"


def _industries() -> list[tuple[str, set[str], bool]]:
    from .models import Industry

    return [(i.code, i.discipline_names, i.is_leading) for i in Industry.objects.filter(active=True)]


def expert_fields(expert) -> dict[str, str]:
    """The text of an expert that is matched against demands (research fields, keywords, achievements,
    discipline)."""
    achievements = "；".join(f"{a.title} {a.detail}".strip() for a in expert.achievements.all())
    return {
        "research_fields": expert.research_fields or "",
        "keywords": expert.keywords or "",
        "achievements": achievements,
        "discipline": expert.discipline.name if expert.discipline_id else "",
    }


def demand_text(demand) -> str:
    """The demand's matched text in one string: where reasons find the demand's own wording."""
    return "\n".join(demand_fields(demand).values())


def demand_fields(demand) -> dict[str, str]:
    return {
        "title": demand.title or "",
        "technical_field": demand.technical_field or "",
        "keywords": demand.keywords or "",
        "description": demand.description or "",
        "expected_work": demand.expected_work or "",
    }


def all_tokens(fields: Mapping[str, Sequence[str]]) -> list[str]:
    return [t for words in fields.values() for t in words]


def build_expert_index() -> MatchIndex:
    """Admitted experts (入库) from their stored tokens; one query, no segmentation."""
    from .models import ExpertProfileIndex

    industries = _industries()
    rows = ExpertProfileIndex.objects.filter(expert__in_pool=True).values_list(
        "expert_id", "tokens", "expert__discipline__name"
    )
    docs = []
    for expert_id, tokens, discipline in rows.iterator(chunk_size=5000):
        tags, leading = industry_tags(discipline or "", industries)
        docs.append(Doc(id=expert_id, fields=tokens or {}, tags=tags, leading=leading))
    return MatchIndex(docs)


def build_demand_index() -> MatchIndex:
    """Published demands from their stored tokens (past-deadline ones are filtered at query time)."""
    from .enums import DemandState
    from .models import Demand

    rows = Demand.objects.filter(state=DemandState.PUBLISHED).values_list(
        "id", "tokens", "industry__code", "industry__is_leading"
    )
    docs = [
        Doc(id=pk, fields=tokens or {}, tags=frozenset({code}), leading=bool(leading))
        for pk, tokens, code, leading in rows
    ]
    return MatchIndex(docs)


BUILDERS: dict[str, Callable[[], MatchIndex]] = {EXPERTS: build_expert_index, DEMANDS: build_demand_index}


def index_rebuild(kind: str) -> MatchIndex:
    """Build the index of `kind`, share it through the cache under a new version, use it here."""
    from django.core.cache import cache

    index = BUILDERS[kind]()
    version = uuid.uuid4().hex
    blob = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
    if len(blob) <= MAX_BLOB_BYTES:
        cache.set(_blob_key(kind, version), blob, timeout=7 * 24 * 3600)
    cache.set(_version_key(kind), version, timeout=None)
    with _local_lock:
        _local[kind] = (version, index)
    return index


def get_index(kind: str) -> MatchIndex:
    """The current index of `kind`: this process's copy while the shared version is unchanged, else the
    shared blob, else (first use, or the cache was emptied) a fresh build."""
    from django.core.cache import cache

    version = cache.get(_version_key(kind))
    local = _local.get(kind)
    if version is not None and local is not None and local[0] == version:
        return local[1]
    if version is not None:
        blob = cache.get(_blob_key(kind, version))
        if blob is not None:
            # Our own blob from our own cache (Redis, like every Django cache value, is pickled).
            index = pickle.loads(blob)  # nosec B301
            with _local_lock:
                _local[kind] = (version, index)
            return index
    return index_rebuild(kind)


def index_invalidate(kind: str | None = None) -> None:
    """Forget the shared version (the next request rebuilds); used when a rebuild cannot run now."""
    from django.core.cache import cache

    for name in [kind] if kind else KINDS:
        cache.delete(_version_key(name))
        _local.pop(name, None)


# Serving experts -------------------------------------------------------------------------------------

_serving_providers: list[Callable[[], Iterable[int]]] = []


def register_serving_provider(provider: Callable[[], Iterable[int]]) -> None:
    """Add a source of serving expert ids (the projects app: experts with an active appointment)."""
    if provider not in _serving_providers:
        _serving_providers.append(provider)


def _in_service_intents() -> Iterable[int]:
    from .enums import IntentState
    from .models import Intent

    return Intent.objects.filter(state=IntentState.ACCEPTED, in_service=True).values_list(
        "expert_id", flat=True
    )


register_serving_provider(_in_service_intents)


def serving_expert_ids() -> set[int]:
    """Ids of experts who are serving an enterprise now: never recommended, never invited."""
    ids: set[int] = set()
    for provider in _serving_providers:
        ids.update(provider())
    return ids


def is_serving(expert_id: int) -> bool:
    return expert_id in serving_expert_ids()


def expert_recommendations(demand, *, k: int = 20) -> list[Recommendation]:
    """Admitted, not serving experts ranked for `demand` (each with its explanation)."""
    query = all_tokens(demand.tokens or {})
    return get_index(EXPERTS).rank(query, tags={demand.industry.code}, exclude=serving_expert_ids(), k=k)


def demand_recommendations(expert, *, k: int = 20, today=None) -> list[Recommendation]:
    """Published demands whose deadline has not passed, ranked for `expert`."""
    from django.utils import timezone

    from .enums import DemandState
    from .models import Demand, ExpertProfileIndex

    today = today or timezone.localdate()
    entry = ExpertProfileIndex.objects.filter(expert=expert).first()
    if entry is None:
        return []
    tags, _leading = industry_tags(expert.discipline.name if expert.discipline_id else "", _industries())
    closed = Demand.objects.filter(state=DemandState.PUBLISHED, deadline__lt=today).values_list(
        "id", flat=True
    )
    return get_index(DEMANDS).rank(all_tokens(entry.tokens), tags=tags, exclude=set(closed), k=k)
