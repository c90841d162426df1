from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.enums import Role
from core.crypto import decrypt
from core.models import AuditEvent
from core.workflow import TransitionError
from experts import services
from experts.enums import (
    TRANSITIONS,
    ChangeRequestState,
    EligibilityResult,
    ExceptionDecision,
    NominationState,
)
from experts.exceptions import NominationError
from experts.models import Expert, Nomination
from tests.factories.experts import (
    InstitutionFactory,
    discipline,
    expert_data,
    id_number,
    make_nomination,
    nominator,
)

pytestmark = pytest.mark.django_db
AS_OF = date(2026, 11, 1)


@pytest.fixture
def member():
    return nominator(InstitutionFactory(name="中国石油大学（测试）", is_985=False, is_211=True))


def submitted(member, **kw):
    nomination = make_nomination(by=member, **kw)
    return services.nomination_submit(nomination=nomination, by=member, as_of=AS_OF)


# ID numbers at rest --------------------------------------------------------------------------------------


def test_nomination_create_stores_id_number_encrypted_hashed_and_masked(member):
    code = id_number(7, born=date(1981, 2, 3))
    nomination = make_nomination(by=member, id_no=code)
    expert = Expert.objects.get(pk=nomination.expert_id)
    assert code not in expert.id_number_encrypted
    assert decrypt(expert.id_number_encrypted) == code
    assert expert.id_number_hash == services.id_number_hash(code)
    assert len(expert.id_number_hash) == 64
    assert expert.id_number_masked == code[:3] + "*" * 11 + code[-4:]
    assert expert.birth_date == date(1981, 2, 3)


