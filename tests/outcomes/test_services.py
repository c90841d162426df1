"""The outcome services: the workflow with its recorded transitions, separation of duties, the identifier
guard, bad input writing nothing, the completion block, targets and override-with-reason, awards, totals
counting verified outcomes only, quarterly reminders exactly once."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from core.models import AuditEvent, Notification
from outcomes import selectors, services
from outcomes.enums import OutcomeState
from outcomes.exceptions import OutcomeError
from outcomes.models import Outcome, OutcomeKind, ProjectTarget, TargetOverride
from terms.exceptions import TermsError
from tests.factories import outcomes as of
from tests.factories import projects as pf
from tests.factories import terms as tf
from tests.factories.terms import on

pytestmark = pytest.mark.django_db


def test_kinds_are_seeded_with_their_rules():
    assert OutcomeKind.objects.count() >= 26
    patent = OutcomeKind.objects.get(code="patent_invention_granted")
    assert (patent.unit, patent.identifier_required, patent.evidence_required, patent.counts_for_awards) == (
        "件",
        True,
        True,
        True,
    )
    sales = OutcomeKind.objects.get(code="new_sales")
    assert sales.enterprise_declared and sales.has_amount and not sales.counts_for_awards
    assert OutcomeKind.objects.get(code="people_trained").identifier_required is False
    assert OutcomeKind.objects.get(code="platform_postdoc").has_level


def test_full_workflow_records_every_transition(appt, staff):
    ent, exp = tf.enterprise_user(appt), tf.expert_user(appt)
    with on(date(2025, 10, 1)):
        o = of.report(appt, by=ent)
        assert o.state == OutcomeState.AWAITING_CONFIRMATION and o.side == "enterprise"
        assert Notification.objects.filter(recipient=exp, link__contains=f"/outcomes/{o.pk}/").exists()
        services.outcome_act(outcome=o, action="confirm", by=exp)
        assert Notification.objects.filter(recipient=staff, title__contains=o.title).exists()
        services.outcome_act(outcome=o, action="return", by=staff, reason="请补充授权公告")
        services.outcome_update(
            outcome=o,
            by=ent,
            title=o.title,
            identifier=o.identifier,
            level="",
            quantity=1,
            amount=None,
            achieved_on=o.achieved_on,
            evidence=of.pdf("公告.pdf"),
        )
        services.outcome_act(outcome=o, action="resubmit", by=ent)
        services.outcome_act(outcome=o, action="confirm", by=exp)
        services.outcome_act(outcome=o, action="verify", by=staff)
    o.refresh_from_db()
    assert o.state == OutcomeState.VERIFIED and o.verified_by == staff and o.verified_on == date(2025, 10, 1)
    assert [(t.from_state, t.to_state) for t in o.transitions.all()] == [
        ("", "awaiting_confirmation"),
        ("awaiting_confirmation", "awaiting_verification"),
        ("awaiting_verification", "returned"),
        ("returned", "awaiting_confirmation"),
        ("awaiting_confirmation", "awaiting_verification"),
        ("awaiting_verification", "verified"),
    ]
    assert o.transitions.get(to_state="returned").reason == "请补充授权公告"
    actions = set(AuditEvent.objects.filter(target_type="outcomes.outcome").values_list("action", flat=True))
    assert {"outcome.report", "outcome.update", "outcome.verified", "outcome.returned"} <= actions


def test_expert_reports_enterprise_confirms(appt, staff):
    with on(date(2025, 10, 1)):
        o = of.report(appt, by=tf.expert_user(appt), code="paper", identifier="")
        assert o.side == "expert"
        with pytest.raises(OutcomeError, match="填报方不能自行确认"):
            services.outcome_act(outcome=o, action="confirm", by=tf.expert_user(appt))
        services.outcome_act(outcome=o, action="confirm", by=tf.enterprise_user(appt))
    assert Outcome.objects.get(pk=o.pk).state == OutcomeState.AWAITING_VERIFICATION


@pytest.mark.parametrize("who", ["reporter", "stranger_staff_on_side"])
def test_separation_of_duties_staff_never_verify_own_report(appt, staff, who):
    """A commission user who is also the enterprise's member reported it: they may not verify it."""
    from accounts.enums import Role
    from accounts.models import UserRole
    from enterprises.models import EnterpriseMember

    dual = pf.commission()
    UserRole.objects.get_or_create(user=dual, role=Role.ENTERPRISE)
    EnterpriseMember.objects.create(enterprise=appt.enterprise, user=dual)
    with on(date(2025, 10, 1)):
        o = of.report(appt, by=dual if who == "reporter" else tf.enterprise_user(appt))
        services.outcome_act(outcome=o, action="confirm", by=tf.expert_user(appt))
        with pytest.raises(OutcomeError, match="不能核实本人（本方）填报的成果"):
            services.outcome_act(outcome=o, action="verify", by=dual)
    assert Outcome.objects.get(pk=o.pk).state == OutcomeState.AWAITING_VERIFICATION


