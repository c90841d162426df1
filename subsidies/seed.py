"""Demo money: the 2026 budget, bank accounts of the demo expert and enterprise, and — when the projects
seed made an appointment — its project subsidy, the allowances due so far, and one payment batch in each
state (paid, approved, submitted, draft). Idempotent: natural keys (year, batch title) and idempotent
services."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from accounts.models import User

from . import services
from .allowances import allowances_generate
from .enums import PaymentBatchState
from .golive import go_live_date
from .models import BankAccount, PaymentBatch
from .policy import add_months
from .selectors import payment_due_list

BUDGET_2026 = {
    "subsidy": Decimal("6000000.00"),  # 20 projects at the 300,000.00 cap
    "allowance": Decimal("1440000.00"),  # 60 vice presidents × 12 months × 2,000.00
    "award": Decimal("950000.00"),  # 2 × 200,000 + 3 × 100,000 + 5 × 50,000
}

BATCHES = [  # title, state it is brought to
    ("2026年第一批科技副总资金拨付", PaymentBatchState.PAID),
    ("2026年第二批科技副总资金拨付", PaymentBatchState.APPROVED),
    ("2026年第三批科技副总资金拨付", PaymentBatchState.SUBMITTED),
    ("2026年第四批科技副总资金拨付", PaymentBatchState.DRAFT),
]


def ensure_bank_account(payee, bank_name: str, account_number: str, *, by) -> None:
    """A demo payee (an Expert or an Enterprise) gets a bank account in its own name unless it has one."""
    kind = payee._meta.model_name
    if not BankAccount.objects.filter(**{kind: payee}).exists():
        services.bank_account_save(
            payee_kind=kind,
            **{kind: payee},
            holder_name=payee.name,
            bank_name=bank_name,
            account_number=account_number,
            by=by,
        )


def seed(stdout) -> None:
    from enterprises.models import Enterprise
    from experts.models import Expert
    from projects.models import Appointment

    staff = User.objects.filter(username="kw_wang").first()
    finance = User.objects.filter(username="czj_zhao").first()
    services.budget_save(
        year=2026, amounts=BUDGET_2026, note="区财政2026年度“科技副总”专项资金预算", by=finance
    )

    expert = Expert.objects.filter(user__username="zj_zhang").first()
    if expert is not None:
        ensure_bank_account(expert, "中国工商银行北京昌平支行", "6222020200118800123", by=staff)
    enterprise = Enterprise.objects.filter(members__user__username="qy_chen").first()
    if enterprise is not None:
        ensure_bank_account(enterprise, "北京银行昌平支行", "20000035791300012", by=staff)

    appointment = (
        Appointment.objects.filter(expert=expert).first() if expert else None
    ) or Appointment.objects.first()
    if appointment is None:
        stdout.write(
            "  subsidies: 2026 budget and bank accounts "
            "(no appointment yet: no subsidy, allowances or batches)"
        )
        return
    ensure_bank_account(
        appointment.expert, "中国建设银行北京昌平支行", f"62170000{appointment.expert_id:011d}", by=staff
    )
    ensure_bank_account(
        appointment.enterprise, "北京农商银行昌平支行", f"0101{appointment.enterprise_id:012d}", by=staff
    )
    subsidy = services.appointment_setup(appointment=appointment, by=staff)
    instalments = list(subsidy.instalments.select_related("payment"))
    if (
        len(instalments) == 1
        and instalments[0].payment is not None
        and instalments[0].payment.batch_id is None
        and subsidy.amount >= Decimal("100.00")
    ):
        # The demo pays the subsidy in four instalments: 40 % at the start, 20 % every six months.
        later = (subsidy.amount * Decimal("0.2")).quantize(Decimal("0.01"))
        plan = [(subsidy.amount - 3 * later, appointment.start_date)] + [
            (later, add_months(appointment.start_date, 6 * k)) for k in (1, 2, 3)
        ]
        services.subsidy_instalments_set(subsidy=subsidy, plan=plan, by=staff)
    today = timezone.localdate()
    go_live = go_live_date()
    summary = allowances_generate(as_of=today)
    services.allowance_payables_prepare(through=today, by=staff)

    due = list(payment_due_list().order_by("due_on", "id"))
    for index, (title, target) in enumerate(BATCHES):
        batch = PaymentBatch.objects.filter(title=title).first()
        if batch is None:
            batch = services.batch_create(title=title, year=2026, by=staff)
        if batch.state != PaymentBatchState.DRAFT or batch.payments.exists():
            continue
        # Spread what is due over the four batches: the oldest go into the paid one.
        share = due[index :: len(BATCHES)]
        if not share:
            continue
        services.batch_add_payments(batch=batch, payments=share, by=staff)
        if target == PaymentBatchState.DRAFT:
            continue
        services.batch_submit(batch=batch, by=staff)
        if target == PaymentBatchState.SUBMITTED:
            continue
        services.batch_approve(batch=batch, by=finance)
        if target == PaymentBatchState.PAID:
            services.batch_mark_paid(
                batch=batch, paid_on=today, bank_reference="ICBC-CP-20260415-0001", by=finance
            )
    terminated = _terminated_term(staff, today)
    stdout.write(
        f"  subsidies: 2026 budget, bank accounts, project subsidy, allowances ({summary.created} new), "
        f"{PaymentBatch.objects.count()} payment batches" + (f", {terminated}" if terminated else "")
        + f"; go-live {go_live or '(not set)'} "
        "(KJFZ_GO_LIVE_DATE: months and instalments before it were settled outside the portal)"
    )


#: The round-A project the commission confirmed as social science (subsidy capped at 100,000.00): appointed,
#: terminated early, its suspended subsidy reduced by the commission (SPEC §5).
TERMINATED_PROJECT_TITLE = "医药企业临床试验数据管理体系建设"


def _terminated_term(staff, today) -> str | None:
    """A term terminated early whose unpaid subsidy the commission decided on. Idempotent: only while the
    demo project is still filed (not yet appointed)."""
    from datetime import timedelta

    from django.core.files.base import ContentFile

    from projects import services as project_services
    from projects.enums import ProjectState
    from projects.models import Project
    from terms import services as term_services

    project = Project.objects.filter(title=TERMINATED_PROJECT_TITLE, state=ProjectState.FILED).first()
    member = project.enterprise.members.select_related("user").first() if project else None
    if project is None or member is None:
        return None
    filed_on = project.filing.filed_on if hasattr(project, "filing") else today - timedelta(days=30)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    project_services.agreement_upload(
        project=project,
        by=member.user,
        file=ContentFile(pdf, name="合作协议.pdf"),
        signed_on=filed_on + timedelta(days=1),
    )
    project.refresh_from_db()
    appointment = project_services.appointment_create(
        project=project, by=staff, start_date=filed_on + timedelta(days=2), issue_letters=False
    )
    term_services.appointment_terminate(
        appointment=appointment,
        terminated_on=today - timedelta(days=1),
        reason="企业调整临床研究业务方向，经企业、专家和推荐单位协商一致提前终止聘任。",
        by=staff,
    )
    subsidy = appointment.project_subsidy
    services.subsidy_suspension_decide(
        subsidy=subsidy,
        outcome="reduce",
        amount=Decimal("20000.00"),
        reason="实际服务不足一个月，已完成数据管理现状调研；按已开展工作核减至2万元。",
        by=staff,
    )
    return f"terminated term with a reduced subsidy ({project.expert.name})"
