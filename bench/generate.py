"""Province-scale data for the benchmarks (issue 11): experts, enterprises, projects and appointments.

    python manage.py generate_bench_data --experts 50000 --enterprises 10000 --appointments 10000

Bulk writes only (no per-row services, no signals), so 50,000 experts take seconds, not minutes. The
text is Chinese and drawn from the project's own reference lists: the institutions and disciplines of
experts/data (loaded by the experts migrations), the industries of enterprises/data and the technical
terms of enterprises/data/tech_terms.txt. ID numbers are valid (region, birth date, check digit) and are
stored as the experts services store them: encrypted with core.crypto.encrypt, a blind index
(core.crypto.blind_index, purpose experts.services.ID_PURPOSE) and the masked form. Deterministic for a
seed. The generator refuses a database that already holds experts unless `reset` is set, which empties
the data tables (never the reference tables: institutions, disciplines, industries, policy versions).
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

# The matching engine's labelled evaluation set lives in bench/eval_set.py; callers import it from here.
from bench.eval_set import (  # noqa: F401
    EVAL_GENERAL,
    EVAL_SECTIONS,
    EvalDemand,
    EvalExpert,
    discipline_terms,
    matching_eval_set,
    tech_term_sections,
)

ROOT = Path(__file__).resolve().parent.parent

# Surnames in rough order of frequency (the 百家姓 names the demo data uses first), given-name characters.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "明远文博慧敏志强建国晓红伟丽冰峰宇静海涛军磊洋勇艳娟杰霞平刚桂英华玉兰秀珍芳燕鹏辉玲婷雪梅新春晨阳"
    "光国庆宏亮东方浩然子轩一鸣思远嘉怡欣然雨涵梓萱佳琪俊杰天佑振华德胜立新永健学军卫东红梅丽娜晓燕"
)
DEPARTMENTS = (
    "材料科学与工程学院",
    "机械工程学院",
    "信息科学技术学院",
    "化学与分子工程学院",
    "生命科学学院",
    "电气工程学院",
    "能源与动力工程学院",
    "计算机学院",
    "环境学院",
    "药学院",
    "医学部",
    "物理学院",
    "自动化学院",
    "石油工程学院",
    "新能源与材料学院",
    "集成电路学院",
    "重点实验室",
    "工程研究中心",
)
TITLES = (
    ("教授", "senior"),
    ("研究员", "senior"),
    ("主任医师", "senior"),
    ("正高级工程师", "senior"),
    ("副教授", "associate_senior"),
    ("副研究员", "associate_senior"),
    ("副主任医师", "associate_senior"),
    ("高级工程师", "associate_senior"),
    ("讲师", "intermediate"),
    ("助理研究员", "intermediate"),
)
REGIONS = ("110108", "110105", "110114", "110102", "130102", "370102", "320102", "420106", "610113", "510107")
ENTERPRISE_PREFIX = "中科华创鼎新远航博睿天源恒信智联云启星辰海纳泰和康宁瑞达国电金石盛世联创卓越"
ENTERPRISE_CORE = (
    "生物",
    "医药",
    "能源",
    "储能",
    "氢能",
    "智能",
    "精密",
    "光电",
    "新材",
    "半导体",
    "数据",
    "软件",
    "机器人",
    "检测",
    "环保",
    "电力",
    "芯片",
    "基因",
    "医疗器械",
    "传感",
)
ENTERPRISE_SUFFIX = ("科技有限公司", "技术有限公司", "股份有限公司", "研究院有限公司", "制造有限公司")
STREETS = ("回龙观街道", "天通苑北街道", "城北街道", "南口镇", "沙河镇", "北七家镇", "小汤山镇", "科技园区")


@dataclass
class Summary:
    experts: int = 0
    enterprises: int = 0
    appointments: int = 0
    allowances: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


class BenchDataError(Exception):
    pass


def tech_terms() -> list[str]:
    path = ROOT / "enterprises" / "data" / "tech_terms.txt"
    terms = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [t for t in terms if t and not t.startswith("#")]


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _id_number(rng: random.Random, born: date, seq: int) -> str:
    from core.identifiers import make_id_check_digit

    first17 = f"{rng.choice(REGIONS)}{born:%Y%m%d}{seq % 1000:03d}"
    return first17 + make_id_check_digit(first17)


def _uscc(i: int) -> str:
    from core.identifiers import USCC_CHARSET, make_uscc_check_char

    body = ""
    n = i
    for _ in range(9):
        body = USCC_CHARSET[n % 31] + body
        n //= 31
    first17 = f"91110114{body}"
    return first17 + make_uscc_check_char(first17)


DATA_TABLES = (
    "experts_expert",
    "enterprises_enterprise",
    "enterprises_demand",
    "projects_project",
    "projects_appointment",
    "subsidies_allowancepayment",
    "subsidies_appointmentterms",
)


def is_empty() -> bool:
    from enterprises.models import Enterprise
    from experts.models import Expert

    return not Expert.objects.exists() and not Enterprise.objects.exists()


def reset() -> None:
    """Empty the data tables (CASCADE reaches every row that refers to them); reference tables stay."""
    with connection.cursor() as cur:
        if not connection.get_autocommit():  # deferred foreign-key checks must fire before a TRUNCATE
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute(f"TRUNCATE {', '.join(DATA_TABLES)} RESTART IDENTITY CASCADE")


def generate(
    *,
    experts: int,
    enterprises: int,
    appointments: int,
    seed: int = 20261125,
    reset_first: bool = False,
    allowances: bool = True,
    log=print,
) -> Summary:
    if appointments > min(experts, enterprises * 50):
        raise BenchDataError("聘任数不能超过专家数（每位专家至多一个在聘聘任）。")
    if not is_empty():
        if not reset_first:
            raise BenchDataError("数据库中已有专家或企业数据：加 --reset 清空后再生成。")
        reset()
    rng = random.Random(seed)
    summary = Summary()
    with transaction.atomic():
        t = time.perf_counter()
        expert_rows = _experts(rng, experts)
        summary.experts = len(expert_rows)
        summary.seconds["experts"] = round(time.perf_counter() - t, 2)
        log(f"experts: {summary.experts} in {summary.seconds['experts']} s")

        t = time.perf_counter()
        enterprise_rows = _enterprises(rng, enterprises)
        summary.enterprises = len(enterprise_rows)
        summary.seconds["enterprises"] = round(time.perf_counter() - t, 2)
        log(f"enterprises: {summary.enterprises} in {summary.seconds['enterprises']} s")

        t = time.perf_counter()
        pool = [e for e in expert_rows if e.in_pool]
        summary.appointments = _appointments(rng, pool, enterprise_rows, appointments)
        summary.seconds["appointments"] = round(time.perf_counter() - t, 2)
        log(f"appointments: {summary.appointments} in {summary.seconds['appointments']} s")

    if allowances and summary.appointments:
        from subsidies.allowances import allowances_generate

        t = time.perf_counter()
        summary.allowances = allowances_generate(as_of=timezone.localdate()).created
        summary.seconds["allowances"] = round(time.perf_counter() - t, 2)
        log(f"allowance rows: {summary.allowances} in {summary.seconds['allowances']} s")
    with connection.cursor() as cur:
        for table in DATA_TABLES:
            cur.execute(f"ANALYZE {table}")
    return summary


def _experts(rng: random.Random, n: int):
    from core.crypto import blind_index, encrypt
    from core.identifiers import mask_id_number
    from experts.models import Discipline, Expert, Institution, Nomination
    from experts.services import ID_PURPOSE

    institutions = list(Institution.objects.filter(active=True))
    disciplines = list(
        Discipline.objects.filter(active=True).exclude(
            category_code__in=["01", "02", "03", "04", "05", "06", "13"]
        )
    )
    disciplines = disciplines or list(Discipline.objects.all())
    if not institutions or not disciplines:
        raise BenchDataError("缺少推荐单位或学科参考数据（请先运行 migrate）。")
    terms = tech_terms()
    now = timezone.now()
    today = timezone.localdate()
    rows, seen = [], set()
    for i in range(n):
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(0, 365 * 32))
        code = _id_number(rng, born, i)
        while code in seen:
            code = _id_number(rng, born, rng.randrange(1000))
        seen.add(code)
        inst = rng.choice(institutions)
        disc = rng.choice(disciplines)
        focus = rng.sample(terms, 5)
        title, level = rng.choice(TITLES)
        gender = "female" if rng.random() < 0.35 else "male"
        name = _name(rng)
        in_pool = rng.random() < 0.9
        work_start = date(born.year + rng.randrange(24, 30), 7, 1)
        department = rng.choice(DEPARTMENTS)
        research = "；".join(focus[:3])
        keywords = "，".join(focus)
        search = " ".join(
            p
            for p in (name, keywords, research, department, title, inst.name, inst.short_name, disc.name)
            if p
        )
        rows.append(
            Expert(
                name=name,
                gender=gender,
                birth_date=born,
                id_number_encrypted=encrypt(code),
                id_number_hash=blind_index(code, purpose=ID_PURPOSE),
                id_number_masked=mask_id_number(code),
                phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
                email=f"expert{i:06d}@example.edu.cn",
                institution=inst,
                department=department,
                discipline=disc,
                research_fields=research,
                keywords=keywords,
                degree=rng.choices(["doctorate", "master", "bachelor"], [80, 15, 5])[0],
                title=title,
                title_level=level,
                work_start=min(work_start, today),
                core_ip=rng.random() < 0.3,
                core_ip_description=f"{focus[0]}相关发明专利{rng.randrange(1, 9)}项"
                if rng.random() < 0.3
                else "",
                in_pool=in_pool,
                admitted_at=now - timedelta(days=rng.randrange(1, 1500), seconds=rng.randrange(86400))
                if in_pool
                else None,
                search_text=search,
            )
        )
    Expert.objects.bulk_create(rows, batch_size=2000)
    nominations = [
        Nomination(
            institution_id=e.institution_id,
            expert=e,
            state="admitted" if e.in_pool else rng.choice(["submitted", "rejected", "draft"]),
            declaration=True,
            submitted_at=(e.admitted_at or now) - timedelta(days=30),
            nominated_on=((e.admitted_at or now) - timedelta(days=31)).date(),
            eligibility="eligible",
            decided_at=e.admitted_at,
        )
        for e in rows
    ]
    Nomination.objects.bulk_create(nominations, batch_size=2000)
    return rows


def _enterprises(rng: random.Random, n: int):
    from enterprises.models import Enterprise, Industry

    industries = list(Industry.objects.filter(active=True)) or list(Industry.objects.all())
    if not industries:
        raise BenchDataError("缺少行业参考数据（请先运行 migrate）。")
    now = timezone.now()
    rows, names = [], set()
    for i in range(n):
        name = (
            f"北京{rng.choice(ENTERPRISE_PREFIX)}{rng.choice(ENTERPRISE_PREFIX)}"
            f"{rng.choice(ENTERPRISE_CORE)}{rng.choice(ENTERPRISE_SUFFIX)}"
        )
        if name in names:
            name = name.replace("北京", f"北京{i}", 1)
        names.add(name)
        employees = rng.randrange(10, 2000)
        state = rng.choices(["verified", "registered", "rejected"], [85, 12, 3])[0]
        rows.append(
            Enterprise(
                name=name,
                uscc=_uscc(i),
                registered_address=f"北京市昌平区{rng.choice(STREETS)}{rng.randrange(1, 300)}号",
                industry=rng.choice(industries),
                qualifications=rng.sample(
                    ["high_tech", "tech_sme", "specialised", "zgc_high_tech"], rng.randrange(0, 3)
                ),
                size=rng.choice(["micro", "small", "medium", "large"]),
                employee_count=employees,
                rd_staff_count=employees // rng.randrange(3, 10),
                description=f"专注于{rng.choice(ENTERPRISE_CORE)}领域的研发与产业化。",
                contact_name=_name(rng),
                contact_phone=f"010-{rng.randrange(6000_0000, 9000_0000)}",
                contact_email=f"contact{i:05d}@example.com.cn",
                state=state,
                verified_at=now - timedelta(days=rng.randrange(1, 900)) if state == "verified" else None,
            )
        )
    Enterprise.objects.bulk_create(rows, batch_size=2000)
    return rows


def _appointments(rng: random.Random, experts, enterprises, n: int) -> int:
    from projects.models import Appointment, Project
    from projects.policy import term_end

    verified = [e for e in enterprises if e.state == "verified"] or enterprises
    chosen = rng.sample(experts, min(n, len(experts)))
    terms = tech_terms()
    today = timezone.localdate()
    starts = [today - timedelta(days=rng.randrange(0, 700)) for _ in chosen]
    starts = [s.replace(day=min(s.day, 28)) for s in starts]
    projects = []
    for i, expert in enumerate(chosen):
        focus = rng.sample(terms, 3)
        total = Decimal(rng.randrange(10, 100) * 10000)
        fee = (total * Decimal("0.03")).quantize(Decimal("0.01"))
        projects.append(
            Project(
                enterprise=rng.choice(verified),
                expert=expert,
                title=f"{focus[0]}关键技术研发与产业化",
                technical_field=focus[1],
                objectives=f"突破{focus[0]}核心工艺，形成可量产的{focus[2]}方案。",
                content=f"围绕{focus[0]}开展联合攻关：{focus[1]}设计、{focus[2]}验证与中试。",
                expected_results="申请发明专利2项，形成企业标准1项，实现新产品销售。",
                schedule="第一年 完成方案设计与样机\n第二年 完成中试与产业化验证",
                requested_start=starts[i],
                total_funds=total,
                budget_equipment=total - fee,
                budget_management_fee=fee,
                approved_funding=total,
                state="appointed",
                submitted_at=timezone.now() - timedelta(days=rng.randrange(60, 800)),
            )
        )
    Project.objects.bulk_create(projects, batch_size=2000)
    appointments = [
        Appointment(
            project=p,
            expert=p.expert,
            enterprise=p.enterprise,
            position=rng.choices(["vp", "rd_deputy"], [85, 15])[0],
            start_date=starts[i],
            months=24,
            end_date=term_end(starts[i], 24),
        )
        for i, p in enumerate(projects)
    ]
    Appointment.objects.bulk_create(appointments, batch_size=2000)
    return len(appointments)
