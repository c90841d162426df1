"""Thin Celery tasks: refresh stored tokens, rebuild the matching indexes, expire intents, close demands.

Without a broker (the embedded default) they run inline; `manage.py expire_intents` runs the daily job."""

from __future__ import annotations

from celery import shared_task


@shared_task
def matching_index_rebuild(kind: str) -> int:
    """Rebuild the "experts" or "demands" index from stored tokens; returns its size."""
    from .matching import index_rebuild

    return len(index_rebuild(kind))


@shared_task
def experts_index_refresh(expert_ids: list[int]) -> int:
    """Segment the experts' text into ExpertProfileIndex (skipped when unchanged), then rebuild the
    experts index once. Returns how many experts' tokens changed."""
    from .indexing import expert_tokens_refresh

    changed = sum(expert_tokens_refresh(pk) for pk in expert_ids)
    if changed:
        matching_index_rebuild("experts")
    return changed


@shared_task
def intents_expire() -> int:
    """Daily: expire pending intents past their expiry and close demands past their deadline."""
    from .services import demand_close_past_deadline, intent_expire_due

    expired = intent_expire_due()
    demand_close_past_deadline()
    return expired
