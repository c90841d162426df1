"""Demo data of enterprises and matching: verified enterprises in Changping's leading industries (valid
统一社会信用代码), one awaiting verification and one rejected; demands in every state; a few more
admitted experts so that recommendations have something to rank; intents in every state (one accepted
between qy_chen's enterprise and 张明远); a matchmaking event. Idempotent (natural keys: credit code,
demand title, intent pair)."""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import User
from accounts.seed import DEMO_PASSWORD
from core.identifiers import make_id_check_digit, make_uscc_check_char

from . import services
from .enums import DemandState, EnterpriseSize, EnterpriseState, IntentState
from .models import Demand, Enterprise, EnterpriseMember, Industry, Intent, MatchmakingEvent
from .seed_data import DEMANDS, ENTERPRISES, EXTRA_EXPERTS

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def uscc(first17: str) -> str:
    return first17 + make_uscc_check_char(first17)


def _user(username: str, full_name: str, email: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, email=email, password_changed_at=timezone.now())
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _enterprises(staff) -> dict[str, Enterprise]:
    result = {}
    for key, name, code17, industry, address, in_cp, quals, size, staff_n, rd, (
        username,
        full,
        email,
    ), final in ENTERPRISES:
        code = uscc(code17)
        enterprise = Enterprise.objects.filter(uscc=code).first()
        if enterprise is None:
            data = {
                "name": name,
                "uscc": code,
                "registered_address": address,
                "in_changping": in_cp,
                "industry": Industry.objects.get(code=industry),
                "qualifications": quals,
                "size": size,
                "employee_count": staff_n,
                "rd_staff_count": rd,
                "contact_name": full,
                "contact_phone": f"010-6973{len(result):04d}",
                "contact_email": email,
                "description": f"{name}是位于{address[:9]}的科技型企业。",
            }
            user = User.objects.filter(username=username).first()
            if (
                user is not None
            ):  # the demo user of accounts/seed.py (qy_chen): register the enterprise for them
                enterprise = Enterprise.objects.create(**data)
                EnterpriseMember.objects.get_or_create(
                    user=user, defaults={"enterprise": enterprise, "is_admin": True}
                )
                enterprise.transitions.create(from_state="", to_state=EnterpriseState.REGISTERED, actor=user)
            else:
                user, enterprise = services.enterprise_register(
                    username=username,
                    password=DEMO_PASSWORD,
                    full_name=full,
                    email=email,
                    phone="13800000000",
                    data=data,
                )
            if final == EnterpriseState.VERIFIED:
                services.enterprise_verify(enterprise=enterprise, by=staff)
            elif final == EnterpriseState.REJECTED:
                services.enterprise_reject(
                    enterprise=enterprise,
                    by=staff,
                    reason="注册地不在昌平区，且营业执照扫描件上的名称与填报的企业名称不一致，请核实后重新提交。",
                )
        result[key] = enterprise
    return result


def _changping_evidence_enterprise(staff) -> Enterprise:
    """An enterprise registered in 海淀 (division code 110108) whose R&D centre operates in 昌平: verified on
    the evidence of operating in Changping that staff confirmed with a reason (SPEC §4)."""
    from django.core.files.base import ContentFile

    code = uscc("91110108MA09JY3P5")
    enterprise = Enterprise.objects.filter(uscc=code).first()
    if enterprise is not None:
        return enterprise
    _user, enterprise = services.enterprise_register(
        username="qy_lin",
        password=DEMO_PASSWORD,
        full_name="林静妍",
        email="linjy@jingyan-instruments.com.cn",
        phone="13800000000",
        data={
            "name": "北京京研精密仪器有限公司",
            "uscc": code,
            "registered_address": "北京市海淀区上地十街1号",
            "in_changping": False,
            "changping_address": "北京市昌平区回龙观东大街338号（研发中心）",
            "industry": Industry.objects.get(code="advanced_manufacturing"),
            "qualifications": ["high_tech", "tech_sme"],
            "size": EnterpriseSize.SMALL,
            "employee_count": 68,
            "rd_staff_count": 31,
            "contact_name": "林静妍",
            "contact_phone": "010-69738800",
            "contact_email": "linjy@jingyan-instruments.com.cn",
            "description": "北京京研精密仪器有限公司注册于海淀区，研发中心和生产线位于昌平区回龙观。",
        },
    )
    enterprise.changping_evidence.save("jingyan-lease.pdf", ContentFile(PDF), save=True)
    services.enterprise_verify(
        enterprise=enterprise,
        by=staff,
        confirm_evidence=True,
        reason="已核实研发中心房屋租赁合同（2024—2029年）及昌平区纳税证明，实际经营地在昌平区回龙观。",
    )
    return enterprise


