"""Pages of the annual awards: object-level access (404), the reviewer's sheet, the decision page's tie
warning, the public result list, the staff export, navigation and the history panels."""

from decimal import Decimal as D
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from awards import services
from awards.models import Award, AwardApplication
from core.navigation import menu_for
from tests.factories import awards as af
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_enterprise_applies_expert_confirms_enterprise_submits(client):
    cycle = af.cycle()
    project = af.completed()
    user = af.enterprise_user(project)
    client.force_login(user)
    page = client.get(reverse("awards:index"))
    assert project.title in page.content.decode()
    url = reverse("awards:application-create", args=[cycle.pk, project.pk])
    response = client.post(url, {**af.EVIDENCE})
    application = AwardApplication.objects.get()
    assert response.status_code == 302
    client.force_login(project.expert.user)
    client.post(reverse("awards:application-confirm", args=[application.pk]))
    client.force_login(user)
    client.post(reverse("awards:application-submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.state == "submitted"


def test_applying_with_a_project_not_completed_shows_a_message_and_creates_nothing(client):
    cycle = af.cycle()
    project = af.not_completed()
    client.force_login(af.enterprise_user(project))
    response = client.post(reverse("awards:application-create", args=[cycle.pk, project.pk]), af.EVIDENCE)
    assert response.status_code == 200
    assert "尚未结题验收" in response.content.decode()
    assert not AwardApplication.objects.exists()


def test_other_users_get_404_for_an_application(client):
    cycle = af.cycle()
    project = af.completed()
    application = af.apply(cycle, project)
    url = reverse("awards:application-detail", args=[application.pk])
    other = af.completed()
    client.force_login(af.enterprise_user(other))
    assert client.get(url).status_code == 404
    client.force_login(other.expert.user)
    assert client.get(url).status_code == 404
    # another enterprise cannot apply with this project either
    client.force_login(af.enterprise_user(other))
    assert client.get(reverse("awards:application-create", args=[cycle.pk, project.pk])).status_code == 404
    client.force_login(project.expert.user)
    assert client.get(url).status_code == 200


def test_reviewer_sees_only_assigned_sheets_and_scores(client, otp_login):
    staff = af.staff()
    cycle, _projects = af.in_review(staff)
    sheet = cycle.sheets.select_related("reviewer__user").first()
    otp_login(client, sheet.reviewer.user)
    assert sheet.application.project.title in client.get(reverse("awards:review-list")).content.decode()
    points = {f"c{c.pk}": str(c.max_points) for c in cycle.criteria.all()}
    data = {**points, "comment": "成果突出", "action": "submit"}
    ask = client.post(reverse("awards:review-sheet", args=[sheet.pk]), data)
    page = ask.content.decode()
    assert ask.status_code == 200 and "确认提交评分表" in page and "100 / 100" in page
    sheet.refresh_from_db()
    assert sheet.state != "submitted"
    response = client.post(reverse("awards:review-sheet", args=[sheet.pk]), {**data, "confirmed": "1"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == "submitted" and sheet.total == D("100")
    # a reviewer without this sheet gets a 404
    stranger = UserFactory(roles=[Role.REVIEWER])
    otp_login(client, stranger)
    assert client.get(reverse("awards:review-sheet", args=[sheet.pk])).status_code == 404


def test_decision_page_shows_the_tie_and_refuses_autofill(client, otp_login):
    staff = af.staff()
    cycle, _projects = af.in_review(staff, applications=2, quotas=(1, 0, 0))
    for sheet in cycle.sheets.select_related("reviewer__user"):
        af.submit_sheet(cycle, sheet, "88")
    services.cycle_close(cycle=cycle, by=staff)
    otp_login(client, staff)
    url = reverse("awards:decision", args=[cycle.pk])
    page = client.get(url).content.decode()
    assert 'id="tie-warning"' in page
    response = client.post(reverse("awards:decision-autofill", args=[cycle.pk]), follow=True)
    assert "并列" in response.content.decode()
    assert not AwardApplication.objects.filter(proposed_level__isnull=False).exists()
    a1, a2 = AwardApplication.objects.order_by("pk")
    # explicit choice without a reason: refused with a message
    response = client.post(url, {f"level_{a1.pk}": "1", f"level_{a2.pk}": ""})
    assert "评定理由" in response.content.decode()
    client.post(url, {f"level_{a1.pk}": "1", f"level_{a2.pk}": "", "reason": "新增营收更高"})
    a1.refresh_from_db()
    assert a1.proposed_level == 1


def test_staff_export_is_an_xlsx_of_the_applications(client, otp_login):
    staff, cycle, projects_ = af.published()
    otp_login(client, staff)
    response = client.get(reverse("awards:cycle-export", args=[cycle.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[0][1] == "项目名称"
    assert {r[1] for r in rows[1:]} == {p.title for p in projects_}
    # not for the enterprise
    client.force_login(af.enterprise_user(projects_[0]))
    assert client.get(reverse("awards:cycle-export", args=[cycle.pk])).status_code == 404


def test_published_results_are_public_and_appear_on_the_history_panels(client, otp_login):
    _staff, _cycle, (p1, p2) = af.published()
    page = client.get(reverse("awards:results")).content.decode()
    assert p1.title in page and "一等奖" in page and p2.expert.name in page
    award = Award.objects.get(application__project=p1)
    client.force_login(p1.expert.user)
    me = client.get(reverse("experts:expert-me"), follow=True)
    assert me.status_code == 200 and 'id="award-history"' in me.content.decode()
    assert p1.title in me.content.decode()
    response = client.get(reverse("awards:certificate", args=[award.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    client.force_login(af.enterprise_user(p1))
    mine = client.get(reverse("enterprises:enterprise-mine"), follow=True).content.decode()
    assert p1.title in mine
    # the other expert cannot fetch this certificate
    client.force_login(p2.expert.user)
    assert client.get(reverse("awards:certificate", args=[award.pk])).status_code == 404


def test_unpublished_results_are_not_public(client):
    _staff, cycle, (p1, _p2) = af.published(publish=False)
    assert p1.title not in client.get(reverse("awards:results")).content.decode()
    assert client.get(reverse("awards:results-year", args=[cycle.year])).status_code == 404


def test_navigation_entries_per_role(db):
    labels = {str(i["label"]) for i in menu_for(UserFactory(roles=[Role.COMMISSION]))}
    assert "年度评选" in labels
    assert "年度评选评审" in {str(i["label"]) for i in menu_for(UserFactory(roles=[Role.REVIEWER]))}
    assert "年度评选" not in {str(i["label"]) for i in menu_for(UserFactory(roles=[Role.FINANCE]))}


def test_staff_pages_open_and_others_get_404(client, otp_login):
    staff, cycle, _projects = af.published()
    otp_login(client, staff)
    for name, args in [
        ("awards:index", []),
        ("awards:cycle-create", []),
        ("awards:cycle-detail", [cycle.pk]),
        ("awards:decision", [cycle.pk]),
        ("awards:cycle-update", [cycle.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    client.force_login(UserFactory(roles=[Role.EXPERT]))
    assert client.get(reverse("awards:cycle-detail", args=[cycle.pk])).status_code == 404


def test_role_home_panels_render(client, otp_login):
    staff, cycle, (p1, _p2) = af.published()
    otp_login(client, staff)
    assert cycle.title in client.get(reverse("core:role-home", args=["commission"])).content.decode()
    client.force_login(af.enterprise_user(p1))
    assert p1.title in client.get(reverse("core:role-home", args=["enterprise"])).content.decode()


def test_quotas_stay_editable_after_the_review_and_the_rest_is_locked(client, otp_login):
    staff = af.staff()
    cycle, _projects = af.in_review(staff, pool=3, quotas=(1, 1, 1))
    otp_login(client, staff)
    url = reverse("awards:cycle-update", args=[cycle.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data.update({"quota_third": 4, "title": "改名", "score_deadline": "2020-01-01T00:00"})
    response = client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, response.context["form"].errors
    cycle.refresh_from_db()
    assert cycle.quota_third == 4 and cycle.title != "改名"


def test_list_pages_do_not_grow_queries_with_the_rows(client, otp_login, django_assert_max_num_queries):
    staff, cycle, _projects = af.published(totals=("90", "85", "80"), quotas=(1, 1, 1))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("awards:results")).status_code == 200
    otp_login(client, staff)
    with django_assert_max_num_queries(40):
        assert client.get(reverse("awards:cycle-detail", args=[cycle.pk])).status_code == 200


def test_edit_page_of_an_application_with_evidence_renders_and_a_submitted_one_is_not_editable(client):
    """Private uploads have no URL: the edit form must not link the current evidence file (it crashed
    with the clearable file input); a submitted application goes back to its page with a message."""
    from django.core.files.base import ContentFile

    cycle = af.cycle()
    project = af.completed()
    user = af.enterprise_user(project)
    draft = services.application_create(
        cycle=cycle,
        project=project,
        by=user,
        data=af.EVIDENCE,
        evidence_file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="evidence.pdf"),
    )
    assert draft.evidence_file
    client.force_login(user)
    url = reverse("awards:application-update", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "已上传佐证材料" in page.content.decode()
    confirmed = services.application_confirm(application=draft, by=project.expert.user)
    services.application_submit(application=confirmed, by=user)
    response = client.get(url, follow=True)
    assert response.redirect_chain == [(reverse("awards:application-detail", args=[draft.pk]), 302)]
    assert "申报已提交，不能修改。" in response.content.decode()


# --- late completions go to the next cycle (issue 15 item 10) --------------------------------------------


@pytest.mark.parametrize(("days_ago", "listed"), [(5, True), (30, False)])
def test_the_application_page_offers_a_late_completion_to_the_next_cycle(client, days_ago, listed):
    from datetime import timedelta

    from django.utils import timezone

    from awards.enums import CycleState

    today = timezone.localdate()
    staff = af.staff()
    af.cycle(
        year=2025,
        by=staff,
        state=CycleState.DRAFT,
        apply_start=today - timedelta(days=60),
        apply_end=today - timedelta(days=30),
    )
    cycle = af.cycle(year=2026, by=staff)
    project = af.completed(accepted_on=today - timedelta(days=days_ago))
    client.force_login(af.enterprise_user(project))
    assert (project.title in client.get(reverse("awards:index")).content.decode()) is listed
    response = client.post(reverse("awards:application-create", args=[cycle.pk, project.pk]), af.EVIDENCE)
    if listed:
        assert response.status_code == 302
        assert AwardApplication.objects.filter(cycle=cycle, project=project).exists()
    else:
        assert response.status_code == 200
        assert "应参加上一年度评选" in response.content.decode()
        assert not AwardApplication.objects.exists()
