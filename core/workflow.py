"""The one mechanism every workflow uses to change state (STYLE.md, "States and transitions").

    with transaction.atomic():
        nomination = transition(nomination, to=NominationState.SUBMITTED, by=user, allowed=TRANSITIONS)

The row is locked, the transition checked against the table on the locked row, the state saved with
`update_fields`, the transition record and an audit event written — all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import models, transaction
from django.utils.translation import gettext as _

from .audit import audit


class TransitionError(ValueError):
    """A state change that the workflow does not allow from the current state."""


def check_transition(allowed: Mapping[str, Iterable[str]], current: str, target: str, *, label) -> None:
    if target not in allowed.get(current, ()):
        choices = type(target) if isinstance(target, models.TextChoices) else None
        cur = choices(current).label if choices else current
        tgt = choices(target).label if choices else target
        raise TransitionError(
            _("%(label)s当前为“%(current)s”，不能变更为“%(target)s”。")
            % {"label": label, "current": cur, "target": tgt}
        )


def transition(
    obj: models.Model,
    *,
    to: str,
    by,
    allowed: Mapping[str, Iterable[str]],
    reason: str = "",
    changes: Mapping[str, object] | None = None,
    state_field: str = "state",
):
    """Move `obj` to state `to`; returns the locked, updated instance (and updates `obj` in place)."""
    model = type(obj)
    changes = dict(changes or {})
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=obj.pk)
        current = getattr(locked, state_field)
        check_transition(allowed, current, to, label=model._meta.verbose_name)
        setattr(locked, state_field, to)
        for field, value in changes.items():
            setattr(locked, field, value)
        update_fields = [state_field, *changes]
        if any(f.name == "updated_at" for f in model._meta.fields):
            update_fields.append("updated_at")
        locked.save(update_fields=update_fields)
        locked.transitions.create(from_state=current, to_state=to, actor=by, reason=reason)
        audit(
            by,
            f"{model._meta.model_name}.{to}",
            locked,
            summary=f"{current} → {to}",
            data={"reason": reason} if reason else {},
        )
    setattr(obj, state_field, to)
    for field, value in changes.items():
        setattr(obj, field, value)
    return locked
