"""The yearly cycle before its review: creating it (quotas, windows, the prize amounts of the policy
version in force), changing its settings, setting its rubric and opening it for applications.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit

from .. import policy
from ..enums import DEFAULT_RUBRIC, CycleState
from ..exceptions import AwardError
from ..models import AwardCriterion, AwardCycle
from ._common import _cycle_transition, _policy, _require, _staff

CYCLE_FIELDS = (
    "title",
    "budget_year",
    "quota_first",
    "quota_second",
    "quota_third",
    "apply_start",
    "apply_end",
    "score_deadline",
    "reviewers_per_application",
)
QUOTA_FIELDS = ("quota_first", "quota_second", "quota_third")


def _check_cycle_data(data: Mapping[str, object]) -> None:
    _require(bool(str(data.get("title") or "").strip()), _("请填写评选名称。"))
    start, end = data.get("apply_start"), data.get("apply_end")
    _require(start is not None and end is not None and end >= start, _("申报截止日期不能早于开始日期。"))
    for field in QUOTA_FIELDS:
        value = data.get(field)
        _require(value is not None and int(value) >= 0, _("名额须为不小于0的整数。"))
    _require(int(data.get("reviewers_per_application") or 0) >= 1, _("每项申请至少需要1名评审专家。"))


def cycle_create(*, by, year: int, data: Mapping[str, object], today: date | None = None) -> AwardCycle:
    """Staff open the cycle of `year`: quotas, windows, and the prize amounts of the policy version in
    force today (stored on the cycle). The default rubric is set; staff may change it while in draft."""
    from subsidies.models import PolicyVersion
    from subsidies.selectors import policy_version_in_force

    _staff(by)
    today = today or timezone.localdate()
    _require(year <= today.year, _("只能评选已结束或当前年度结题的项目。"))
    _check_cycle_data(data)
    _require(
        not AwardCycle.objects.filter(year=year).exists(), _("%(year)s年度评选已存在。") % {"year": year}
    )
    try:
        version = policy_version_in_force(today)
    except PolicyVersion.DoesNotExist:
        raise AwardError(_("没有生效的政策参数版本，无法确定奖金标准。")) from None
    fields = {k: data[k] for k in CYCLE_FIELDS if k in data}
    fields["title"] = str(fields["title"]).strip()
    fields.setdefault("budget_year", today.year)
    try:
        with transaction.atomic():
            cycle = AwardCycle.objects.create(year=year, policy_version=version, created_by=by, **fields)
            for order, (name, points) in enumerate(DEFAULT_RUBRIC, start=1):
                AwardCriterion.objects.create(cycle=cycle, name=str(name), max_points=points, order=order)
            cycle.transitions.create(from_state="", to_state=CycleState.DRAFT, actor=by)
            audit(by, "awardcycle.create", cycle, summary=cycle.title, data={"policy": version.code})
    except IntegrityError:
        raise AwardError(_("%(year)s年度评选已存在。") % {"year": year}) from None
    return cycle


def _differs(new, old) -> bool:
    """A changed setting (forms drop microseconds from date-times; they do not count)."""
    if isinstance(new, datetime) and isinstance(old, datetime):
        return new.replace(microsecond=0) != old.replace(microsecond=0)
    return new != old


def cycle_update(*, cycle: AwardCycle, by, data: Mapping[str, object]) -> AwardCycle:
    """Change the cycle: every field while in draft or open for applications; after that only the
    quotas, and only until the decision is approved (never below the levels already proposed)."""
    _staff(by)
    with transaction.atomic():
        locked = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
        _require(
            locked.state not in (CycleState.DECIDED, CycleState.PUBLISHED),
            _("评选结果已审定，不能再修改名额等设置。"),
        )
        merged = {k: getattr(locked, k) for k in CYCLE_FIELDS}
        merged.update({k: v for k, v in data.items() if k in CYCLE_FIELDS})
        _check_cycle_data(merged)
        changed = [k for k in CYCLE_FIELDS if _differs(merged[k], getattr(locked, k))]
        if locked.state not in (CycleState.DRAFT, CycleState.OPEN):
            other = [k for k in changed if k not in QUOTA_FIELDS]
            _require(not other, _("评审开始后只能调整名额。"))
        proposed = dict(locked.applications.values_list("pk", "proposed_level"))
        _policy(
            policy.check_quotas,
            proposed,
            {1: int(merged["quota_first"]), 2: int(merged["quota_second"]), 3: int(merged["quota_third"])},
        )
        before = {k: str(getattr(locked, k)) for k in changed}
        for k in changed:
            setattr(locked, k, merged[k])
        if changed:
            locked.save(update_fields=[*changed, "updated_at"])
            audit(
                by,
                "awardcycle.update",
                locked,
                data={"before": before, "after": {k: str(merged[k]) for k in changed}},
            )
    return locked


def rubric_set(*, cycle: AwardCycle, by, criteria: Iterable[tuple[str, Decimal]]) -> None:
    """Replace the rubric (criteria with maximum points) while the cycle is in draft."""
    _staff(by)
    criteria = [(str(n).strip(), Decimal(p)) for n, p in criteria if str(n).strip()]
    _require(bool(criteria), _("请至少设置一项评审指标。"))
    _require(all(p > 0 for _n, p in criteria), _("每项指标的满分须大于0。"))
    _require(len({n for n, _p in criteria}) == len(criteria), _("评审指标名称不能重复。"))
    with transaction.atomic():
        locked = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
        _require(locked.state == CycleState.DRAFT, _("评选开始申报后不能再修改评审指标。"))
        locked.criteria.all().delete()
        for order, (name, points) in enumerate(criteria, start=1):
            AwardCriterion.objects.create(cycle=locked, name=name, max_points=points, order=order)
        audit(by, "awardcycle.rubric", locked, data={"criteria": [[n, str(p)] for n, p in criteria]})


def cycle_open(*, cycle: AwardCycle, by) -> AwardCycle:
    """Start accepting applications (the window itself is checked at each submission)."""
    _staff(by)
    _require(cycle.criteria.exists(), _("请先设置评审指标。"))
    _require(sum(cycle.quotas.values()) > 0, _("请先设置获奖名额。"))
    return _cycle_transition(cycle, to=CycleState.OPEN, by=by)