def test_only_staff_verify_and_only_other_side_confirms(appt, staff):
    with on(date(2025, 10, 1)):
        o = of.report(appt)
        for user in (staff, tf.enterprise_user(appt), tf.nominator(appt)):
            with pytest.raises(OutcomeError):
                services.outcome_act(outcome=o, action="confirm", by=user)
        services.outcome_act(outcome=o, action="confirm", by=tf.expert_user(appt))
        for user in (tf.expert_user(appt), tf.enterprise_user(appt)):
            with pytest.raises(OutcomeError, match="只有区科委工作人员可以核实成果"):
                services.outcome_act(outcome=o, action="verify", by=user)


def test_reject_needs_reason_and_frees_the_identifier(appt, staff):
    with on(date(2025, 10, 1)):
        o = of.report(appt)
        services.outcome_act(outcome=o, action="confirm", by=tf.expert_user(appt))
        with pytest.raises(OutcomeError, match="请填写理由"):
            services.outcome_act(outcome=o, action="reject", by=staff)
        services.outcome_act(outcome=o, action="reject", by=staff, reason="专利权人不是本企业")
        other = tf.appointment(start=date(2025, 3, 1))
        again = of.report(other, identifier="ZL 2025 1 0123456.7")
    assert again.state == OutcomeState.AWAITING_CONFIRMATION


def test_identifier_counts_once_across_appointments(appt, staff):
    other = tf.appointment(start=date(2025, 3, 1))
    with on(date(2025, 10, 1)):
        of.report(appt, identifier="ZL202510123456.7")
        before = Outcome.objects.count()
        with pytest.raises(OutcomeError, match="同一成果只能计入一个服务期"):
            of.report(other, identifier="CN 2025 1 0123456.7")
    assert Outcome.objects.count() == before


def test_identifier_guard_is_in_the_database(appt):
    with on(date(2025, 10, 1)):
        o = of.report(appt)
    clone = Outcome(
        appointment=o.appointment,
        kind=o.kind,
        title="重复",
        identifier="x",
        identifier_key=o.identifier_key,
        achieved_on=o.achieved_on,
        side="expert",
        reported_by=o.reported_by,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"code": "tech_contract", "identifier": "2025110114000123", "amount": Decimal("-1.00")},
            "金额不能为负数",
        ),
        ({"achieved_on": date(2025, 2, 1)}, "取得日期应在服务期内"),
        ({"code": "patent_invention_granted", "identifier": ""}, "该类成果需填写编号"),
        ({"evidence": None}, "该类成果需上传证明材料"),
        (
            {
                "evidence": SimpleUploadedFile(
                    "证书.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
                )
            },
            "文件内容不是允许的类型",
        ),
        ({"evidence": SimpleUploadedFile("表.docx", b"PK\x03\x04" + b"\x00" * 40)}, "文件内容不是允许的类型"),
        (
            {"code": "new_sales", "identifier": "", "amount": Decimal("1000000.00"), "by": "expert"},
            "该类成果由企业申报",
        ),
    ],
)
def test_bad_input_writes_nothing(appt, extra, message):
    if extra.get("by") == "expert":
        extra["by"] = tf.expert_user(appt)
    with on(date(2025, 10, 1)), pytest.raises(OutcomeError, match=message):
        of.report(appt, **extra)
    assert Outcome.objects.count() == 0
    assert not AuditEvent.objects.filter(action="outcome.report").exists()


def test_reporting_closes_after_grace(appt):
    with on(date(2027, 5, 30)), pytest.raises(OutcomeError, match="成果填报期已于2027年05月29日截止"):
        of.report(appt, achieved_on=date(2027, 2, 1))
    with on(date(2027, 5, 29)):
        assert of.report(appt, achieved_on=date(2027, 5, 20)).pk


