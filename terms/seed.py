"""Demo data of the service term, for the appointed demo project (created by the projects seed, which
runs before this one): contacts, co-management log, support requests (arranged, submitted, withdrawn),
an extension request; and a second, ended term whose jointly submitted report awaits 结题. Idempotent:
each part is added only when it is not there yet."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User

from .enums import Beneficiary, ContactForm, ContactSide, MedicalService, SupportKind, SupportState

# A minimal valid PDF for the demo uploads (evidence files).
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _demo_appointment():
    from projects.enums import AppointmentState
    from projects.models import Appointment

    qs = Appointment.objects.select_related("expert", "enterprise").filter(state=AppointmentState.ACTIVE)
    return qs.filter(expert__user__username="zj_zhang").first() or qs.order_by("pk").first()


#: The filed demo project whose term is shown as already served (a term from before the portal went
#: live, entered when the programme's records were migrated): ended, its report jointly submitted,
#: awaiting the commission's completion (结题).
ENDED_PROJECT_TITLE = "焊接机器人视觉检测与缺陷智能识别系统研发"


#: The demo term's contacts (side, name, position, phone, email), and the ended term's.
CONTACTS = [
    (ContactSide.ENTERPRISE, "陈思远", "总经理", "010-80112233", "chensy@tianyuan-bio.com.cn"),
    (ContactSide.INSTITUTION, "刘建国", "科学技术研究院 成果转化办公室主任", "010-89733000",
     "liujg@cup.edu.cn"),
]
ENDED_TERM_CONTACTS = [
    (ContactSide.ENTERPRISE, "孙立军", "研发总监", "010-60712345", "sunlj@weilaizhizao.com.cn"),
]

#: The demo term's co-management log: days before today (never before the term's start), days to the
#: follow-up's due date (None: no date), the record.
COMANAGEMENT_LOG = [
    (
        120,
        14,
        {
            "form": ContactForm.VISIT,
            "participants": "区科委 王晓峰；企业 陈思远；科技副总 本人",
            "topic_thoughts": True,
            "topic_work": True,
            "topic_life": False,
            "summary": "到企业走访，了解科技副总到岗后研发中心建设情况。"
            "专家每周到企业工作两天，牵头制定中试工艺路线，对服务期目标信心充足。",
            "follow_up": "协调昌平区中试基地场地，企业提交需求后两周内答复",
        },
    ),
    (
        30,
        None,
        {
            "form": ContactForm.TALK,
            "participants": "区科委 王晓峰；科技副总 本人",
            "topic_thoughts": False,
            "topic_work": True,
            "topic_life": True,
            "summary": "座谈了解工作与生活情况：项目按计划推进，已申请发明专利1项；"
            "专家反映配偶就医和在昌住房有需求，已告知医疗保障和人才公租房申请渠道。",
            "follow_up": "跟进专家医疗保障与住房申请",
        },
    ),
]


def _contacts(appointment, staff, rows) -> None:
    from . import services

    for side, name, position, phone, email in rows:
        services.contact_create(
            appointment=appointment, by=staff, side=side, name=name, position=position, phone=phone,
            email=email,
        )


def _payee_accounts(appointment, staff) -> None:
    """The served term's allowances and subsidy fall due at once (the subsidies app catches up the
    months); its payees need bank accounts for the demo payment batches (the subsidies seed's helper)."""
    from subsidies.seed import ensure_bank_account

    ensure_bank_account(appointment.expert, "中国银行北京昌平支行", "6216610100012345678", by=staff)
    ensure_bank_account(appointment.enterprise, "中国银行北京昌平支行", "340070012345678901", by=staff)


def _ended_term(staff, today) -> str | None:
    """An ended term awaiting 结题: the appointment (start 24 months and 20 days ago) ended by the term-end
    job, the term-end report drafted by the enterprise and confirmed by the expert. Idempotent: only
    while the demo project is still filed (not yet appointed)."""
    from dateutil.relativedelta import relativedelta

    from projects import services as project_services
    from projects.enums import ProjectState
    from projects.models import Project

    from . import integration, services

    project = Project.objects.filter(title=ENDED_PROJECT_TITLE, state=ProjectState.FILED).first()
    member = project.enterprise.members.select_related("user").first() if project else None
    if project is None or member is None or project.expert.user is None:
        return None
    from projects.models import Filing

    start = today - relativedelta(months=24, days=20)
    # Entered from the paper records: record-filed and signed before the term started (a term never
    # starts before its filing or signing date, SPEC §4), so the filing date is the paper one.
    Filing.objects.filter(project=project).update(filed_on=start - timedelta(days=30))
    project_services.agreement_upload(
        project=project,
        by=member.user,
        file=ContentFile(DEMO_PDF, name="合作协议.pdf"),
        signed_on=start - timedelta(days=10),
    )
    project.refresh_from_db()
    appointment = project_services.appointment_create(
        project=project, by=staff, start_date=start, issue_letters=False
    )
    services.appointments_end_due(as_of=today)
    appointment.refresh_from_db()
    _payee_accounts(appointment, staff)
    _contacts(appointment, staff, ENDED_TERM_CONTACTS)
    indicators = integration.project_indicators(project) or [{"indicator": "完成焊缝缺陷识别系统研制"}]
    report = services.term_report_save(
        appointment=appointment,
        by=member.user,
        summary="两年服务期内，科技副总每周到企业工作两天，牵头组建视觉检测研发小组（6人），完成焊接机器人"
        "视觉检测系统的样机研制与产线验证，缺陷识别准确率由85%提升至97.6%，已在企业两条焊接产线部署应用。",
        achievements="申请发明专利2项（授权1项）；软件著作权2项；培养企业研发骨干4名；新增订单约1200万元。",
        results=[
            {
                "indicator": row["indicator"],
                "target": row.get("target", ""),
                "achieved": "已完成，详见总结报告",
                "met": True,
            }
            for row in indicators
        ],
    )
    services.term_report_submit(report=report, by=member.user)
    services.term_report_confirm(report=report, by=project.expert.user)
    return f"ended term awaiting 结题 ({project.expert.name})"


def seed(stdout) -> None:
    from . import services
    from .models import AppointmentContact, CoManagementRecord, ExtensionRequest, SupportRequest

    appointment = _demo_appointment()
    staff = User.objects.filter(roles__role=Role.COMMISSION).order_by("pk").first()
    if appointment is None or staff is None:
        stdout.write("  terms: no active demo appointment yet — nothing to add")
        return
    today = timezone.localdate()
    member = appointment.enterprise.members.select_related("user").first()
    enterprise_user = member.user if member else None
    expert_user = appointment.expert.user
    added = []

    if not AppointmentContact.objects.filter(appointment=appointment).exists():
        _contacts(appointment, staff, CONTACTS)
        added.append("contacts")

    if not CoManagementRecord.objects.filter(appointment=appointment).exists():
        for days_ago, due_days, record in COMANAGEMENT_LOG:
            held_on = max(appointment.start_date, today - timedelta(days=days_ago))
            services.comanagement_record_create(
                appointment=appointment,
                by=staff,
                held_on=held_on,
                follow_up_due=held_on + timedelta(days=due_days) if due_days else None,
                **record,
            )
        added.append("co-management log")

    if expert_user and not SupportRequest.objects.filter(appointment=appointment).exists():
        medical = services.support_request_create(
            appointment=appointment,
            kind=SupportKind.MEDICAL,
            by=expert_user,
            medical_service=MedicalService.CONSULTATION,
            beneficiary=Beneficiary.SPOUSE,
            beneficiary_name="李秀梅",
            description="配偶近期心悸，希望安排三甲医院心内科专家会诊。",
        )
        services.support_request_transition(
            request=medical,
            to=SupportState.ARRANGED,
            by=staff,
            note="已协调北京大学国际医院心内科专家门诊，请按短信通知时间就诊。",
        )
        services.support_request_create(
            appointment=appointment,
            kind=SupportKind.HOUSING,
            by=expert_user,
            declared=True,
            description="本人在昌平区无自有住房，希望在未来科学城附近安排一居室人才公租房，计划下月入住。",
            evidence=ContentFile(DEMO_PDF, name="无房证明.pdf"),
        )
        added.append("support requests (medical arranged, housing submitted)")

    if expert_user and not SupportRequest.objects.filter(
        appointment=appointment, state=SupportState.WITHDRAWN
    ).exists():
        withdrawn = services.support_request_create(
            appointment=appointment,
            kind=SupportKind.MEDICAL,
            by=expert_user,
            medical_service=MedicalService.REFERRAL,
            beneficiary=Beneficiary.CHILD,
            beneficiary_name="张子涵",
            description="孩子需转诊至儿童专科医院复查。",
        )
        services.support_request_withdraw(
            request=withdrawn, by=expert_user, reason="已在北京儿童医院顺利就诊，不再需要协调转诊。"
        )
        added.append("withdrawn support request")

    if enterprise_user and not ExtensionRequest.objects.filter(appointment=appointment).exists():
        try:
            services.extension_request_create(
                appointment=appointment,
                months=6,
                by=enterprise_user,
                reason="合作项目“抗体偶联药物中试工艺”取得重大突破，已完成两批中试并进入临床前研究，"
                "需科技副总继续指导工艺放大，申请延长服务期6个月。",
                evidence=ContentFile(DEMO_PDF, name="中试报告.pdf"),
            )
            added.append("extension request")
        except ValueError as exc:
            stdout.write(f"  terms: extension request skipped ({exc})")

    try:
        with transaction.atomic():  # a savepoint: a refused step leaves nothing half-made
            ended = _ended_term(staff, today)
    except ValueError as exc:
        ended = None
        stdout.write(f"  terms: ended demo term skipped ({exc})")
    if ended:
        added.append(ended)

    sent = services.reminders_send(as_of=today)
    stdout.write(f"  terms: {', '.join(added) or 'already present'}; {sent} reminder(s) due today")
