"""Demo outcomes (issue 21 item 6), through the services so every step is a recorded transition:

- the demo enterprise's active term (企业 qy_chen, 专家 zj_zhang): structured targets on its project and
  outcomes at every stage — verified, awaiting the commission's verification, awaiting the other side's
  confirmation (one each way), returned for more evidence, rejected, withdrawn, and a declared new sales
  figure;
- the ended term awaiting 结题 (terms seed): targets and verified outcomes, so its report, its
  evaluation and the annual report have figures.

Idempotent: a term that already has outcomes is left alone."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _pdf(name: str) -> ContentFile:
    return ContentFile(DEMO_PDF, name=name)


def _users(appointment):
    member = appointment.enterprise.members.select_related("user").order_by("pk").first()
    return (member.user if member else None), appointment.expert.user


def _report(appointment, by, code, title, days_ago, today, **extra):
    from . import services
    from .models import OutcomeKind

    achieved = max(
        appointment.start_date, min(today, services.term_end(appointment)) - timedelta(days=days_ago)
    )
    evidence = extra.pop("evidence", True)
    return services.outcome_report(
        appointment=appointment,
        by=by,
        kind=OutcomeKind.objects.get(code=code),
        title=title,
        achieved_on=achieved,
        evidence=_pdf(f"{title[:12]}.pdf") if evidence else None,
        **extra,
    )


def _targets(project, by, rows):
    from . import services
    from .models import OutcomeKind, ProjectTarget

    if ProjectTarget.objects.filter(project=project).exists():
        return
    services.project_targets_set(
        project=project,
        by=by,
        rows=[{"kind": OutcomeKind.objects.get(code=c), "quantity": q, "amount": a} for c, q, a in rows],
    )


def _verified(appointment, staff, today, rows) -> None:
    """Outcomes (by, kind code, title, days before the term's end, extra fields) reported, confirmed by the
    other side and verified by the commission."""
    from . import services

    ent, exp = _users(appointment)
    for by, code, title, days, extra in rows:
        o = _report(appointment, by, code, title, days, today, **extra)
        services.outcome_act(outcome=o, action="confirm", by=exp if by == ent else ent)
        services.outcome_act(outcome=o, action="verify", by=staff)


def _active_term(appointment, staff, today) -> None:
    from . import services

    ent, exp = _users(appointment)
    if ent is None or exp is None:
        return
    _targets(
        appointment.project,
        ent,
        [
            ("patent_invention_applied", 2, None),
            ("tech_contract", None, Decimal("300000.00")),
            ("people_trained", 5, None),
        ],
    )
    act = services.outcome_act
    # verified: an invention patent application, a registered technology contract, people trained and a
    # declared new sales figure
    _verified(appointment, staff, today, [
        (ent, "patent_invention_applied", "一种缓释微球制剂的制备方法", 150,
         {"identifier": "CN202510345678.9"}),
        (ent, "tech_contract", "缓释制剂工艺开发技术服务合同", 120,
         {"identifier": "2025110114001234", "amount": Decimal("360000.00")}),
        (ent, "people_trained", "培养企业制剂研发骨干", 100, {"quantity": 3, "evidence": False}),
        (ent, "new_sales", "缓释制剂新品新增销售收入（企业自报）", 90,
         {"amount": Decimal("1850000.00"), "evidence": False}),
    ])
    # awaiting the commission's verification
    o = _report(
        appointment,
        exp,
        "patent_invention_applied",
        "一种多肽药物微球的冷冻干燥工艺",
        60,
        today,
        identifier="CN202510456789.0",
    )
    act(outcome=o, action="confirm", by=ent)
    # awaiting the other side's confirmation, one each way
    _report(
        appointment,
        ent,
        "software_copyright",
        "制剂工艺参数管理系统V1.0",
        30,
        today,
        identifier="2025SR0456789",
    )
    _report(
        appointment, exp, "paper", "缓释微球体外释放行为的研究", 20, today, identifier="10.16438/2025.0123"
    )
    # returned for more evidence
    o = _report(appointment, ent, "platform_ent_center", "区级企业技术中心", 45, today, level="district")
    act(outcome=o, action="confirm", by=exp)
    act(outcome=o, action="return", by=staff, reason="请补充区级企业技术中心认定文件（盖章扫描件）")
    # rejected, and withdrawn
    o = _report(
        appointment, ent, "recognition_tsme", "科技型中小企业入库", 80, today, identifier="202511011400321"
    )
    act(outcome=o, action="confirm", by=exp)
    act(outcome=o, action="reject", by=staff, reason="入库时间早于服务期开始，不计入本服务期成果")
    o = _report(appointment, exp, "standard", "缓释微球质量控制团体标准（草案）", 10, today, level="industry")
    act(outcome=o, action="withdraw", by=exp, reason="标准尚未发布，发布后再填报")


def _ended_term(appointment, staff, today) -> None:

    ent, exp = _users(appointment)
    if ent is None or exp is None:
        return
    _targets(
        appointment.project, ent, [("patent_invention_applied", 2, None), ("software_copyright", 2, None)]
    )
    _verified(appointment, staff, today, [
        (ent, "patent_invention_applied", "一种焊缝缺陷视觉识别方法", 400,
         {"identifier": "CN202410111222.3"}),
        (exp, "patent_invention_granted", "焊接机器人视觉标定装置", 200, {"identifier": "ZL202410333444.5"}),
        (ent, "software_copyright", "焊缝缺陷智能识别软件V1.0", 300, {"identifier": "2024SR0111222"}),
        (ent, "software_copyright", "焊接质量数据分析平台V2.0", 150, {"identifier": "2024SR0333444"}),
        (ent, "people_trained", "培养企业视觉检测研发骨干", 100, {"quantity": 4, "evidence": False}),
    ])


def seed(stdout) -> None:
    from projects.models import Appointment
    from terms.seed import ENDED_PROJECT_TITLE, _demo_appointment

    from .kinds import ensure_kinds
    from .models import Outcome

    ensure_kinds()
    staff = User.objects.filter(roles__role=Role.COMMISSION, username="kw_wang").first()
    if staff is None:
        stdout.write("  outcomes: skipped (no demo staff)")
        return
    today = timezone.localdate()
    added = []
    active = _demo_appointment()
    if active is not None and not Outcome.objects.filter(appointment=active).exists():
        _active_term(active, staff, today)
        added.append("active term")
    ended = Appointment.objects.filter(project__title=ENDED_PROJECT_TITLE).first()
    if ended is not None and not Outcome.objects.filter(appointment=ended).exists():
        _ended_term(ended, staff, today)
        added.append("ended term")
    stdout.write(f"  outcomes: {', '.join(added) if added else 'demo data already present'}")
