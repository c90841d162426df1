"""Serving experts (SPEC §4: at most one active appointment): never recommended for a demand nor
invited. The ids are the union of the registered providers: the built-in one (accepted intents marked
已到岗服务) and the projects app's (experts with an active appointment).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

_serving_providers: list[Callable[[], Iterable[int]]] = []


def register_serving_provider(provider: Callable[[], Iterable[int]]) -> None:
    """Add a source of serving expert ids (the projects app: experts with an active appointment)."""
    if provider not in _serving_providers:
        _serving_providers.append(provider)


def _in_service_intents() -> Iterable[int]:
    from ..enums import IntentState
    from ..models import Intent

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