def test_same_id_number_twice_is_refused_by_the_database(member):
    nomination = make_nomination(by=member)
    expert = nomination.expert
    clone = Expert(
        name="另一人",
        gender="male",
        institution=expert.institution,
        discipline=expert.discipline,
        degree="doctorate",
        title_level="senior",
        work_start=date(2010, 1, 1),
        id_number_encrypted="x",
        id_number_hash=expert.id_number_hash,
        id_number_masked="x",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_nomination_create_with_invalid_id_number_is_refused(member):
    with pytest.raises(NominationError, match="身份证号码"):
        make_nomination(by=member, id_no="110108198001010010")


def test_nomination_create_same_person_updates_the_draft(member):
    code = id_number(11)
    first = make_nomination(by=member, id_no=code, name="王一")
    second = make_nomination(by=member, id_no=code, name="王一改")
    assert second.pk == first.pk
    assert Expert.objects.get().name == "王一改"
    assert Nomination.objects.count() == 1


def test_nomination_create_person_of_other_institution_is_refused(member):
    code = id_number(12)
    make_nomination(by=member, id_no=code)
    with pytest.raises(NominationError, match="其他推荐单位"):
        make_nomination(by=nominator(), id_no=code)


def test_nomination_create_future_work_start_is_refused(member):
    with pytest.raises(NominationError, match="晚于今天"):
        make_nomination(
            by=member, work_start=timezone.localdate().replace(year=timezone.localdate().year + 1)
        )


# Submit and eligibility ----------------------------------------------------------------------------------


def test_nomination_submit_stores_eligible_result(member):
    nomination = submitted(member)
    assert nomination.state == NominationState.SUBMITTED
    assert nomination.eligibility == EligibilityResult.ELIGIBLE
    assert nomination.eligibility_failures == []
    assert nomination.eligibility_reasons == {}
    assert nomination.nominated_on == AS_OF
    t = nomination.transitions.order_by("id").last()
    assert (t.from_state, t.to_state, t.actor, t.reason) == (
        "draft",
        "submitted",
        member,
        "资格审查：符合条件",
    )


def test_nomination_submit_stores_each_failed_rule_with_reason(member):
    nomination = submitted(member, degree="master", title_level="intermediate", work_start=date(2025, 11, 2))
    assert nomination.eligibility == EligibilityResult.INELIGIBLE
    assert nomination.eligibility_failures == ["qualification", "experience"]
    assert nomination.eligibility_reasons["qualification"].startswith("专家既无博士学位")
    assert "2027年11月2日方满2年" in nomination.eligibility_reasons["experience"]
    assert nomination.exception_decision == ExceptionDecision.NONE


def test_nomination_submit_experience_two_year_boundary(member):
    exactly = submitted(member, work_start=date(2024, 11, 1))
    assert exactly.eligibility == EligibilityResult.ELIGIBLE
    short = submitted(member, work_start=date(2024, 11, 2))
    assert short.eligibility_failures == ["experience"]


def test_nomination_submit_double_first_class_uses_institution_disciplines():
    institution = InstitutionFactory(is_211=False, is_double_first_class=True)
    institution.double_first_class_disciplines.add(discipline("数学"))
    by = nominator(institution)
    assert submitted(by, discipline=discipline("数学")).eligibility == EligibilityResult.ELIGIBLE
    other = submitted(by, discipline=discipline("化学"))
    assert other.eligibility_failures == ["institution"]
    assert "“化学”不是该校的“双一流”建设学科" in other.eligibility_reasons["institution"]


def test_nomination_submit_without_letter_or_declaration_is_refused_and_kept(member):
    nomination = make_nomination(by=member, letter=False, declaration=False)
    with pytest.raises(NominationError) as exc:
        services.nomination_submit(nomination=nomination, by=member, as_of=AS_OF)
    assert "推荐单位承诺" in str(exc.value)
    assert "推荐函" in str(exc.value)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.DRAFT
    assert nomination.transitions.count() == 1


def test_nomination_submit_work_start_after_nomination_date_is_refused(member):
    nomination = make_nomination(by=member, work_start=date(2026, 11, 5))
    with pytest.raises(NominationError, match="首次参加工作日期不能晚于推荐日期"):
        services.nomination_submit(nomination=nomination, by=member, as_of=AS_OF)


# Exception path ------------------------------------------------------------------------------------------


def exception_nomination(member, **kw):
    return submitted(
        member,
        degree="master",
        title_level="intermediate",
        core_ip=True,
        evidence=True,
        exception_justification="拥有核心发明专利，昌平企业急需。",
        **kw,
    )


def test_exception_path_needs_justification_and_evidence(member):
    nomination = make_nomination(by=member, degree="master", title_level="intermediate", core_ip=True)
    with pytest.raises(NominationError) as exc:
        services.nomination_submit(nomination=nomination, by=member, as_of=AS_OF)
    assert "放宽理由" in str(exc.value) and "证明材料" in str(exc.value)


def test_exception_path_admission_needs_staff_approval(member, staff):
    nomination = exception_nomination(member)
    assert nomination.eligibility == EligibilityResult.EXCEPTION
    assert nomination.exception_decision == ExceptionDecision.PENDING
    with pytest.raises(NominationError, match="须先经区科委批准放宽"):
        services.nomination_admit(nomination=nomination, by=staff)
    services.nomination_exception_decide(nomination=nomination, by=staff, approve=True, note="核心专利属实")
    nomination.refresh_from_db()
    assert nomination.exception_decision == ExceptionDecision.APPROVED
    assert nomination.exception_decided_by == staff
    assert nomination.exception_decided_at is not None
    assert (
        AuditEvent.objects.filter(action="nomination.exception_approve", target_id=str(nomination.pk)).count()
        == 1
    )
    services.nomination_admit(nomination=nomination, by=staff)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.ADMITTED


def test_exception_refused_blocks_admission(member, staff):
    nomination = exception_nomination(member)
    services.nomination_exception_decide(nomination=nomination, by=staff, approve=False, note="成果尚不成熟")
    with pytest.raises(NominationError):
        services.nomination_admit(nomination=nomination, by=staff)


def test_exception_decision_needs_a_note(member, staff):
    nomination = exception_nomination(member)
    with pytest.raises(NominationError, match="须填写理由"):
        services.nomination_exception_decide(nomination=nomination, by=staff, approve=True, note=" ")


def test_institution_rule_is_never_relaxed_even_with_core_ip(staff):
    by = nominator(InstitutionFactory(is_211=False))
    nomination = submitted(by, core_ip=True, evidence=True, exception_justification="x")
    assert nomination.eligibility == EligibilityResult.INELIGIBLE
    assert nomination.exception_decision == ExceptionDecision.NONE
    with pytest.raises(NominationError, match="推荐单位条件不可放宽"):
        services.nomination_admit(nomination=nomination, by=staff)
    with pytest.raises(NominationError):
        services.nomination_exception_decide(nomination=nomination, by=staff, approve=True, note="x")


# Every transition, and the forbidden ones ------------------------------------------------------------


def _to_state(member, staff, state):
    nomination = make_nomination(by=member)
    if state == NominationState.DRAFT:
        return nomination
    nomination = services.nomination_submit(nomination=nomination, by=member, as_of=AS_OF)
    if state == NominationState.RETURNED:
        services.nomination_return(nomination=nomination, by=staff, reason="补充材料")
    elif state == NominationState.ADMITTED:
        services.nomination_admit(nomination=nomination, by=staff)
    elif state == NominationState.REJECTED:
        services.nomination_reject(nomination=nomination, by=staff, reason="不符合")
    nomination.refresh_from_db()
    return nomination


def _do(target, nomination, member, staff):
    if target == NominationState.SUBMITTED:
        return services.nomination_submit(nomination=nomination, by=member, as_of=AS_OF)
    if target == NominationState.RETURNED:
        return services.nomination_return(nomination=nomination, by=staff, reason="请补充")
    if target == NominationState.ADMITTED:
        return services.nomination_admit(nomination=nomination, by=staff)
    if target == NominationState.REJECTED:
        return services.nomination_reject(nomination=nomination, by=staff, reason="不符合")
    raise AssertionError(target)


ALL_PAIRS = [(a, b) for a in NominationState for b in NominationState if b != NominationState.DRAFT]


@pytest.mark.parametrize(("source", "target"), ALL_PAIRS)
def test_nomination_transitions(member, staff, source, target):
    nomination = _to_state(member, staff, source)
    before = nomination.transitions.count()
    if target in TRANSITIONS[source]:
        _do(target, nomination, member, staff)
        nomination.refresh_from_db()
        assert nomination.state == target
        last = nomination.transitions.order_by("id").last()
        assert (last.from_state, last.to_state) == (source, target)
        assert nomination.transitions.count() == before + 1
    else:
        with pytest.raises((TransitionError, NominationError)):
            _do(target, nomination, member, staff)
        nomination.refresh_from_db()
        assert nomination.state == source
        assert nomination.transitions.count() == before


def test_admitting_a_draft_is_forbidden(member, staff):
    nomination = make_nomination(by=member)
    with pytest.raises(TransitionError, match="草稿"):
        services.nomination_admit(nomination=nomination, by=staff)
    assert not Expert.objects.get(pk=nomination.expert_id).in_pool


@pytest.mark.parametrize(
    "state", [NominationState.SUBMITTED, NominationState.ADMITTED, NominationState.REJECTED]
)
def test_editing_a_non_editable_nomination_is_forbidden(member, staff, state):
    nomination = _to_state(member, staff, state)
    with pytest.raises(NominationError, match="不能修改"):
        services.nomination_update(nomination=nomination, by=member, data=expert_data(name="改名"))
    assert Expert.objects.get(pk=nomination.expert_id).name == "王测试"


def test_returned_nomination_can_be_edited_and_resubmitted(member, staff):
    nomination = _to_state(member, staff, NominationState.RETURNED)
    services.nomination_update(nomination=nomination, by=member, data=expert_data(name="王测试改"))
    nomination = services.nomination_submit(nomination=nomination, by=member, as_of=AS_OF)
    assert [t.to_state for t in nomination.transitions.order_by("id")] == [
        "draft",
        "submitted",
        "returned",
        "submitted",
    ]
    assert [t.reason for t in nomination.transitions.order_by("id")][2] == "补充材料"


@pytest.mark.parametrize("func", [services.nomination_return, services.nomination_reject])
def test_return_and_reject_need_a_reason(member, staff, func):
    nomination = _to_state(member, staff, NominationState.SUBMITTED)
    with pytest.raises(NominationError, match="须填写理由"):
        func(nomination=nomination, by=staff, reason="")


# Admission and invitation --------------------------------------------------------------------------------


def test_admit_creates_login_grants_expert_role_and_emails_one_time_link(
    member, staff, client, django_capture_on_commit_callbacks
):
    nomination = _to_state(member, staff, NominationState.SUBMITTED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.nomination_admit(nomination=nomination, by=staff, reason="符合条件")
    expert = Expert.objects.get(pk=nomination.expert_id)
    assert expert.in_pool and expert.admitted_at is not None
    user = expert.user
    assert user.has_role(Role.EXPERT)
    assert not user.has_usable_password()
    invites = [m for m in mail.outbox if m.to == ["expert@example.cn"]]
    assert len(invites) == 1
    link = next(line for line in invites[0].body.splitlines() if "/experts/invite/" in line).strip()
    path = link.replace("http://127.0.0.1:8000", "")
    response = client.get(path, follow=True)
    assert response.status_code == 200
    set_url = response.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "Xy!82736450abc", "new_password2": "Xy!82736450abc"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Xy!82736450abc")
    # The link is one-time: used once, it is void.
    response = client.get(path, follow=True)
    assert "该链接已失效" in response.content.decode()


# The expert's profile -------------------------------------------------------------------------------------


def test_profile_update_free_fields_apply_core_fields_wait_for_approval(member, staff):
    nomination = _to_state(member, staff, NominationState.ADMITTED)
    expert = Expert.objects.get(pk=nomination.expert_id)
    me = expert.user
    change = services.expert_profile_update(
        expert=expert,
        by=me,
        data={"phone": "13911112222", "keywords": "页岩油，储能", "title": "资深教授"},
    )
    expert.refresh_from_db()
    assert expert.phone == "13911112222"
    assert "储能" in expert.search_text
    assert expert.title == "教授"
    assert change.state == ChangeRequestState.PENDING
    assert change.changes["title"]["old"] == "教授" and change.changes["title"]["new"] == "资深教授"
    services.change_request_decide(request=change, by=staff, approve=True, note="")
    expert.refresh_from_db()
    assert expert.title == "资深教授"
    change.refresh_from_db()
    assert (change.state, change.decided_by) == (ChangeRequestState.APPROVED, staff)


def test_change_request_rejection_needs_note_and_keeps_profile(member, staff):
    nomination = _to_state(member, staff, NominationState.ADMITTED)
    expert = Expert.objects.get(pk=nomination.expert_id)
    change = services.expert_profile_update(
        expert=expert, by=expert.user, data={"work_start": date(2005, 1, 1)}
    )
    with pytest.raises(NominationError):
        services.change_request_decide(request=change, by=staff, approve=False, note="")
    services.change_request_decide(request=change, by=staff, approve=False, note="无证明")
    expert.refresh_from_db()
    assert expert.work_start == date(2010, 7, 1)
