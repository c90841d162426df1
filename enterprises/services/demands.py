"""Demands of verified enterprises: drafting, changing, publishing and closing them (also when their
deadline passed), each change re-segmented for matching and the demand index refreshed after commit.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit
from core.exceptions import PolicyError
from core.workflow import transition

from .. import policy
from ..enums import DEMAND_TRANSITIONS, DemandState
from ..exceptions import EnterpriseError
from ..models import Demand, Enterprise
from ._common import _require_verified

DEMAND_FIELDS = (
    "title",
    "description",
    "technical_field",
    "keywords",
    "industry",
    "position",
    "expected_work",
    "deadline",
)


def _refresh_demand_index() -> None:
    from ..indexing import schedule_index_rebuild

    schedule_index_rebuild("demands")


def _tokenize_demand(demand: Demand) -> None:
    from ..matching import demand_fields, tokenize_fields

    demand.tokens = tokenize_fields(demand_fields(demand))


def demand_create(*, enterprise: Enterprise, by, data: dict) -> Demand:
    _require_verified(enterprise)
    demand = Demand(enterprise=enterprise, created_by=by, **{k: data[k] for k in DEMAND_FIELDS if k in data})
    _tokenize_demand(demand)
    with transaction.atomic():
        demand.save()
        demand.transitions.create(from_state="", to_state=DemandState.DRAFT, actor=by)
        audit(by, "demand.create", demand, summary=demand.title)
    return demand


def demand_update(*, demand: Demand, by, data: dict, today: date | None = None) -> Demand:
    _require_verified(demand.enterprise)
    if demand.state == DemandState.CLOSED:
        raise EnterpriseError(_("需求已关闭，不能修改。"))
    today = today or timezone.localdate()
    if demand.state == DemandState.PUBLISHED and "deadline" in data:
        try:
            policy.check_demand_open(data["deadline"], today)
        except PolicyError as exc:
            raise EnterpriseError(str(exc)) from exc
    with transaction.atomic():
        for name in DEMAND_FIELDS:
            if name in data:
                setattr(demand, name, data[name])
        _tokenize_demand(demand)
        demand.save()
        audit(by, "demand.update", demand, summary=demand.title)
        if demand.state == DemandState.PUBLISHED:
            _refresh_demand_index()
    return demand


def demand_publish(*, demand: Demand, by, today: date | None = None) -> Demand:
    _require_verified(demand.enterprise)
    try:
        policy.check_demand_open(demand.deadline, today or timezone.localdate())
    except PolicyError as exc:
        raise EnterpriseError(str(exc)) from exc
    with transaction.atomic():
        transition(
            demand,
            to=DemandState.PUBLISHED,
            by=by,
            allowed=DEMAND_TRANSITIONS,
            changes={"published_at": timezone.now()},
        )
        _refresh_demand_index()
    return demand


def _close(demand: Demand, *, by, reason: str) -> None:
    transition(
        demand, to=DemandState.CLOSED, by=by, allowed=DEMAND_TRANSITIONS, reason=reason,
        changes={"closed_at": timezone.now()},
    )


def demand_close(*, demand: Demand, by, reason: str = "") -> Demand:
    with transaction.atomic():
        _close(demand, by=by, reason=reason)
        _refresh_demand_index()
    return demand


def demand_close_past_deadline(*, today: date | None = None) -> int:
    """Close published demands whose deadline has passed (scheduled daily); returns how many."""
    today = today or timezone.localdate()
    closed = 0
    for demand in Demand.objects.filter(state=DemandState.PUBLISHED, deadline__lt=today):
        with transaction.atomic():
            _close(demand, by=None, reason=_("截止日期已过，系统自动关闭"))
        closed += 1
    if closed:
        _refresh_demand_index()
    return closed
