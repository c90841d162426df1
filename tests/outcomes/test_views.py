"""Pages of outcomes per role: reporting, confirming and verifying through the pages, bad input with a
clear message and nothing written, object-level access (another party's outcome is a 404), the list's
filters and query guard, the dashboard's 成果 figures equal to the lists behind them, targets, overrides,
award attachments and the outcome kinds page."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from outcomes.enums import OutcomeState
from outcomes.models import Outcome, OutcomeKind, ProjectTarget, TargetOverride
from tests.factories import outcomes as of
from tests.factories import projects as pf
from tests.factories import terms as tf
from tests.factories.accounts import otp_login
from tests.factories.terms import on

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.logout()
    otp_login(client, user)
    return client


def _form(**overrides):
    data = {
        "kind": OutcomeKind.objects.get(code="patent_invention_granted").pk,
        "title": "一种储能电池热管理方法",
        "identifier": "ZL202510123456.7",
        "level": "",
        "quantity": "1",
        "amount": "",
        "achieved_on": "2025-09-01",
        "description": "",
        "evidence": of.pdf(),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_report_confirm_verify_through_the_pages(client, appt, staff):
    ent, exp = tf.enterprise_user(appt), tf.expert_user(appt)
    _as(client, ent)
    page = client.get(reverse("terms:appointment-detail", args=[appt.pk]))
    assert reverse("outcomes:appointment-outcomes", args=[appt.pk]) in page.content.decode()
    page = client.get(reverse("outcomes:appointment-outcomes", args=[appt.pk]))
    assert reverse("outcomes:outcome-create", args=[appt.pk]) in page.content.decode()
    response = client.post(reverse("outcomes:outcome-create", args=[appt.pk]), _form())
    outcome = Outcome.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "outcomes:outcome-detail", args=[outcome.pk]
    )
    # the reporting side sees no confirm button; the other side's work list shows the task
    reporting_side_page = client.get(reverse("outcomes:outcome-detail", args=[outcome.pk])).content.decode()
    assert 'id="do-confirm"' not in reporting_side_page
    _as(client, exp)
    landing = client.get(reverse("core:role-home", args=["expert"])).content.decode()
    assert "待确认的成果" in landing and reverse("outcomes:outcome-detail", args=[outcome.pk]) in landing
    detail = client.get(reverse("outcomes:outcome-detail", args=[outcome.pk])).content.decode()
    assert reverse("outcomes:outcome-confirm", args=[outcome.pk]) in detail
    client.post(reverse("outcomes:outcome-confirm", args=[outcome.pk]))
    _as(client, staff)
    landing = client.get(reverse("core:role-home", args=["commission"])).content.decode()
    assert "待核实的成果" in landing
    client.post(reverse("outcomes:outcome-verify", args=[outcome.pk]))
    outcome.refresh_from_db()
    assert outcome.state == OutcomeState.VERIFIED
    assert client.get(reverse("outcomes:outcome-evidence", args=[outcome.pk])).status_code == 200


def test_return_without_reason_is_refused_with_message(client, appt, staff):
    outcome = of.report(appt)
    from outcomes import services

    services.outcome_act(outcome=outcome, action="confirm", by=tf.expert_user(appt))
    _as(client, staff)
    response = client.post(reverse("outcomes:outcome-return", args=[outcome.pk]), {"reason": ""}, follow=True)
    assert "请填写理由" in response.content.decode()
    assert Outcome.objects.get().state == OutcomeState.AWAITING_VERIFICATION


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": "tech_contract", "identifier": "2025110114000123", "amount": "-100.00"}, "金额不能为负数"),
        ({"achieved_on": "2024-12-31"}, "取得日期应在服务期内"),
        ({"evidence": SimpleUploadedFile("证书.pdf", b"just text, not a pdf")}, "文件内容不是允许的类型"),
        ({"evidence": None}, "该类成果需上传证明材料"),
        ({"identifier": "CN 2025 1 0123456.7"}, "同一成果只能计入一个服务期"),
    ],
)
def test_bad_input_clear_message_nothing_written(client, appt, overrides, message):
    other = tf.appointment(start=date(2025, 3, 1))
    of.report(other, identifier="ZL202510123456.7")
    before = Outcome.objects.count()
    if overrides.get("kind"):
        overrides["kind"] = OutcomeKind.objects.get(code=overrides["kind"]).pk
    _as(client, tf.enterprise_user(appt))
    response = client.post(reverse("outcomes:outcome-create", args=[appt.pk]), _form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Outcome.objects.count() == before
    assert response.context["form"]["title"].value() == "一种储能电池热管理方法"  # what was typed is kept


def test_foreign_outcome_is_404(client, appt, staff):
    outcome = of.report(appt)
    stranger_appt = tf.appointment(start=date(2025, 3, 1))
    for user in (
        tf.enterprise_user(stranger_appt),
        tf.expert_user(stranger_appt),
        tf.nominator(stranger_appt),
    ):
        _as(client, user)
        for name in ("outcome-detail", "outcome-evidence", "outcome-edit"):
            assert client.get(reverse(f"outcomes:{name}", args=[outcome.pk])).status_code == 404, (user, name)
        assert client.post(reverse("outcomes:outcome-confirm", args=[outcome.pk])).status_code == 404
        assert client.get(reverse("outcomes:outcome-create", args=[appt.pk])).status_code == 404
        assert client.get(reverse("outcomes:appointment-outcomes", args=[appt.pk])).status_code == 404
        listed = client.get(reverse("outcomes:outcome-list")).context["outcomes"]
        assert outcome not in listed
    # the institution of the expert reads; the talent office reads; neither can act
    _as(client, tf.nominator(appt))
    assert client.get(reverse("outcomes:outcome-detail", args=[outcome.pk])).status_code == 200
    assert outcome.pk in [o.pk for o in client.get(reverse("outcomes:outcome-list")).context["outcomes"]]
    assert client.get(reverse("outcomes:outcome-create", args=[appt.pk])).status_code == 404


def test_list_filters_and_query_guard(client, appt, staff, django_assert_max_num_queries):
    of.verified(appt, staff=staff, identifier="ZL1")
    of.report(appt, identifier="ZL2")
    _as(client, staff)
    url = reverse("outcomes:outcome-list")
    assert len(client.get(url, {"state": "verified"}).context["outcomes"]) == 1
    assert len(client.get(url, {"year": "2025"}).context["outcomes"]) == 2
    assert len(client.get(url, {"year": "2024"}).context["outcomes"]) == 0
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    for n in range(6):
        of.report(tf.appointment(start=date(2025, 3, 1)), identifier=f"ZL-more-{n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert len(response.context["outcomes"]) == 8


def test_appointment_outcomes_query_guard(client, appt, staff, django_assert_max_num_queries):
    ProjectTarget.objects.create(project=appt.project, kind=of.kind(), quantity=2)
    of.verified(appt, staff=staff, identifier="ZL1")
    _as(client, staff)
    url = reverse("outcomes:appointment-outcomes", args=[appt.pk])
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    for n in range(5):
        of.report(appt, identifier=f"ZL-x-{n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url)


def test_dashboard_outcome_figures_equal_the_lists(client, appt, staff):
    """Each 成果 row links to the outcome list filtered the same way: same number of rows, and the list's
    amounts summed equal the row's amount."""
    other = tf.appointment(start=date(2025, 3, 1))
    of.verified(appt, staff=staff, identifier="ZL1")
    of.verified(appt, staff=staff, code="tech_contract", identifier="HT-1", amount=Decimal("300000.00"))
    of.verified(other, staff=staff, code="tech_contract", identifier="HT-2", amount=Decimal("55000.55"))
    of.report(other, identifier="ZL-pending")  # not verified: counted nowhere
    _as(client, staff)
    year = 2025
    sections = client.get(reverse("dashboard:index"), {"year": year}).context["s"]
    checked = 0
    for key in ("outcomes_by_kind", "outcomes_by_year", "outcomes_by_industry", "outcomes_by_institution"):
        rows = sections[key]["rows"]
        assert sum(r.count for r in rows) == 3, key
        for row in rows:
            response = client.get(row.url)
            assert response.status_code == 200
            listed = list(response.context["paginator"].object_list)
            assert len(listed) == row.count, (key, row.label)
            total = sum((o.amount or Decimal("0") for o in listed), Decimal("0"))
            assert total == (row.extra["amount"] or Decimal("0")), (key, row.label)
            checked += 1
    assert checked >= 5
    # the annual report's workbook and PDF carry the same figures
    from dashboard.report import report_figures

    figures = report_figures(year, date(2025, 12, 31))
    assert figures["this"]["outcomes_verified"] == 3
    assert {r["label"]: r["count"] for r in figures["outcomes"]["outcomes_by_kind"]} == {
        "发明专利授权": 1,
        "技术合同登记": 2,
    }
    assert {r["label"]: r["amount"] for r in figures["outcomes"]["outcomes_by_kind"]}[
        "技术合同登记"
    ] == "355000.55"


