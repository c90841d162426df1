"""The portal side (layer 3): the matched text of experts and demands, the indexes built from their
stored tokens, cached in the process and in the Django cache under a version key (rebuilt by the
Celery tasks, never per request), and the recommendations for a demand or an expert.
"""

from __future__ import annotations

import pickle
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence

from .ranking import Doc, MatchIndex, Recommendation, industry_tags
from .serving import serving_expert_ids

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
    from ..models import Industry

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
    from ..models import ExpertProfileIndex

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
    from ..enums import DemandState
    from ..models import Demand

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


def expert_recommendations(demand, *, k: int = 20) -> list[Recommendation]:
    """Admitted, not serving experts ranked for `demand` (each with its explanation)."""
    query = all_tokens(demand.tokens or {})
    return get_index(EXPERTS).rank(query, tags={demand.industry.code}, exclude=serving_expert_ids(), k=k)


def demand_recommendations(expert, *, k: int = 20, today=None) -> list[Recommendation]:
    """Published demands whose deadline has not passed, ranked for `expert`."""
    from django.utils import timezone

    from ..enums import DemandState
    from ..models import Demand, ExpertProfileIndex

    today = today or timezone.localdate()
    entry = ExpertProfileIndex.objects.filter(expert=expert).first()
    if entry is None:
        return []
    tags, _leading = industry_tags(expert.discipline.name if expert.discipline_id else "", _industries())
    closed = Demand.objects.filter(state=DemandState.PUBLISHED, deadline__lt=today).values_list(
        "id", flat=True
    )
    return get_index(DEMANDS).rank(all_tokens(entry.tokens), tags=tags, exclude=set(closed), k=k)
