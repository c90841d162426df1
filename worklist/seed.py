"""Demo data for the work lists: the demo enterprise (qy_chen, 天源生物) gets an expert's application to
answer, so its landing page shows a task (the other demo roles have theirs from the other apps' seeds).
Idempotent: one application per demand and expert."""

from __future__ import annotations


def seed(stdout) -> None:
    from enterprises import services
    from enterprises.enums import DemandState
    from enterprises.models import Demand, Intent
    from experts.models import Expert

    demand = Demand.objects.filter(
        title="发酵尾气二氧化碳捕集与资源化利用", state=DemandState.PUBLISHED
    ).first()
    expert = Expert.objects.filter(name="周雅琴", in_pool=True, user__isnull=False).first()
    if demand is None or expert is None or Intent.objects.filter(demand=demand, expert=expert).exists():
        stdout.write("  worklist: nothing to add")
        return
    services.intent_apply(
        demand=demand, expert=expert, by=expert.user, message="本人从事发酵过程尾气资源化研究，申请对接。"
    )
    stdout.write("  worklist: 1 pending application for the demo enterprise")
