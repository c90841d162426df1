"""Writing the audit log. Called by services inside their transaction; never edited afterwards.

Each record is appended to a hash chain (core.audit_chain)."""

from __future__ import annotations

from django.db import models


def audit(actor, action: str, target: models.Model | None = None, *, summary: str = "",
          data: dict | None = None, ip_address: str | None = None):
    from .audit_chain import append

    return append(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=str(summary)[:300],
        data=data or {},
        ip_address=ip_address,
    )
