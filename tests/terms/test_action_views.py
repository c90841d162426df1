"""Issue 22 item 2: the term report's steps and the evaluation's buttons each post to their own view (their
own URL and permission). A refused form shows the page again with the error at its field and what was
typed; anyone else gets a 404 and nothing changes."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from projects.enums import ProjectState
from terms import services
from terms.enums import EvaluationState, ReportState
from terms.models import Evaluation, TermReport
from tests.factories import projects as pf
from tests.factories import terms as tf
from tests.factories.accounts import otp_login
from tests.factories.pages import field_errors, page_messages

pytestmark = pytest.mark.django_db


def _report(appt, state: str) -> TermReport:
    enterprise = tf.enterprise_user(appt)
    report = services.term_report_save(
        appointment=appt,
        by=enterprise,
        summary="总结",
        achievements="",
        results=[{"indicator": "专利", "achieved": "2项"}],
    )
    if state in (ReportState.AWAITING_EXPERT, ReportState.SUBMITTED):
        services.term_report_submit(report=report, by=enterprise)
    if state == ReportState.SUBMITTED:
        services.term_report_confirm(report=report, by=tf.expert_user(appt))
    return TermReport.objects.get(pk=report.pk)


def _url(name: str, appt) -> str:
    return reverse(f"terms:report-{name}", args=[appt.pk])


def test_the_report_steps_post_to_their_own_urls(client, ended):
    _report(ended, ReportState.SUBMITTED)
    otp_login(client, pf.commission())
    page = client.get(reverse("terms:appointment-detail", args=[ended.pk])).content.decode()
    assert f'action="{_url("accept", ended)}"' in page and f'action="{_url("return", ended)}"' in page


@pytest.mark.parametrize(
    ("state", "who"), [(ReportState.AWAITING_EXPERT, "expert"), (ReportState.SUBMITTED, "commission")]
)
def test_return_without_a_reason_shows_the_error_at_the_reason(client, ended, state, who):
    report = _report(ended, state)
    otp_login(client, tf.expert_user(ended) if who == "expert" else pf.commission())
    response = client.post(_url("return", ended), {"reason": ""})
    assert response.status_code == 200
    assert field_errors(response.content.decode(), "reason") == ["退回时请填写理由"]
    assert page_messages(response) == []
    assert TermReport.objects.get(pk=report.pk).state == state


def test_accept_with_an_invalid_date_shows_the_error_at_the_date_and_keeps_the_note(client, ended):
    report = _report(ended, ReportState.SUBMITTED)
    otp_login(client, pf.commission())
    response = client.post(_url("accept", ended), {"accepted_on": "2026-02-30", "note": "同意结题"})
    page = response.content.decode()
    assert response.status_code == 200
    assert field_errors(page, "accepted_on") == ["请填写有效的结题日期"]
    assert "同意结题</textarea>" in page and page_messages(response) == []
    assert TermReport.objects.get(pk=report.pk).state == ReportState.SUBMITTED
    client.post(_url("accept", ended), {"accepted_on": "2026-01-10", "note": "同意结题"})
    ended.project.refresh_from_db()
    assert ended.project.state == ProjectState.COMPLETED


# Each step, posted by someone who may not take it in the report's state: 404, nothing changed.
OUTSIDERS = [
    ("submit", ReportState.DRAFT, "expert"),
    ("submit", ReportState.DRAFT, "commission"),
    ("submit", ReportState.DRAFT, "stranger_enterprise"),
    ("confirm", ReportState.AWAITING_EXPERT, "enterprise"),
    ("confirm", ReportState.AWAITING_EXPERT, "stranger_expert"),
    ("return", ReportState.AWAITING_EXPERT, "enterprise"),
    ("return", ReportState.AWAITING_EXPERT, "commission"),
    ("return", ReportState.SUBMITTED, "expert"),
    ("return", ReportState.DRAFT, "expert"),
    ("accept", ReportState.SUBMITTED, "expert"),
    ("accept", ReportState.SUBMITTED, "enterprise"),
    ("accept", ReportState.SUBMITTED, "talent_office"),
]


@pytest.mark.parametrize(("action", "state", "who"), OUTSIDERS)
def test_a_report_step_by_someone_who_may_not_take_it_is_404(client, ended, action, state, who):
    report = _report(ended, state)
    other = tf.appointment(start=date(2024, 2, 1))
    user = {
        "enterprise": lambda: tf.enterprise_user(ended),
        "expert": lambda: tf.expert_user(ended),
        "stranger_enterprise": lambda: tf.enterprise_user(other),
        "stranger_expert": lambda: tf.expert_user(other),
        "commission": pf.commission,
        "talent_office": pf.talent_office,
    }[who]()
    otp_login(client, user)
    data = {"reason": "请补充", "accepted_on": "2026-01-10"}
    assert client.post(_url(action, ended), data).status_code == 404
    fresh = TermReport.objects.get(pk=report.pk)
    assert (fresh.state, fresh.transitions.count()) == (state, report.transitions.count())


def test_no_report_is_404_for_every_step(client, ended):
    for user, action in ((tf.enterprise_user(ended), "submit"), (tf.expert_user(ended), "confirm")):
        otp_login(client, user)
        assert client.post(_url(action, ended)).status_code == 404


# --- the evaluation ------------------------------------------------------------------------------------


@pytest.fixture
def evaluation(ended):
    staff = pf.commission()
    return services.evaluation_create(appointment=ended, reviewers=[pf.reviewer()], by=staff), staff


def test_adding_no_member_shows_the_error_at_the_reviewer(client, evaluation):
    evaluation, staff = evaluation
    otp_login(client, staff)
    page = client.get(reverse("terms:evaluation-detail", args=[evaluation.pk])).content.decode()
    add = reverse("terms:evaluation-member-add", args=[evaluation.pk])
    assert f'action="{add}"' in page
    assert f'action="{reverse("terms:evaluation-open", args=[evaluation.pk])}"' in page
    response = client.post(add, {"reviewer": ""})
    assert response.status_code == 200
    assert field_errors(response.content.decode(), "reviewer") == ["请选择评价专家"]
    assert page_messages(response) == [] and evaluation.members.count() == 1
    client.post(add, {"reviewer": pf.reviewer().pk})
    assert evaluation.members.count() == 2


def test_finalise_with_a_grade_outside_the_scale_shows_the_error_at_the_grade(client, evaluation):
    evaluation, staff = evaluation
    services.evaluation_open(evaluation=evaluation, by=staff)
    otp_login(client, staff)
    finalise = reverse("terms:evaluation-finalise", args=[evaluation.pk])
    page = client.get(reverse("terms:evaluation-detail", args=[evaluation.pk])).content.decode()
    assert f'action="{finalise}"' in page
    response = client.post(finalise, {"grade": "superb", "opinion": "合作成效显著"})
    page = response.content.decode()
    assert response.status_code == 200
    assert field_errors(page, "grade") == ["评价等级须为优秀、良好、合格或不合格"]
    assert field_errors(page, "opinion") == [] and "合作成效显著</textarea>" in page
    assert Evaluation.objects.get(pk=evaluation.pk).state == EvaluationState.GRADING


def test_open_refused_answers_with_a_message(client, evaluation):
    evaluation, staff = evaluation
    services.evaluation_open(evaluation=evaluation, by=staff)
    otp_login(client, staff)
    response = client.post(reverse("terms:evaluation-open", args=[evaluation.pk]))
    assert response.status_code == 302 and response["Location"] == f"/terms/evaluation/{evaluation.pk}/"
    assert len(page_messages(response)) == 1


@pytest.mark.parametrize("action", ["member-add", "open", "finalise"])
def test_evaluation_buttons_are_the_commission_s_only(client, evaluation, action):
    evaluation, _staff = evaluation
    appt = evaluation.appointment
    url = reverse(f"terms:evaluation-{action}", args=[evaluation.pk])
    member = evaluation.members.get()
    for user in (tf.expert_user(appt), tf.enterprise_user(appt), pf.talent_office(), member.reviewer.user):
        otp_login(client, user)
        data = {"reviewer": pf.reviewer().pk, "grade": "good", "opinion": "良好"}
        assert client.post(url, data).status_code == 404
    fresh = Evaluation.objects.get(pk=evaluation.pk)
    assert (fresh.state, fresh.members.count()) == (EvaluationState.FORMING, 1)