def test_target_override_page_needs_reason(client, appt, staff):
    target = ProjectTarget.objects.create(project=appt.project, kind=of.kind(), quantity=2)
    ent = tf.enterprise_user(appt)
    _as(client, ent)
    url = reverse("outcomes:target-override", args=[appt.pk, target.pk])
    response = client.post(url, {"met": "1", "reason": ""})
    assert response.status_code == 200 and "须填写理由" in response.content.decode()
    assert not TargetOverride.objects.exists()
    response = client.post(url, {"met": "1", "reason": "第二件专利已授权，证书待发"})
    assert response.status_code == 302
    assert TargetOverride.objects.get().reason == "第二件专利已授权，证书待发"
    page = client.get(reverse("outcomes:appointment-outcomes", args=[appt.pk])).content.decode()
    assert "第二件专利已授权，证书待发" in page
    _as(client, tf.expert_user(appt))
    assert client.get(url).status_code == 404


def test_project_targets_page_at_filing(client, media):
    project = pf.project()  # draft
    ent = project.enterprise.members.first().user
    _as(client, ent)
    detail = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    url = reverse("outcomes:project-targets", args=[project.pk])
    assert url in detail
    data = {
        "targets-TOTAL_FORMS": "3",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "30",
        "targets-0-kind": of.kind().pk,
        "targets-0-quantity": "2",
        "targets-0-amount": "",
        "targets-1-kind": of.kind("tech_contract").pk,
        "targets-1-quantity": "",
        "targets-1-amount": "-5",
        "targets-2-kind": "",
        "targets-2-quantity": "",
        "targets-2-amount": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "金额不能为负数" in response.content.decode()
    assert not ProjectTarget.objects.exists()
    data["targets-1-amount"] = "300000.00"
    assert client.post(url, data).status_code == 302
    assert ProjectTarget.objects.filter(project=project).count() == 2
    assert (
        "发明专利授权" in client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    )
    assert AuditEvent.objects.filter(action="projecttarget.set").exists()
    _as(client, project.expert.user)
    assert client.get(url).status_code == 404


def test_report_form_prefilled_and_evaluation_sees_the_table(client, appt, staff):
    from terms import services as term_services

    ProjectTarget.objects.create(project=appt.project, kind=of.kind(), quantity=1)
    of.verified(appt, staff=staff, identifier="ZL1")
    with on(date(2027, 3, 2)):
        term_services.appointments_end_due()
        _as(client, tf.enterprise_user(appt))
        page = client.get(reverse("terms:report-edit", args=[appt.pk]))
        rows = page.context["formset"].initial
        assert rows[0] == {
            "indicator": "发明专利授权（件）",
            "target": "1 件",
            "achieved": "已核实 1 件",
            "met": True,
        }
        assert "预期成果目标与已核实成果" in page.content.decode()
        reviewer = pf.reviewer()
        evaluation = term_services.evaluation_create(appointment=appt, reviewers=[reviewer], by=staff)
        term_services.evaluation_open(evaluation=evaluation, by=staff)
        _as(client, reviewer.user)
        member = evaluation.members.get()
        page = client.get(reverse("terms:panel-grade", args=[member.pk])).content.decode()
        assert "预期成果目标与已核实成果" in page and "发明专利授权" in page
        _as(client, staff)
        page = client.get(reverse("terms:evaluation-detail", args=[evaluation.pk])).content.decode()
        assert "预期成果目标与已核实成果" in page


def test_kind_pages_staff_only(client, staff):
    _as(client, staff)
    assert client.get(reverse("outcomes:kind-list")).status_code == 200
    response = client.post(
        reverse("outcomes:kind-create"),
        {
            "code": "clinical_approval",
            "name": "临床试验批件",
            "group": "医药",
            "unit": "件",
            "identifier_label": "批件号",
            "identifier_required": "on",
            "evidence_required": "on",
            "counts_for_awards": "on",
            "is_active": "on",
            "order": "300",
        },
    )
    assert response.status_code == 302
    assert OutcomeKind.objects.get(code="clinical_approval").identifier_required
    assert AuditEvent.objects.filter(action="outcomekind.create").exists()


def test_award_outcomes_page(client, media, staff):
    """The enterprise attaches verified outcomes of the application's own term; reviewers see them."""
    from awards import services as award_services
    from outcomes.models import AwardOutcome
    from tests.factories import awards as awf

    project = awf.completed(year=2025)
    appointment = project.appointment
    kind = of.kind()
    verified, pending = (
        Outcome.objects.create(
            appointment=appointment,
            kind=kind,
            title=title,
            identifier=f"ZL{n}",
            identifier_key=str(n),
            achieved_on=date(2024, 6, 1),
            side="enterprise",
            reported_by=awf.enterprise_user(project),
            state=state,
        )
        for title, n, state in (
            ("已核实专利", 9, OutcomeState.VERIFIED),
            ("待核实专利", 8, OutcomeState.AWAITING_VERIFICATION),
        )
    )
    cycle = awf.cycle(year=2025)
    application = award_services.application_create(
        cycle=cycle, project=project, by=awf.enterprise_user(project), data=dict(awf.EVIDENCE)
    )
    _as(client, awf.enterprise_user(project))
    url = reverse("outcomes:award-outcomes", args=[application.pk])
    assert url in client.get(reverse("awards:application-detail", args=[application.pk])).content.decode()
    page = client.get(url)
    assert list(page.context["form"].fields["outcomes"].queryset) == [verified]
    response = client.post(url, {"outcomes": [pending.pk]})
    assert response.status_code == 200 and not AwardOutcome.objects.exists()
    assert client.post(url, {"outcomes": [verified.pk]}).status_code == 302
    assert list(AwardOutcome.objects.values_list("outcome_id", flat=True)) == [verified.pk]
    detail = client.get(reverse("awards:application-detail", args=[application.pk])).content.decode()
    assert "已核实专利" in detail
    # another enterprise: 404
    _as(client, tf.enterprise_user(tf.appointment(start=date(2025, 3, 1))))
    assert client.get(url).status_code == 404


def test_expert_is_not_offered_enterprise_declared_kinds(client, appt):
    _as(client, tf.expert_user(appt))
    kinds = (
        client.get(reverse("outcomes:outcome-create", args=[appt.pk])).context["form"].fields["kind"].queryset
    )
    assert (
        not kinds.filter(code__in=["new_sales", "new_tax"]).exists() and kinds.filter(code="paper").exists()
    )
    _as(client, tf.enterprise_user(appt))
    kinds = (
        client.get(reverse("outcomes:outcome-create", args=[appt.pk])).context["form"].fields["kind"].queryset
    )
    assert kinds.filter(code="new_sales").exists()


def test_term_page_summarises_outcomes(client, appt, staff):
    of.verified(appt, staff=staff, identifier="ZL1")
    of.report(appt, identifier="ZL2")
    _as(client, staff)
    page = client.get(reverse("terms:appointment-detail", args=[appt.pk])).content.decode()
    assert "已核实成果 1 项" in page and "1 项成果待确认或待核实，处理完毕前不能结题" in page


@pytest.mark.parametrize(
    "params",
    [
        {"year": "-1"},
        {"year": "0"},
        {"year": "1000000000000000"},
        {"year": "99999999999999999999"},
        {"kind": "abc"},
        {"kind": "-1"},
        {"institution": "99999999999999999999"},
        {"industry": "1e15"},
    ],
)
def test_list_filters_ignore_values_that_are_not_years_or_ids(client, appt, staff, params):
    """Found by the bad-input walk: `?year=-1` and `?year=1e15` reached the date lookup (500)."""
    of.verified(appt, staff=staff)
    otp_login(client, staff)
    response = client.get(reverse("outcomes:outcome-list"), params)
    assert response.status_code == 200
    assert "共 1 条" in response.content.decode()