def test_only_the_appointment_parties_report(appt, staff):
    with on(date(2025, 10, 1)), pytest.raises(OutcomeError, match="只有该服务期的企业或专家可以填报成果"):
        of.report(appt, by=staff)


# --- completion block ---------------------------------------------------------------------------------


def test_completion_blocked_while_outcome_awaits(appt, staff):
    from terms import services as term_services

    with on(date(2027, 1, 10)):
        o = of.report(appt, achieved_on=date(2027, 1, 5))
    with on(date(2027, 3, 2)):
        term_services.appointments_end_due()
        appt.refresh_from_db()
        report = tf.submitted_report(
            appt, results=[{"indicator": "中试", "achieved": "完成", "met": True}], confirmed=True
        )
        with pytest.raises(TermsError, match="1 项成果待确认或待核实"):
            term_services.term_report_accept(report=report, accepted_on=date(2027, 3, 2), note="", by=staff)
        services.outcome_act(outcome=o, action="confirm", by=tf.expert_user(appt))
        with pytest.raises(TermsError, match="待确认或待核实"):
            term_services.term_report_accept(report=report, accepted_on=date(2027, 3, 2), note="", by=staff)
        services.outcome_act(outcome=o, action="verify", by=staff)
        completion = term_services.term_report_accept(
            report=report, accepted_on=date(2027, 3, 2), note="", by=staff
        )
        assert completion.pk
        # reporting closes with the completion
        with pytest.raises(OutcomeError, match="已结题"):
            of.report(appt, identifier="ZL202610000001.1", achieved_on=date(2027, 2, 1))


# --- targets and override-with-reason -------------------------------------------------------------------


def test_target_table_counts_verified_only_and_override_needs_reason(appt, staff):
    ent = tf.enterprise_user(appt)
    services.project_targets_set(
        project=appt.project,
        by=ent,
        rows=[
            {"kind": of.kind("patent_invention_granted"), "quantity": 2, "amount": None},
            {"kind": of.kind("tech_contract"), "quantity": None, "amount": Decimal("300000.00")},
        ],
    )
    with on(date(2025, 10, 1)):
        of.verified(appt, staff=staff, identifier="ZL1")
        of.report(appt, identifier="ZL2")  # awaiting confirmation: not counted
        of.verified(appt, staff=staff, code="tech_contract", identifier="HT-1", amount=Decimal("300000.00"))
    table = {r.target.kind.code: r for r in selectors.target_table(appt)}
    assert (table["patent_invention_granted"].verified_quantity, table["patent_invention_granted"].met) == (
        1,
        False,
    )
    assert (table["tech_contract"].verified_amount, table["tech_contract"].met) == (
        Decimal("300000.00"),
        True,
    )
    target = table["patent_invention_granted"].target
    with pytest.raises(OutcomeError, match="须填写理由"):
        services.target_override_set(appointment=appt, target=target, met=True, reason="", by=ent)
    assert not TargetOverride.objects.exists()
    services.target_override_set(
        appointment=appt, target=target, met=True, reason="第二件已授权待公告", by=ent
    )
    row = next(r for r in selectors.target_table(appt) if r.target == target)
    assert (row.computed, row.met, row.overridden, row.override_reason) == (
        False,
        True,
        True,
        "第二件已授权待公告",
    )
    # the report pre-fill carries the table; a row that departs from it without an override is refused
    rows = selectors.report_rows(appt)
    assert rows[0] == {
        "indicator": "发明专利授权（件）",
        "target": "2 件",
        "achieved": "已核实 1 件",
        "met": True,
    }
    services.check_report_rows(appt, rows)
    with pytest.raises(OutcomeError, match="请先在服务成果页填写调整理由"):
        services.check_report_rows(appt, [{**rows[1], "met": False}])
    # back to the computed value removes the override
    services.target_override_set(appointment=appt, target=target, met=False, reason="", by=staff)
    assert not TargetOverride.objects.exists()