def _demands(enterprises, *, today) -> dict[str, Demand]:
    result = {}
    for key, title, field, keywords, position, description, work, days, final in DEMANDS:
        enterprise = enterprises[key]
        demand = Demand.objects.filter(enterprise=enterprise, title=title).first()
        admin = enterprise.members.filter(is_admin=True).first().user
        if demand is None:
            demand = services.demand_create(
                enterprise=enterprise,
                by=admin,
                data={
                    "title": title,
                    "technical_field": field,
                    "keywords": keywords,
                    "industry": enterprise.industry,
                    "position": position,
                    "description": description,
                    "expected_work": work,
                    "deadline": today + timedelta(days=days),
                },
            )
            if final in (DemandState.PUBLISHED, DemandState.CLOSED):
                services.demand_publish(demand=demand, by=admin, today=today)
            if final == DemandState.CLOSED:
                services.demand_close(demand=demand, by=admin, reason="已通过其他渠道解决")
        result[title] = demand
    return result


def _extra_experts(stdout) -> None:
    from experts import services as expert_services
    from experts.models import Discipline, Expert, Institution

    staff = User.objects.get(username="kw_wang")
    today = timezone.localdate()
    for name, gender, born, (
        region,
        seq,
    ), inst, dept, discipline, fields, keywords, title, nominator in EXTRA_EXPERTS:
        first17 = f"{region}{born:%Y%m%d}{seq}"
        code = first17 + make_id_check_digit(first17)
        if Expert.objects.filter(id_number_hash=expert_services.id_number_hash(code)).exists():
            continue
        by = User.objects.filter(username=nominator).first()
        data = {
            "name": name,
            "gender": gender,
            "department": dept,
            "discipline": Discipline.objects.get(name=discipline),
            "research_fields": fields,
            "keywords": keywords,
            "degree": "doctorate",
            "title": title,
            "title_level": "senior" if "副" not in title else "associate_senior",
            "work_start": today - relativedelta(years=12),
            "core_ip": False,
            "phone": f"1390101{seq}9",
            "email": "",
            "declaration": True,
        }
        first = keywords.split("，")[0]
        achievements = [
            {"kind": "paper", "title": f"{first}关键技术研究", "year": today.year - 1, "detail": "SCI收录"},
            {
                "kind": "patent",
                "title": f"一种{keywords.split('，')[1]}方法",
                "year": today.year - 2,
                "detail": "发明专利",
            },
        ]
        nomination = expert_services.nomination_create(
            institution=Institution.objects.get(name=inst),
            by=by,
            data=data,
            id_number=code,
            achievements=achievements,
            files={"recommendation_letter": ContentFile(PDF, name="letter.pdf")},
        )
        nomination = expert_services.nomination_submit(nomination=nomination, by=by)
        expert_services.nomination_admit(nomination=nomination, by=staff, reason="经审核符合入库条件。")
    stdout.write(f"  enterprises: {len(EXTRA_EXPERTS)} more admitted experts for matching")


