"""Services of the credit record: the state machine, notification before confirmation, the objection
window, objections, repair/revoke with reasons, expiry, the override hook, and the nightly proposals
(exactly once)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import AuditEvent, Notification
from core.workflow import TransitionError
from credit import services
from credit.enums import CreditRule, CreditState, DecisionPoint, ObjectionState, Polarity, SubjectKind
from credit.exceptions import CreditError, CreditReasonRequired
from credit.models import CreditOverride, CreditRecord
from credit.selectors import credit_alerts
from tests.factories import credit as cf
from tests.factories import projects as pf
from tests.factories import terms as tf

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def appt():
    return tf.appointment(start=date(2024, 1, 1))


def test_exactly_one_subject_in_the_database(appt):
    rec = cf.record(appt.expert)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditRecord.objects.filter(pk=rec.pk).update(enterprise=appt.enterprise)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditRecord.objects.filter(pk=rec.pk).update(subject_kind=SubjectKind.ENTERPRISE)


def test_positive_record_has_no_severity(appt):
    rec = cf.record(appt.expert, polarity=Polarity.POSITIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        CreditRecord.objects.filter(pk=rec.pk).update(severity="minor")


def test_notify_tells_the_subject_and_opens_the_window(appt, staff, django_capture_on_commit_callbacks):
    rec = cf.record(appt.expert)
    with django_capture_on_commit_callbacks(execute=True):
        rec = services.credit_notify(record=rec, by=staff, today=TODAY)
    rec.refresh_from_db()
    assert rec.state == CreditState.NOTIFIED
    assert rec.notified_on == TODAY and rec.objection_deadline == TODAY + timedelta(days=10)
    note = Notification.objects.get(recipient=appt.expert.user, title__contains="信用记录告知")
    assert note.link == f"/credit/{rec.pk}/"
    assert any("信用记录告知" in m.subject for m in mail.outbox)
    assert rec.transitions.get().to_state == CreditState.NOTIFIED
    assert AuditEvent.objects.filter(action="creditrecord.notified", target_id=str(rec.pk)).exists()


def test_notify_before_the_fact_refused(appt, staff):
    rec = cf.record(appt.expert)
    with pytest.raises(CreditError, match="告知日期不能早于事实发生日期"):
        services.credit_notify(record=rec, by=staff, today=rec.occurred_on - timedelta(days=1))
    rec.refresh_from_db()
    assert rec.state == CreditState.PROPOSED and rec.notified_on is None


def test_notify_enterprise_reaches_its_members(appt, staff):
    rec = cf.record(appt.enterprise)
    services.credit_notify(record=rec, by=staff, today=TODAY)
    notes = Notification.objects.filter(recipient=tf.enterprise_user(appt), title__contains="信用")
    assert notes.count() == 1


def test_notify_without_an_account_refused(appt, staff):
    appt.expert.user.is_active = False
    appt.expert.user.save(update_fields=["is_active"])
    rec = cf.record(appt.expert)
    with pytest.raises(CreditError, match="没有可用账号"):
        services.credit_notify(record=rec, by=staff, today=TODAY)
    rec.refresh_from_db()
    assert rec.state == CreditState.PROPOSED


def test_only_commission_acts(appt):
    rec = cf.record(appt.expert)
    with pytest.raises(CreditError):
        services.credit_notify(record=rec, by=pf.talent_office(), today=TODAY)


def test_confirm_not_before_notified(appt, staff):
    rec = cf.record(appt.expert)
    with pytest.raises(CreditError, match="已告知"):
        services.credit_confirm(record=rec, by=staff, today=TODAY)


def test_confirm_not_during_the_window(appt, staff):
    rec = services.credit_notify(record=cf.record(appt.expert), by=staff, today=TODAY)
    with pytest.raises(CreditError, match="异议期至"):
        services.credit_confirm(record=rec, by=staff, today=TODAY + timedelta(days=10))
    services.credit_confirm(record=rec, by=staff, today=TODAY + timedelta(days=11))
    rec.refresh_from_db()
    assert rec.state == CreditState.CONFIRMED and rec.confirmed_on == TODAY + timedelta(days=11)


def test_objection_blocks_until_handled_then_allows_confirming(appt, staff):
    rec = services.credit_notify(record=cf.record(appt.expert), by=staff, today=TODAY)
    objection = services.objection_file(record=rec, by=appt.expert.user, content="系企业原因", today=TODAY)
    with pytest.raises(CreditError, match="异议尚未处理"):
        services.credit_confirm(record=rec, by=staff, today=TODAY + timedelta(days=20))
    with pytest.raises(CreditError, match="已有一条异议"):
        services.objection_file(record=rec, by=appt.expert.user, content="再次提出", today=TODAY)
    services.objection_resolve(objection=objection, by=staff, upheld=False, resolution="经核实系专家原因")
    objection.refresh_from_db()
    assert objection.state == ObjectionState.REJECTED
    # the objection handled: staff may confirm before the window ends
    services.credit_confirm(record=rec, by=staff, today=TODAY + timedelta(days=1))
    assert AuditEvent.objects.filter(action="creditobjection.create").count() == 1
    assert AuditEvent.objects.filter(action="creditobjection.resolve").count() == 1


def test_upheld_objection_dismisses(appt, staff):
    rec = services.credit_notify(record=cf.record(appt.expert), by=staff, today=TODAY)
    objection = services.objection_file(record=rec, by=appt.expert.user, content="有误", today=TODAY)
    services.objection_resolve(objection=objection, by=staff, upheld=True, resolution="异议属实")
    rec.refresh_from_db()
    assert rec.state == CreditState.DISMISSED
    assert "异议成立" in rec.transitions.last().reason


@pytest.mark.parametrize(
    ("content", "by_subject", "days_after", "message"),
    [
        ("", True, 0, "异议内容"),
        ("有误", False, 0, "本人"),
        ("有误", True, 11, "异议期已"),
    ],
)
def test_objection_bad_input_writes_nothing(appt, staff, content, by_subject, days_after, message):
    rec = services.credit_notify(record=cf.record(appt.expert), by=staff, today=TODAY)
    by = appt.expert.user if by_subject else tf.enterprise_user(appt)
    with pytest.raises(CreditError, match=message):
        services.objection_file(record=rec, by=by, content=content, today=TODAY + timedelta(days=days_after))
    assert not rec.objections.exists()


def test_objection_resolution_needs_text(appt, staff):
    rec = services.credit_notify(record=cf.record(appt.expert), by=staff, today=TODAY)
    objection = services.objection_file(record=rec, by=appt.expert.user, content="有误", today=TODAY)
    with pytest.raises(CreditError, match="理由"):
        services.objection_resolve(objection=objection, by=staff, upheld=True, resolution=" ")
    objection.refresh_from_db()
    assert objection.state == ObjectionState.OPEN


@pytest.mark.parametrize("action", [services.credit_dismiss, services.credit_repair, services.credit_revoke])
def test_reason_required(appt, staff, action):
    rec = cf.record(appt.expert, state=CreditState.CONFIRMED)
    with pytest.raises(CreditError, match="理由"):
        action(record=rec, by=staff, reason="  ")
    rec.refresh_from_db()
    assert rec.state == CreditState.CONFIRMED


def test_repair_and_revoke(appt, staff):
    a = cf.record(appt.expert, state=CreditState.CONFIRMED)
    services.credit_repair(record=a, by=staff, reason="已补发全部配套补助")
    a.refresh_from_db()
    assert a.state == CreditState.REPAIRED and a.transitions.last().reason == "已补发全部配套补助"
    b = cf.record(appt.expert, state=CreditState.CONFIRMED)
    services.credit_revoke(record=b, by=staff, reason="事实认定有误")
    assert CreditRecord.objects.get(pk=b.pk).state == CreditState.REVOKED
    with pytest.raises(TransitionError):
        services.credit_revoke(record=a, by=staff, reason="再撤销")


def test_positive_record_cannot_be_repaired(appt, staff):
    rec = cf.record(appt.expert, state=CreditState.CONFIRMED, polarity=Polarity.POSITIVE)
    with pytest.raises(CreditError, match="失信"):
        services.credit_repair(record=rec, by=staff, reason="x")


def test_dismiss_proposed_and_not_with_open_objection(appt, staff):
    rec = cf.record(appt.expert)
    services.credit_dismiss(record=rec, by=staff, reason="终止系企业原因，与专家无关")
    assert CreditRecord.objects.get(pk=rec.pk).state == CreditState.DISMISSED
    other = services.credit_notify(record=cf.record(appt.expert), by=staff, today=TODAY)
    services.objection_file(record=other, by=appt.expert.user, content="有误", today=TODAY)
    with pytest.raises(CreditError, match="先处理异议"):
        services.credit_dismiss(record=other, by=staff, reason="x")


def test_expire_by_date(appt):
    old = cf.record(appt.expert, state=CreditState.CONFIRMED, occurred_on=TODAY - timedelta(days=400))
    live = cf.record(appt.expert, state=CreditState.CONFIRMED)
    assert services.credit_expire(today=TODAY) == 1
    assert CreditRecord.objects.get(pk=old.pk).state == CreditState.EXPIRED
    assert CreditRecord.objects.get(pk=live.pk).state == CreditState.CONFIRMED


# --- the 信用提示 panel and the override hook ----------------------------------------------------------


def test_alerts_show_active_records_only(appt, django_assert_num_queries):
    active = cf.record(appt.expert, state=CreditState.CONFIRMED)
    good = cf.record(appt.enterprise, state=CreditState.CONFIRMED, polarity=Polarity.POSITIVE)
    cf.record(appt.expert, state=CreditState.NOTIFIED)
    cf.record(appt.expert, state=CreditState.REPAIRED)
    # past its last day
    cf.record(appt.expert, state=CreditState.CONFIRMED, occurred_on=TODAY - timedelta(days=400))
    with django_assert_num_queries(1):
        alerts = credit_alerts(experts=[appt.expert_id], enterprises=[appt.enterprise_id])
        assert [r.subject_name for r in alerts.records]  # subjects loaded in the same query
    assert alerts.negative == [active] and alerts.positive == [good] and alerts.needs_reason
    assert not credit_alerts(experts=[None])


def test_override_not_needed_without_negative_records(appt, staff):
    cf.record(appt.expert, state=CreditState.CONFIRMED, polarity=Polarity.POSITIVE)
    assert services.credit_override(
        decision=DecisionPoint.POOL_ADMISSION, target=appt.expert, by=staff, reason="",
        experts=[appt.expert_id],
    ) is None
    assert not CreditOverride.objects.exists()


def test_override_requires_and_stores_the_reason(appt, staff):
    rec = cf.record(appt.expert, state=CreditState.CONFIRMED)
    with pytest.raises(CreditReasonRequired):
        services.credit_override(
            decision=DecisionPoint.POOL_ADMISSION, target=appt.expert, by=staff, reason=" ",
            experts=[appt.expert_id],
        )
    assert not CreditOverride.objects.exists()
    override = services.credit_override(
        decision=DecisionPoint.POOL_ADMISSION, target=appt.expert, by=staff, reason="已整改，同意入库",
        experts=[appt.expert_id],
    )
    assert list(override.records.all()) == [rec]
    assert override.target_type == "experts.expert" and override.reason == "已整改，同意入库"
    assert AuditEvent.objects.filter(action="creditoverride.create").count() == 1


# --- the nightly proposals ----------------------------------------------------------------------------


def test_propose_from_facts_exactly_once(appt, staff):
    from awards.models import Award  # noqa: F401  (no award in this test)
    from projects.enums import RoundState
    from projects.models import ReviewAssignment, ReviewRound
    from subsidies.enums import AllowanceKind
    from subsidies.models import AllowancePayment
    from terms.enums import EvaluationState, Grade
    from terms.models import Evaluation, Termination

    today = TODAY
    # matching allowance month due 4 months ago, unconfirmed
    AllowancePayment.objects.create(
        appointment=appt, month=1, kind=AllowanceKind.MATCHING, amount="2000.00",
        period_start=today - timedelta(days=150), period_end=today - timedelta(days=121),
        due_on=today - timedelta(days=125), budget_year=today.year,
    )
    Termination.objects.create(
        appointment=appt, terminated_on=today - timedelta(days=3), reason="企业搬离昌平", recorded_by=staff
    )
    Evaluation.objects.create(appointment=appt, state=EvaluationState.FINALISED, grade=Grade.EXCELLENT,
                              finalised_on=today - timedelta(days=2), created_by=staff)
    rnd = pf.review_round()
    ReviewRound.objects.filter(pk=rnd.pk).update(state=RoundState.CLOSED,
                                                 deadline=timezone.now() - timedelta(days=2))
    reviewer = pf.reviewer()
    assignment = ReviewAssignment.objects.create(round=rnd, project=appt.project, reviewer=reviewer)

    assert services.credit_propose(today=today) == 5
    got = {(r.rule, r.subject_kind) for r in CreditRecord.objects.all()}
    assert got == {
        (CreditRule.MATCHING_UNCONFIRMED, SubjectKind.ENTERPRISE),
        (CreditRule.EARLY_TERMINATION, SubjectKind.EXPERT),
        (CreditRule.EARLY_TERMINATION, SubjectKind.ENTERPRISE),
        (CreditRule.EVALUATION_EXCELLENT, SubjectKind.EXPERT),
        (CreditRule.REVIEW_DEADLINE_MISSED, SubjectKind.REVIEWER),
    }
    assert all(r.state == CreditState.PROPOSED for r in CreditRecord.objects.all())
    missed = CreditRecord.objects.get(rule=CreditRule.REVIEW_DEADLINE_MISSED)
    assert (missed.reviewer, missed.source_type, missed.source_id) == (
        reviewer, "projects.reviewassignment", str(assignment.pk)
    )
    assert missed.transitions.get().to_state == CreditState.PROPOSED
    assert AuditEvent.objects.filter(action="creditrecord.proposed").count() == 5
    # exactly once: a second run (and a third, after a dismissal) writes nothing
    assert services.credit_propose(today=today) == 0
    services.credit_dismiss(record=missed, by=staff, reason="评审专家因病请假")
    assert services.credit_nightly(today=today) == {"proposed": 0, "expired": 0}
    assert not Notification.objects.filter(title__contains="信用").exists()  # proposals notify nobody


def test_unique_fact_constraint(appt):
    rec = cf.record(appt.expert)
    with pytest.raises(IntegrityError), transaction.atomic():
        cf.record(appt.expert).__class__.objects.filter(pk=rec.pk + 1).update(source_id=rec.source_id)
        CreditRecord.objects.create(**{
            f.attname: getattr(rec, f.attname) for f in CreditRecord._meta.concrete_fields if f.name != "id"
        })


def test_award_winner_proposes_positive_records(staff):
    from tests.factories import awards as af

    _by, cycle, _projects = af.published()
    award = cycle.awards.first()
    assert services.credit_propose() >= 2
    records = CreditRecord.objects.filter(source_type="awards.award", source_id=str(award.pk))
    assert {(r.subject_kind, r.polarity) for r in records} == {
        (SubjectKind.EXPERT, Polarity.POSITIVE), (SubjectKind.ENTERPRISE, Polarity.POSITIVE)
    }


def test_report_overdue_proposed_for_the_enterprise(appt):
    from projects.enums import AppointmentState
    from projects.models import Appointment

    Appointment.objects.filter(pk=appt.pk).update(state=AppointmentState.ENDED)
    appt.refresh_from_db()
    today = appt.end_date + timedelta(days=61)
    assert services.credit_propose(today=appt.end_date + timedelta(days=60)) == 0
    assert services.credit_propose(today=today) == 1
    rec = CreditRecord.objects.get()
    assert (rec.rule, rec.enterprise, rec.source_id) == (
        CreditRule.REPORT_OVERDUE, appt.enterprise, str(appt.pk)
    )


def test_own_data_download_includes_notified_records_only(appt, staff):
    from core.crypto import encrypt
    from privacy.services import personal_data_export

    appt.expert.id_number_encrypted = encrypt("110108198001010014")
    appt.expert.save(update_fields=["id_number_encrypted"])
    shown = services.credit_notify(record=cf.record(appt.expert), by=staff, today=TODAY)
    services.objection_file(record=shown, by=appt.expert.user, content="终止非本人原因", today=TODAY)
    cf.record(appt.expert)  # a proposal staff have not checked: not yet the expert's
    cf.record(appt.enterprise, state=CreditState.CONFIRMED)  # the enterprise's, not the person's
    reviewer = pf.reviewer(user=appt.expert.user)
    as_reviewer = cf.record(reviewer, state=CreditState.CONFIRMED)
    data = personal_data_export(expert=appt.expert, by=appt.expert.user)
    rows = data["credit_records"]
    assert sorted(r["行为事实 (conduct)"] for r in rows) == ["测试事实", "测试事实"]
    ids = {r["ID (id)"] for r in rows}
    assert ids == {shown.pk, as_reviewer.pk}
    objection = next(r for r in rows if r["ID (id)"] == shown.pk)["objections"][0]
    assert objection["异议内容 (content)"] == "终止非本人原因"
