"""Demo data of the annual awards (runs after projects, terms and subsidies).

Four cooperation projects whose two-year terms ended early last year (filed on paper before the portal:
their filings are entered through the services and marked as signed, then appointed, ended, reported on
jointly and accepted — 结题 — last spring), and last year's award cycle taken through the whole
workflow: joint applications and one staff nomination, reviewers assigned by the review rounds' solver,
score sheets, decision within the quotas, approval (budget bookings and payments), publication (the
certificates are issued after commit) and a draft payment batch for finance.

Idempotent: the cycle's year is the natural key; the experts and projects are found again by their ID
number and title.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from projects.seed import seed_points

from .enums import CycleState, SheetState
from .models import AwardCycle

# expert: name, institution, title, fields, first 17 ID digits, login, discipline
# project: enterprise, title, field, results; application evidence; the reviewers' quality (0–1)
HISTORIC = [
    {
        "expert": (
            "钟立华",
            "中国石油大学（北京）",
            "教授",
            "石油化工；催化材料",
            "11010819720412051",
            "zj_zhong",
            "化学工程与技术",
        ),
        "enterprise": "qy_chen",
        "title": "生物基可降解材料催化合成工艺开发",
        "field": "生物基材料",
        "results": "建成千吨级中试线；申请发明专利3项；形成企业标准1项。",
        "evidence": {
            "summary": "完成生物基聚酯催化合成工艺开发与千吨级中试，产品通过下游客户验证，实现规模化销售。",
            "patents": "发明专利授权2项（ZL202310123456.7、ZL202310234567.8），受理1项",
            "products": "生物基可降解聚酯PBAT改性料2个牌号",
            "revenue": "结题当年新增销售收入3,860万元",
            "standards": "企业标准Q/TY 012-2024《生物基可降解聚酯改性料》",
            "papers": "",
        },
        "quality": 0.92,
    },
    {
        "expert": ("罗静", "北京理工大学", "研究员", "储能材料；电池安全", "11010219790823064", "zj_luo",
                   "材料科学与工程"),
        "enterprise": "北京昌能储能技术有限公司",
        "title": "储能电池热失控预警与安全防护系统研制",
        "field": "新型储能",
        "results": "预警系统样机1套；示范电站2座；发明专利2项。",
        "evidence": {
            "summary": "研制储能电池热失控多参量预警系统，预警提前量达到8分钟，已在2座储能电站示范应用。",
            "patents": "发明专利授权2项",
            "products": "储能电站热失控预警系统 V2.0",
            "revenue": "新增合同额1,250万元",
            "standards": "参与制定团体标准1项",
            "papers": "EI论文2篇",
        },
        "quality": 0.86,
    },
    {
        "expert": ("唐志远", "北京航空航天大学", "教授", "机器人；精密装配", "11010519760309073", "zj_tang",
                   "机械工程"),
        "enterprise": "北京未来智造装备有限公司",
        "title": "航空精密部件机器人柔性装配系统研发",
        "field": "智能制造装备",
        "results": "装配系统1套；装配效率提升40%；软件著作权2项。",
        "evidence": {
            "summary": "研发航空精密部件机器人柔性装配系统，装配效率提升45%，一次合格率由92%提升到99.2%。",
            "patents": "发明专利受理2项",
            "products": "机器人柔性装配工作站1型",
            "revenue": "新增销售收入980万元",
            "standards": "",
            "papers": "软件著作权2项；核心期刊论文1篇",
        },
        "quality": 0.8,
    },
    {
        "expert": ("白雪梅", "首都医科大学", "主任医师", "临床药理；体外诊断", "11010619810716082", "zj_bai",
                   "药学"),
        "enterprise": "qy_chen",
        "title": "心血管疾病快速检测试剂研发与临床评价",
        "field": "体外诊断",
        "results": "试剂盒2个；注册检验报告2份。",
        "evidence": {
            "summary": "完成心肌肌钙蛋白等2个快速检测试剂盒研发与临床评价，取得注册检验报告。",
            "patents": "",
            "products": "快速检测试剂盒2个（注册检验已通过）",
            "revenue": "",
            "standards": "",
            "papers": "中文核心期刊论文3篇",
        },
        "quality": 0.72,
        "nominated": True,
    },
]


def _enterprise(key: str):
    from enterprises.models import Enterprise

    if key.startswith("qy_"):
        return Enterprise.objects.filter(members__user__username=key).first()
    return Enterprise.objects.filter(name=key).first()


def _budget(total: Decimal) -> dict:
    from projects.seed import _budget as project_budget

    return project_budget(total)


def _historic_project(spec: dict, *, staff, year: int):
    """A project completed (结题) in `year`, through the projects and terms services."""
    from projects import services as project_services
    from projects.enums import AppointmentState, ProjectState
    from projects.models import Project
    from projects.seed import PDF, _confirm_submit, _extra_expert, _intent, _user
    from subsidies.models import BankAccount
    from subsidies.services import bank_account_save
    from terms import services as term_services
    from terms.models import Completion

    name, inst, title, fields, id17, username, discipline = spec["expert"]
    enterprise = _enterprise(spec["enterprise"])
    expert = _extra_expert(name, inst, title, fields, id17, discipline)
    if enterprise is None or expert is None:
        return None
    if expert.user_id is None:
        expert.user = _user(username, name, f"{username}@expert.example.cn", Role.EXPERT)
        expert.save(update_fields=["user"])
    if not BankAccount.objects.filter(expert=expert).exists():
        bank_account_save(
            payee_kind="expert",
            expert=expert,
            holder_name=name,
            bank_name="中国建设银行北京昌平支行",
            account_number=f"62170000{id17[-11:]}",
            by=staff,
        )
    project = Project.objects.filter(title=spec["title"], expert=expert).first()
    if project is not None and Completion.objects.filter(project=project).exists():
        return project
    member = enterprise.members.select_related("user").order_by("pk").first()
    start = date(year - 2, 3, 1)
    from django.core.files.base import ContentFile

    project = project_services.project_create(
        intent=_intent(enterprise, expert),
        by=member.user,
        data={
            "title": spec["title"],
            "social_science": False,
            "technical_field": spec["field"],
            "objectives": spec["results"],
            "content": spec["evidence"]["summary"],
            "expected_results": spec["results"],
            "schedule": "第1—12个月 技术攻关\n第13—24个月 中试与推广应用",
            "position": "vp",
            "requested_start": start,
            **_budget(Decimal("600000.00")),
        },
        files={"cooperation_plan": ContentFile(PDF, name="plan.pdf")},
    )
    project = _confirm_submit(project)
    # filed, reviewed, record-filed and signed on paper before the portal went live
    Project.objects.filter(pk=project.pk).update(
        state=ProjectState.AGREEMENT_SIGNED, approved_funding=F("total_funds")
    )
    project.refresh_from_db()
    appointment = project_services.appointment_create(
        project=project, by=staff, start_date=start, issue_letters=False
    )
    if appointment.state == AppointmentState.ACTIVE:
        project_services.appointment_end(appointment=appointment, by=staff, reason="服务期满")
    appointment.refresh_from_db()
    report = term_services.term_report_save(
        appointment=appointment,
        by=member.user,
        summary=spec["evidence"]["summary"],
        achievements=spec["results"],
        results=[
            {"indicator": spec["results"], "target": spec["results"], "achieved": "全部完成", "met": True}
        ],
    )
    report = term_services.term_report_submit(report=report, by=member.user)
    report = term_services.term_report_confirm(report=report, by=expert.user)
    term_services.term_report_accept(
        report=report,
        accepted_on=date(year, 4, 10),
        note="经验收，项目完成合同约定的考核指标，同意结题。",
        by=staff,
    )
    project.refresh_from_db()
    return project


def _score(cycle, quality: dict, rng: random.Random, now) -> None:
    from . import services

    criteria = list(cycle.criteria.all())
    for sheet in cycle.sheets.filter(state=SheetState.ASSIGNED).select_related(
        "reviewer__user", "application"
    ):
        q = quality.get(sheet.application.project_id, 0.75)
        points = seed_points(criteria, q, rng, spread=0.05)
        services.sheet_save(
            sheet=sheet,
            by=sheet.reviewer.user,
            points=points,
            submit=True,
            now=now,
            comment="成果转化成效显著，经济社会效益突出，建议给予奖励。"
            if q > 0.8
            else "成果较扎实，产业化程度有待提高。",
        )


def seed(stdout) -> None:
    from . import services
    from .enums import ApplicationState
    from .exceptions import AwardError
    from .selectors import decision_rows

    today = timezone.localdate()
    year = today.year - 1
    if AwardCycle.objects.filter(year=year).exists():
        stdout.write("  awards: demo data already present")
        return
    staff = User.objects.filter(username="kw_wang").first()
    finance = User.objects.filter(username="czj_zhao").first()
    from projects.models import Reviewer

    if staff is None or Reviewer.objects.filter(active=True).count() < 4:
        stdout.write("  awards: skipped (the projects demo data it builds on is missing)")
        return
    from subsidies.models import Budget
    from subsidies.services import budget_save

    for budget_year in (year - 2, year - 1, year):
        if not Budget.objects.filter(year=budget_year).exists():
            budget_save(
                year=budget_year,
                amounts={
                    "subsidy": Decimal("6000000.00"),
                    "allowance": Decimal("1440000.00"),
                    "award": Decimal("950000.00"),
                },
                note=f"区财政{budget_year}年度“科技副总”专项资金预算",
                by=finance or staff,
            )

    projects_ = []
    for spec in HISTORIC:
        project = _historic_project(spec, staff=staff, year=year)
        if project is not None:
            projects_.append((spec, project))
    if len(projects_) < 2:
        stdout.write("  awards: skipped (the enterprises demo data it builds on is missing)")
        return

    now = timezone.now()
    cycle = services.cycle_create(
        by=staff,
        year=year,
        data={
            "title": f"{year}年度昌平区“科技副总”年度评选",
            "budget_year": today.year,
            "quota_first": 1,
            "quota_second": 1,
            "quota_third": 1,
            "apply_start": today - timedelta(days=100),
            "apply_end": today - timedelta(days=70),
            "score_deadline": now - timedelta(days=50),
            "reviewers_per_application": 3,
        },
    )
    services.cycle_open(cycle=cycle, by=staff)
    applied_on = today - timedelta(days=90)
    for spec, project in projects_:
        if spec.get("nominated"):
            services.application_nominate(cycle=cycle, project=project, by=staff, data=spec["evidence"])
            continue
        member = project.enterprise.members.select_related("user").order_by("pk").first()
        application = services.application_create(
            cycle=cycle, project=project, by=member.user, data=spec["evidence"], today=applied_on
        )
        application = services.application_confirm(application=application, by=project.expert.user)
        services.application_submit(application=application, by=member.user, today=applied_on)
    services.cycle_review_start(cycle=cycle, by=staff, today=today)
    cycle.refresh_from_db()
    # the demo reviewer sees the finished sheets too (history); everyone scored before the deadline
    _score(
        cycle, {p.pk: spec["quality"] for spec, p in projects_}, random.Random(year), now - timedelta(days=55)
    )
    services.cycle_close(cycle=cycle, by=staff)
    cycle.refresh_from_db()
    try:
        services.decision_autofill(cycle=cycle, by=staff)
    except AwardError:
        # a tie at a quota line: staff choose explicitly, best rank first (and say why)
        applications, _tie = decision_rows(cycle)
        levels, left = {}, dict(cycle.quotas)
        for application in applications:
            level = (
                next((lv for lv in (1, 2, 3) if left[lv] > 0), None)
                if application.score is not None
                else None
            )
            if level:
                left[level] -= 1
            levels[application.pk] = level
        services.decision_set(
            cycle=cycle, by=staff, levels=levels, reason="并列项目经评选委员会审议，按新增营收排序确定。"
        )
    services.cycle_approve(
        cycle=cycle,
        by=staff,
        today=today - timedelta(days=30),
        override_reason="年度评选奖金经区政府常务会议审定",
    )
    services.cycle_publish(cycle=cycle, by=staff, today=today - timedelta(days=20))
    services.cycle_payment_batch(cycle=cycle, by=staff)
    awarded = cycle.applications.filter(state=ApplicationState.AWARDED).count()
    stdout.write(
        f"  awards: {cycle.title} — {cycle.applications.count()} applications, {awarded} prizes, "
        f"result list published ({CycleState.PUBLISHED.label}), payment batch drafted"
    )