def _intents(enterprises, demands, *, today) -> None:
    from experts.models import Expert

    def expert(name):
        return Expert.objects.filter(name=name, in_pool=True).first()

    def admin(key):
        return enterprises[key].members.filter(is_admin=True).first().user

    adc = demands["抗体偶联药物（ADC）连接子工艺放大"]
    co2 = demands["发酵尾气二氧化碳捕集与资源化利用"]
    bms = demands["储能电站电池管理系统与热管理优化"]
    weld = demands["焊接机器人视觉检测与缺陷识别"]
    zhang, zhou, gao, lin, zheng, he = (
        expert(n) for n in ("张明远", "周雅琴", "高雅婷", "林书恒", "郑凯", "何静怡")
    )

    def once(demand, who):
        return who is not None and not Intent.objects.filter(demand=demand, expert=who).exists()

    if once(co2, zhang):  # accepted: 天源 (qy_chen) ↔ 张明远 (zj_zhang)
        intent = services.intent_invite(
            demand=co2,
            expert=zhang,
            by=admin("tianyuan"),
            message="张教授您好，我们希望借助您在CO2驱油方面的经验，共同推进发酵尾气资源化利用。",
        )
        services.intent_accept(intent=intent, by=zhang.user, side="expert", note="很感兴趣，愿意合作。")
    if once(adc, gao):  # pending invitation
        services.intent_invite(
            demand=adc, expert=gao, by=admin("tianyuan"), message="诚邀高老师指导ADC工艺放大。"
        )
    if once(adc, zhou):  # declined
        intent = services.intent_invite(demand=adc, expert=zhou, by=admin("tianyuan"))
        services.intent_decline(
            intent=intent,
            by=zhou.user if zhou.user_id else None,
            side="expert",
            note="近期临床研究任务繁重，暂无法承担。",
        )
    if once(bms, lin):  # pending application
        services.intent_apply(
            demand=bms, expert=lin, by=lin.user, message="本人长期从事储能电池管理系统研究，申请对接。"
        )
    if once(bms, zhang):  # withdrawn
        intent = services.intent_invite(demand=bms, expert=zhang, by=admin("changneng"))
        services.intent_withdraw(intent=intent, by=admin("changneng"), side="enterprise", note="需求方向调整")
    if once(weld, he):  # expired
        services.intent_invite(
            demand=weld, expert=he, by=admin("zhizao"), now=timezone.now() - timedelta(days=20)
        )
        services.intent_expire_due()
    if once(weld, zheng):  # accepted and serving
        intent = services.intent_apply(demand=weld, expert=zheng, by=zheng.user)
        services.intent_accept(intent=intent, by=admin("zhizao"), side="enterprise", note="欢迎郑教授加入。")
        services.intent_set_in_service(
            intent=intent, by=User.objects.get(username="kw_wang"), in_service=True
        )


def _event(enterprises, *, today) -> None:
    from experts.models import Expert

    staff = User.objects.get(username="kw_wang")
    event = MatchmakingEvent.objects.filter(title="2026年昌平区“科技副总”供需对接会（主导产业专场）").first()
    if event is not None:
        return
    event = services.event_create(
        by=staff,
        data={
            "title": "2026年昌平区“科技副总”供需对接会（主导产业专场）",
            "held_on": today - timedelta(days=10),
            "location": "未来科学城创新中心多功能厅",
            "industry": Industry.objects.get(code="medicine_health"),
            "description": "面向医药健康、先进能源、先进制造企业，组织入库专家现场对接。",
        },
    )
    experts = Expert.objects.filter(in_pool=True, name__in=["张明远", "周雅琴", "高雅婷", "林书恒"])
    services.event_invite(
        event=event,
        by=staff,
        enterprises=[enterprises["tianyuan"], enterprises["changneng"]],
        experts=experts,
    )
    attended = set(event.participants.exclude(expert__name="周雅琴").values_list("pk", flat=True))
    services.event_attendance(event=event, by=staff, attended_ids=attended)
    accepted = Intent.objects.filter(
        demand__enterprise=enterprises["tianyuan"], expert__name="张明远", state=IntentState.ACCEPTED
    ).first()
    if accepted is not None:
        services.event_link_intent(event=event, intent=accepted, by=staff)


def seed(stdout) -> None:
    from .indexing import expert_tokens_refresh
    from .matching import KINDS, index_rebuild

    today = timezone.localdate()
    staff = User.objects.get(username="kw_wang")
    _extra_experts(stdout)
    from experts.models import Expert

    for pk in Expert.objects.values_list("pk", flat=True):  # seed_demo runs in one transaction
        expert_tokens_refresh(pk)
    for kind in KINDS:
        index_rebuild(kind)
    enterprises = _enterprises(staff)
    _changping_evidence_enterprise(staff)
    demands = _demands(enterprises, today=today)
    for kind in KINDS:
        index_rebuild(kind)
    _intents(enterprises, demands, today=today)
    _event(enterprises, today=today)
    stdout.write(
        f"  enterprises: {Enterprise.objects.count()} enterprises, {Demand.objects.count()} demands, "
        f"{Intent.objects.count()} intents, {MatchmakingEvent.objects.count()} events"
    )
