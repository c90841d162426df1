"""A project's structured targets: setting them, the commission's override of a computed "met" (with
its reason), and the check that a term report's rows say what the target table says.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit

from .. import policy, selectors
from ..exceptions import OutcomeError
from ..models import ProjectTarget, TargetOverride
from ._common import _completed


def project_targets_set(*, project, by, rows: list[dict]) -> list[ProjectTarget]:
    """Replace the project's structured targets (kind, quantity and/or amount), one per kind."""
    kinds_seen = set()
    for row in rows:
        policy.check_target(quantity=row.get("quantity"), amount=row.get("amount"))
        if row["kind"].pk in kinds_seen:
            raise OutcomeError(_("每种成果类型只能设一个目标：%(kind)s") % {"kind": row["kind"].name})
        kinds_seen.add(row["kind"].pk)
    with transaction.atomic():
        ProjectTarget.objects.filter(project=project).delete()
        targets = ProjectTarget.objects.bulk_create(
            ProjectTarget(project=project, kind=r["kind"], quantity=r.get("quantity"), amount=r.get("amount"))
            for r in rows
        )
        audit(by, "projecttarget.set", project, summary=f"{len(targets)} targets")
    return targets


def target_override_set(
    *, appointment, target: ProjectTarget, met: bool, reason: str, by
) -> TargetOverride | None:
    """Set "met" of one target against the computed value, with the reason; setting it back to the
    computed value removes the override. Not after completion."""
    if target.project_id != appointment.project_id:
        raise OutcomeError(_("该目标不属于此服务期的合作项目"))
    if _completed(appointment):
        raise OutcomeError(_("该合作项目已结题，指标完成情况不能再调整"))
    row = next((r for r in selectors.target_table(appointment) if r.target.pk == target.pk), None)
    computed = row.computed if row else False
    reason = (reason or "").strip()
    policy.check_override(computed=computed, met=met, reason=reason)
    with transaction.atomic():
        if met == computed:
            TargetOverride.objects.filter(appointment=appointment, target=target).delete()
            audit(by, "targetoverride.clear", appointment, summary=target.kind.name)
            return None
        override, _created = TargetOverride.objects.update_or_create(
            appointment=appointment, target=target, defaults={"met": met, "reason": reason, "set_by": by}
        )
        audit(
            by,
            "targetoverride.set",
            appointment,
            summary=f"{target.kind.name}: {met}",
            data={"reason": reason},
        )
    return override


def check_report_rows(appointment, rows: list[dict]) -> None:
    """A term report row of a structured target says "met" as the target table does: a different value
    needs an override with its reason first (outcomes:target-override)."""
    table = {selectors.target_indicator(r.target): r for r in selectors.target_table(appointment)}
    for row in rows:
        r = table.get((row.get("indicator") or "").strip())
        if r is not None and bool(row.get("met")) != r.met:
            raise OutcomeError(
                _("“%(indicator)s”按已核实成果为“%(computed)s”；如需调整，请先在服务成果页填写调整理由")
                % {"indicator": r.target.kind.name, "computed": _("已达成") if r.met else _("未达成")}
            )
