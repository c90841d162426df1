"""Demo data of cooperation projects (runs after the experts and enterprises seeds).

Reviewers (the demo reviewer 孙立平 / ps_sun and eight generated ones), a decided review round whose
approved projects went through public notice, record-filing by the talent office (rcb_li), agreement and
appointment — 张明远 (zj_zhang) appointed 科技副总 of qy_chen's enterprise with both letters — and an
open round in which ps_sun has sheets to score; plus projects in draft, submitted and returned states.

Every step goes through the services, so transitions, audit rows and documents are real. Idempotent: the
first round's name is the natural key; missing experts, enterprises or users are skipped with a note.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from accounts.seed import DEMO_PASSWORD
from accounts.services import role_grant
from enterprises.enums import IntentInitiator, IntentState
from enterprises.models import Demand, Enterprise, Intent
from experts.models import Discipline, Expert, Institution

from . import services
from .enums import AssignmentState, ProjectState
from .models import Project, Reviewer, ReviewRound

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
ROUND_A = "2026年第一批“科技副总”合作项目评审"
ROUND_B = "2026年第二批“科技副总”合作项目评审"

# username, name, institution, title, expertise
REVIEWERS = [
    ("ps_sun", "孙立平", "华北电力大学", "教授", "电力系统 新能源 储能 电池管理系统 热管理 智能电网 碳捕集"),
    ("ps_wu", "吴振华", "北京化工大学", "教授", "生物化工 发酵工程 二氧化碳 捕集 资源化利用 工艺放大"),
    ("ps_qian", "钱晓东", "北京航空航天大学", "研究员", "机器人 机器视觉 缺陷检测 焊接 自动化 智能制造"),
    ("ps_zhou", "周立新", "首都医科大学", "主任医师", "临床试验 抗体药物 伴随诊断 体外诊断 生物医药"),
    ("ps_feng", "冯丽娟", "中国农业大学", "教授", "食品科学 生物发酵 酶工程 微生物"),
    ("ps_chu", "褚建平", "北京理工大学", "教授", "锂离子电池 固态电池 储能材料 电化学"),
    ("ps_wei", "魏红梅", "中国科学院过程工程研究所", "研究员", "化学工程 分离纯化 过程强化 碳中和"),
    ("ps_jiang", "蒋文斌", "北京工业大学", "教授", "机械设计 数控装备 视觉测量 工业互联网"),
    ("ps_han", "韩雪", "北京中医药大学", "研究员", "中医药 天然药物 药物分析 质量控制"),
]

PROJECTS = {
    "co2": {
        "title": "发酵尾气二氧化碳捕集与高值化利用关键技术研究",
        "technical_field": "碳捕集利用与封存（CCUS）",
        "objectives": "建成发酵尾气CO2捕集中试装置，捕集率不低于90%，产品气纯度达到食品级。",
        "content": "发酵尾气 二氧化碳 捕集 提纯 CO2驱油 资源化利用 工艺包设计 中试验证",
        "expected_results": "申请发明专利2项；形成工艺包1套；中试装置连续运行1000小时。",
        "schedule": (
            "第1—6个月 工艺路线比选与实验室验证\n第7—15个月 中试装置设计建设\n"
            "第16—24个月 中试运行与工艺包编制"
        ),
        "total": Decimal("600000.00"),
    },
    "weld": {
        "title": "焊接机器人视觉检测与缺陷智能识别系统研发",
        "technical_field": "智能制造装备",
        "objectives": "研制焊缝视觉检测系统，缺陷识别准确率达到95%以上，检测节拍不高于2秒。",
        "content": "焊接 机器人 机器视觉 缺陷检测 深度学习 在线检测",
        "expected_results": "软件著作权2项，发明专利1项，在2条产线示范应用。",
        "schedule": "第1—8个月 样本采集与算法开发\n第9—18个月 系统集成与产线试用\n第19—24个月 推广应用",
        "total": Decimal("400000.00"),
    },
    "adc": {
        "title": "抗体偶联药物连接子合成工艺放大研究",
        "technical_field": "生物医药",
        "objectives": "完成连接子公斤级工艺放大，收率提高20%。",
        "content": "抗体偶联药物 ADC 连接子 工艺放大 质量研究",
        "expected_results": "工艺验证报告1份，申请发明专利1项。",
        "schedule": "第1—12个月 工艺优化\n第13—24个月 放大与验证",
        "total": Decimal("500000.00"),
    },
    "bms": {
        "title": "储能电站电池管理系统与热管理优化",
        "technical_field": "新型储能",
        "objectives": "开发储能电站电池管理系统，电芯温差控制在3℃以内。",
        "content": "储能 电池管理系统 热管理 锂离子电池 状态估计 电力系统",
        "expected_results": "BMS样机1套，发明专利2项，示范电站1座。",
        "schedule": "第1—6个月 需求分析与建模\n第7—18个月 样机研制\n第19—24个月 示范应用",
        "total": Decimal("800000.00"),
    },
    "cdx": {
        "title": "肿瘤伴随诊断试剂盒开发与临床验证",
        "technical_field": "体外诊断",
        "objectives": "完成伴随诊断试剂盒开发并启动注册检验。",
        "content": "伴随诊断 体外诊断 试剂盒 临床试验 抗体药物",
        "expected_results": "试剂盒样品3批，注册检验报告1份。",
        "schedule": "第1—10个月 试剂盒开发\n第11—24个月 临床验证",
        "total": Decimal("300000.00"),
    },
    "solid": {
        "title": "固态电池电解质中试工艺开发",
        "technical_field": "新型储能材料",
        "objectives": "建立固态电解质百公斤级中试工艺。",
        "content": "固态电池 电解质 中试 储能材料",
        "expected_results": "中试线1条，发明专利2项。",
        "schedule": "第1—12个月 配方优化\n第13—24个月 中试",
        "total": Decimal("700000.00"),
    },
    "mgmt": {
        "title": "医药企业临床试验数据管理体系建设",
        "technical_field": "医药管理",
        "objectives": "建立符合规范的临床试验数据管理体系。",
        "content": "临床试验 数据管理 质量体系 合规",
        "expected_results": "管理制度汇编1套，培训40人次。",
        "schedule": "第1—12个月 体系设计\n第13—24个月 运行与改进",
        "total": Decimal("260000.00"),  # half is 130,000.00: the social-science cap of 100,000.00 applies
        "social_science": True,
    },
    "vision": {
        "title": "数控机床在机视觉测量技术研究",
        "technical_field": "高端数控装备",
        "objectives": "实现在机测量精度±5微米。",
        "content": "数控装备 视觉测量 在机检测",
        "expected_results": "测量系统样机1套。",
        "schedule": "第1—24个月 研发与验证",
        "total": Decimal("450000.00"),
    },
}

# extra experts for the demo projects: name, institution, title, research fields, first 17 ID digits,
# discipline (of the field of the research fields: the dashboard counts experts by discipline)
EXTRA_EXPERTS = [
    ("欧阳立群", "北京工业大学", "教授", "数控装备；视觉测量", "11010519750615041", "机械工程"),
    ("沈慧敏", "中国人民大学", "教授", "医药管理；质量管理体系", "11010819800221002", "工商管理学"),
]


def _budget(total: Decimal) -> dict:
    fee = (total * Decimal("0.04")).quantize(Decimal("0.01"))
    equipment = (total * Decimal("0.30")).quantize(Decimal("0.01"))
    materials = (total * Decimal("0.25")).quantize(Decimal("0.01"))
    testing = (total * Decimal("0.10")).quantize(Decimal("0.01"))
    travel = (total * Decimal("0.05")).quantize(Decimal("0.01"))
    labour = (total * Decimal("0.20")).quantize(Decimal("0.01"))
    other = total - fee - equipment - materials - testing - travel - labour
    return {
        "total_funds": total,
        "budget_equipment": equipment,
        "budget_materials": materials,
        "budget_testing": testing,
        "budget_travel": travel,
        "budget_labour": labour,
        "budget_management_fee": fee,
        "budget_other": other,
    }


def _user(username: str, full_name: str, email: str, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, email=email, password_changed_at=timezone.now())
        user.set_password(DEMO_PASSWORD)
        user.save()
    role_grant(user=user, role=role, by=None)
    return user


def _reviewers(staff) -> dict[str, Reviewer]:
    result = {}
    for username, name, inst_name, title, expertise in REVIEWERS:
        user = _user(username, name, f"{username}@review.changping.gov.cn", Role.REVIEWER)
        institution = Institution.objects.filter(name=inst_name).first()
        result[username] = services.reviewer_upsert(
            user=user,
            by=staff,
            name=name,
            expertise=expertise,
            institution=institution,
            institution_name="" if institution else inst_name,
            title=title,
        )
    return result


def _extra_expert(name, inst_name, title, fields, first17, discipline_name) -> Expert | None:
    from core.identifiers import make_id_check_digit
    from experts.services import expert_set_id_number, id_number_hash, search_text_for

    id_number = first17 + make_id_check_digit(first17)
    discipline = Discipline.objects.filter(name=discipline_name).first()
    found = Expert.objects.filter(id_number_hash=id_number_hash(id_number)).first()
    if found is not None:
        if discipline is not None and found.discipline_id != discipline.pk:  # demo data of older seeds
            found.discipline = discipline
            found.search_text = search_text_for(found, found.institution, discipline)
            found.save(update_fields=["discipline", "search_text", "updated_at"])
        return found
    institution = (
        Institution.objects.filter(name=inst_name).first() or Institution.objects.order_by("pk").first()
    )
    if institution is None or discipline is None:
        return None
    expert = Expert(
        name=name,
        gender="female" if int(id_number[16]) % 2 == 0 else "male",
        institution=institution,
        discipline=discipline,
        research_fields=fields,
        keywords=fields.replace("；", "，"),
        degree="doctorate",
        title=title,
        title_level="senior",
        work_start=timezone.localdate() - timedelta(days=365 * 15),
        in_pool=True,
        admitted_at=timezone.now(),
    )
    expert_set_id_number(expert, id_number)
    # PostgreSQL's trigger writes the search text itself; SQLite (the embedded demo) needs it from here.
    expert.search_text = search_text_for(expert, institution, discipline)
    expert.save()
    return expert


def _intent(enterprise: Enterprise, expert: Expert, demand_title: str | None = None) -> Intent:
    found = Intent.objects.filter(
        demand__enterprise=enterprise, expert=expert, state=IntentState.ACCEPTED
    ).first()
    if found is not None:
        return found
    demands = Demand.objects.filter(enterprise=enterprise)
    demand = (demands.filter(title=demand_title).first() if demand_title else None) or demands.order_by(
        "pk"
    ).first()
    return Intent.objects.create(
        demand=demand,
        expert=expert,
        initiator=IntentInitiator.ENTERPRISE,
        state=IntentState.ACCEPTED,
        message="诚邀您作为我公司科技副总，共同开展技术攻关。",
        response_note="同意合作。",
        expires_at=timezone.now() + timedelta(days=30),
        responded_at=timezone.now(),
    )


def _file(enterprise: Enterprise, expert: Expert, key: str, demand_title: str | None = None) -> Project:
    spec = PROJECTS[key]
    member = enterprise.members.select_related("user").order_by("pk").first()
    data = {
        "title": spec["title"],
        "social_science": spec.get("social_science", False),
        "technical_field": spec["technical_field"],
        "objectives": spec["objectives"],
        "content": spec["content"],
        "expected_results": spec["expected_results"],
        "schedule": spec["schedule"],
        "position": "vp",
        "requested_start": timezone.localdate() + timedelta(days=30),
        **_budget(spec["total"]),
    }
    project = services.project_create(
        intent=_intent(enterprise, expert, demand_title),
        by=member.user,
        data=data,
        files={
            "cooperation_plan": ContentFile(PDF, name="plan.pdf"),
            "qualification_file": ContentFile(PDF, name="qualification.pdf"),
        },
    )
    return project


def _confirm_submit(project: Project) -> Project:
    if project.expert.user_id:
        services.project_confirm(project=project, by=project.expert.user)
    else:  # an expert without a login yet: the confirmation was given on paper
        Project.objects.filter(pk=project.pk).update(expert_confirmed_at=timezone.now())
    project.refresh_from_db()
    member = project.enterprise.members.select_related("user").order_by("pk").first()
    return services.project_submit(project=project, by=member.user)


def seed_points(criteria, quality: float, rng: random.Random, *, spread: float) -> dict[int, Decimal]:
    """A demo score sheet (review rounds and award cycles): each criterion's maximum times `quality`, give
    or take up to `spread` at random, to the half point and at most the maximum."""
    return {
        c.pk: min(
            c.max_points,
            (c.max_points * Decimal(str(quality + rng.uniform(-spread, spread)))).quantize(Decimal("0.5")),
        )
        for c in criteria
    }


def _score(round: ReviewRound, rng: random.Random, *, now, only_reviewer=None, draft_for=None) -> None:
    criteria = list(round.criteria.all())
    for assignment in round.assignments.filter(state=AssignmentState.ASSIGNED).select_related(
        "reviewer__user"
    ):
        if only_reviewer is not None and assignment.reviewer_id == only_reviewer:
            continue
        quality = {"co2": 0.9, "weld": 0.82, "adc": 0.6}.get(_key_of(assignment.project), 0.75)
        points = seed_points(criteria, quality, rng, spread=0.08)
        submit = draft_for is None or assignment.reviewer_id != draft_for
        if not submit:
            points = dict(list(points.items())[:2])
        services.assignment_save_scores(
            assignment=assignment,
            by=assignment.reviewer.user,
            points=points,
            submit=submit,
            now=now,
            comment="项目目标明确，技术路线可行，企业需求与专家专长契合度高，建议予以支持。"
            if quality > 0.7
            else "技术路线尚需细化，预期指标偏保守，企业配套条件有待加强。",
        )


def _key_of(project: Project) -> str:
    return next((k for k, spec in PROJECTS.items() if spec["title"] == project.title), "")


def seed(stdout) -> None:
    if ReviewRound.objects.filter(name=ROUND_A).exists():
        stdout.write("  projects: demo data already present")
        return
    staff = User.objects.filter(username="kw_wang").first()
    office = User.objects.filter(username="rcb_li").first()
    tianyuan = Enterprise.objects.filter(members__user__username="qy_chen").first()
    changneng = Enterprise.objects.filter(name="北京昌能储能技术有限公司").first()
    zhizao = Enterprise.objects.filter(name="北京未来智造装备有限公司").first()
    experts = {e.name: e for e in Expert.objects.filter(in_pool=True)}
    for name, inst, title, fields, code, discipline in EXTRA_EXPERTS:
        extra = _extra_expert(name, inst, title, fields, code, discipline)
        if extra is not None:
            experts[name] = extra
    needed = ["张明远", "郑凯", "何静怡", "林书恒", "高雅婷", "周雅琴", "欧阳立群", "沈慧敏"]
    if None in (staff, office, tianyuan, changneng, zhizao) or any(n not in experts for n in needed):
        stdout.write("  projects: skipped (the experts/enterprises demo data it builds on is missing)")
        return
    rng = random.Random(2026)
    reviewers = _reviewers(staff)
    today = timezone.localdate()
    now = timezone.now()

    # Round A: decided, noticed, filed; 张明远 appointed at 天源 (qy_chen)
    round_a = services.round_create(
        by=staff,
        data={
            "name": ROUND_A,
            "period_start": today - timedelta(days=80),
            "period_end": today - timedelta(days=50),
            "deadline": now - timedelta(days=55),
            "reviewers_per_application": 3,
            "leading_industry_bonus": Decimal("2.00"),
            "uses_notice": True,
            "notice_days": 5,
        },
    )
    p_co2 = _confirm_submit(_file(tianyuan, experts["张明远"], "co2", "发酵尾气二氧化碳捕集与资源化利用"))
    p_weld = _confirm_submit(_file(zhizao, experts["郑凯"], "weld"))
    p_adc = _confirm_submit(_file(tianyuan, experts["何静怡"], "adc", "抗体偶联药物（ADC）连接子工艺放大"))
    # declared social-science and humanities: the commission confirms the category at the decision
    p_mgmt = _confirm_submit(_file(tianyuan, experts["沈慧敏"], "mgmt", "临床试验数据管理体系建设"))
    for project in (p_co2, p_weld, p_adc, p_mgmt):
        services.project_accept(project=project, round=round_a, by=staff)
    services.round_assign(round=round_a, by=staff)
    services.round_open(round=round_a, by=staff)
    _score(round_a, rng, now=now - timedelta(days=60))
    services.round_close(round=round_a, by=staff)
    for project in Project.objects.filter(round=round_a):
        passed = project.review_score is not None and project.review_score >= round_a.pass_line
        services.project_decide(
            project=project,
            by=staff,
            approve=passed,
            reason="" if passed else "评审得分未达到立项分数线。",
            social_science=project.social_science,
        )
    services.round_decide(round=round_a, by=staff, today=today - timedelta(days=45))
    approved = list(Project.objects.filter(round=round_a, state=ProjectState.NOTICED))
    services.filing_record(
        projects=approved, by=office, number="昌人才办备〔2026〕15号", filed_on=today - timedelta(days=30)
    )
    p_co2.refresh_from_db()
    if p_co2.state == ProjectState.FILED:
        qy_chen = User.objects.get(username="qy_chen")
        services.agreement_upload(
            project=p_co2,
            by=qy_chen,
            file=ContentFile(PDF, name="agreement.pdf"),
            signed_on=today - timedelta(days=20),
        )
        p_co2.refresh_from_db()
        services.appointment_create(project=p_co2, by=staff, start_date=today - timedelta(days=14))

    # Round B: open, ps_sun has sheets to score (one saved as a draft)
    round_b = services.round_create(
        by=staff,
        data={
            "name": ROUND_B,
            "period_start": today - timedelta(days=5),
            "period_end": today + timedelta(days=25),
            "deadline": now + timedelta(days=20),
            "reviewers_per_application": 3,
            "leading_industry_bonus": Decimal("2.00"),
            "uses_notice": True,
            "notice_days": 5,
        },
    )
    p_bms = _confirm_submit(_file(changneng, experts["林书恒"], "bms", "储能电站电池管理系统与热管理优化"))
    p_cdx = _confirm_submit(_file(tianyuan, experts["高雅婷"], "cdx", "伴随诊断试剂盒开发"))
    for project in (p_bms, p_cdx):
        services.project_accept(project=project, round=round_b, by=staff)
    services.round_assign(round=round_b, by=staff)
    sun = reviewers["ps_sun"]
    if not round_b.assignments.filter(reviewer=sun).exists():
        for assignment in round_b.assignments.filter(state=AssignmentState.ASSIGNED):
            if not services.reviewer_conflicts(sun, assignment.project):
                services.assignment_swap(
                    assignment=assignment, reviewer=sun, by=staff, reason="演示：调换评审专家"
                )
                break
    services.round_open(round=round_b, by=staff)
    round_b.refresh_from_db()
    _score(round_b, rng, now=now, only_reviewer=sun.pk)  # everyone but ps_sun has submitted

    # the other stages: submitted (awaiting the formal check), returned
    _confirm_submit(_file(changneng, experts["周雅琴"], "solid", "固态电池电解质中试"))
    returned = _confirm_submit(_file(zhizao, experts["欧阳立群"], "vision"))
    services.project_return(
        project=returned, by=staff, reason="预算中设备费明细不清，请补充设备清单及报价依据。"
    )

    stdout.write(
        f"  projects: {Project.objects.count()} projects, {ReviewRound.objects.count()} review rounds, "
        f"{Reviewer.objects.count()} reviewers"
    )
