"""Keeping the stored matching tokens of experts current (the experts app is not edited: its saves are
observed with signals that only schedule enterprises.tasks.experts_index_refresh after commit)."""

from __future__ import annotations

import threading

from django.db import transaction

from .matching import expert_fields, fields_hash, tokenize_fields
from .models import ExpertProfileIndex


def expert_tokens_refresh(expert_id: int) -> bool:
    """Store the tokens of one expert; returns False when the text is unchanged (or the expert is gone)."""
    from experts.models import Expert

    expert = (
        Expert.objects.select_related("discipline")
        .prefetch_related("achievements")
        .filter(pk=expert_id)
        .first()
    )
    if expert is None:
        return False
    fields = expert_fields(expert)
    digest = fields_hash(fields)
    entry = ExpertProfileIndex.objects.filter(expert_id=expert_id).first()
    if entry is not None and entry.source_hash == digest:
        return False
    tokens = tokenize_fields(fields)
    ExpertProfileIndex.objects.update_or_create(
        expert_id=expert_id, defaults={"tokens": tokens, "source_hash": digest}
    )
    return True


_pending = threading.local()


def schedule_expert_refresh(expert_id: int) -> None:
    """After commit, refresh this expert's tokens. Changes within one transaction (an expert and their
    achievements, a bulk import) are collected into one task, so the index is rebuilt once."""
    conn = transaction.get_connection()
    state = getattr(_pending, "state", None)
    if (
        state is not None
        and conn.in_atomic_block
        and any(entry[1] is state["flush"] for entry in conn.run_on_commit)
    ):
        state["ids"].add(expert_id)
        return
    state = {"ids": {expert_id}}

    def flush():
        from .tasks import experts_index_refresh

        if getattr(_pending, "state", None) is state:
            _pending.state = None
        experts_index_refresh.delay(sorted(state["ids"]))

    state["flush"] = flush
    _pending.state = state
    transaction.on_commit(flush)


def on_expert_saved(sender, instance, **kwargs):
    if not kwargs.get("raw"):
        schedule_expert_refresh(instance.pk)


def on_achievement_changed(sender, instance, **kwargs):
    if not kwargs.get("raw") and instance.expert_id:
        schedule_expert_refresh(instance.expert_id)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from experts.models import Achievement, Expert

    post_save.connect(on_expert_saved, sender=Expert, dispatch_uid="enterprises.expert_saved")
    post_save.connect(
        on_achievement_changed, sender=Achievement, dispatch_uid="enterprises.achievement_saved"
    )
    post_delete.connect(
        on_achievement_changed, sender=Achievement, dispatch_uid="enterprises.achievement_deleted"
    )