def test_targets_bad_input(appt):
    ent = tf.enterprise_user(appt)
    for rows, message in (
        ([{"kind": of.kind("paper"), "quantity": None, "amount": Decimal("-5")}], "金额不能为负数"),
        ([{"kind": of.kind("paper"), "quantity": None, "amount": None}], "请填写目标数量或金额"),
        (
            [{"kind": of.kind("paper"), "quantity": 1}, {"kind": of.kind("paper"), "quantity": 2}],
            "只能设一个目标",
        ),
    ):
        with pytest.raises(OutcomeError, match=message):
            services.project_targets_set(project=appt.project, by=ent, rows=rows)
    assert not ProjectTarget.objects.exists()


# --- totals -----------------------------------------------------------------------------------------------


def test_totals_count_verified_only(appt, staff):
    with on(date(2025, 10, 1)):
        of.verified(appt, staff=staff, identifier="ZL1")
        of.verified(appt, staff=staff, code="tech_contract", identifier="HT-1", amount=Decimal("120000.50"))
        of.report(appt, identifier="ZL2")
        o = of.report(appt, identifier="ZL3")
        services.outcome_act(outcome=o, action="confirm", by=tf.expert_user(appt))
        services.outcome_act(outcome=o, action="reject", by=staff, reason="不符")
    totals = selectors.outcome_totals(year=2025)
    assert totals["total"] == {"outcomes": 2, "quantity": 2, "amount": Decimal("120000.50")}
    assert {r["kind__name"]: r["outcomes"] for r in totals["by_kind"]} == {
        "发明专利授权": 1,
        "技术合同登记": 1,
    }
    assert totals["by_year"] == [{"year": 2025, "outcomes": 2, "quantity": 2, "amount": Decimal("120000.50")}]
    empty = {"outcomes": 0, "quantity": 0, "amount": Decimal("0.00")}
    assert selectors.outcome_totals(year=2024)["total"] == empty


# --- reminders ---------------------------------------------------------------------------------------------


def test_quarterly_reminders_exactly_once(appt):
    ent, exp = tf.enterprise_user(appt), tf.expert_user(appt)
    first = services.reminders_send(as_of=date(2025, 4, 1))
    assert first == 2
    assert services.reminders_send(as_of=date(2025, 4, 1)) == 0
    assert services.reminders_send(as_of=date(2025, 5, 20)) == 0  # same quarter
    assert services.reminders_send(as_of=date(2025, 7, 1)) == 2
    keys = set(Notification.objects.filter(recipient__in=[ent, exp]).values_list("dedupe_key", flat=True))
    assert f"outcomes:quarterly:{appt.pk}:2025Q2" in keys and f"outcomes:quarterly:{appt.pk}:2025Q3" in keys
    assert services.reminders_send(as_of=date(2027, 6, 1)) == 0  # after the grace period


# --- awards -----------------------------------------------------------------------------------------------


def test_award_application_attaches_verified_outcomes_of_its_own_appointment(appt, staff):
    from awards.models import AwardApplication

    other = tf.appointment(start=date(2025, 3, 1))
    with on(date(2025, 10, 1)):
        mine = of.verified(appt, staff=staff, identifier="ZL1")
        pending = of.report(appt, identifier="ZL2")
        foreign = of.verified(other, staff=staff, identifier="ZL3")
        declared = of.verified(appt, staff=staff, code="new_sales", identifier="", amount=Decimal("5000000"))
    application = AwardApplication(project=appt.project, enterprise=appt.enterprise, state="draft")
    for bad, message in (
        (pending, "只能附带已核实的成果"),
        (foreign, "只能附带本项目服务期的成果"),
        (declared, "不计入年度评选"),
    ):
        with pytest.raises(OutcomeError, match=message):
            services.award_outcomes_set(
                application=application, outcome_ids=[bad.pk], by=tf.enterprise_user(appt)
            )
    with pytest.raises(OutcomeError, match="只有申报企业可以调整附带的成果"):
        services.award_outcomes_set(application=application, outcome_ids=[mine.pk], by=staff)


def test_reminder_task_and_command(appt):
    from io import StringIO

    from django.core.management import call_command

    from outcomes.tasks import send_outcome_reminders

    out = StringIO()
    call_command("outcomes_reminders", "--date", "2025-10-01", stdout=out)
    assert out.getvalue().strip() == "sent 2 notification(s)"
    call_command("outcomes_reminders", "--date", "2025-10-02", stdout=out)
    assert out.getvalue().strip().endswith("sent 0 notification(s)")
    assert isinstance(send_outcome_reminders(), int)
