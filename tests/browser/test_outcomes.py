"""Issue 21 in the browser: the enterprise reports an outcome of its term (with the certificate), the expert
confirms it from the work list, commission staff verify it from theirs, and it shows in the evaluation
panel's target table and in the dashboard's and annual report's 成果 section. Every step is a click or a
form; the term has just ended (reporting stays open for 90 days after it)."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.enums import Role
from tests.browser.helpers import alert_text, as_user, assert_accessible, reviewer, staff
from tests.factories import outcomes as of
from tests.factories import terms as tf

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def warm_live_server(live_server, reference_data, settings, tmp_path):
    from urllib.request import urlopen

    settings.MEDIA_ROOT = tmp_path
    with urlopen(f"{live_server.url}/accounts/login/", timeout=60) as response:
        assert response.status == 200


def _open_task(page, role: Role, kind: str) -> None:
    page.goto(f"/home/{role.value}/")
    page.wait_for_selector("#worklist")
    page.locator(f'#worklist .worklist-group[data-kind="{kind}"] .worklist-link').first.click()
    page.wait_for_load_state("load")


def test_outcome_reported_confirmed_verified_shows_in_evaluation_and_annual_report(session, reference_data):
    from openpyxl import load_workbook

    from outcomes.models import Outcome, ProjectTarget
    from terms import services as term_services

    of.ensure_kinds()
    today = timezone.localdate()
    kw = staff(Role.COMMISSION, "kw_cheng", "程科委")
    appt = tf.appointment(start=today - relativedelta(months=24, days=20), staff=kw)
    term_services.appointments_end_due(as_of=today)
    appt.refresh_from_db()
    ProjectTarget.objects.create(project=appt.project, kind=of.kind(), quantity=1)
    achieved = appt.end_date - timedelta(days=10)

    # the enterprise reports from its term page
    ent = as_user(session, tf.enterprise_user(appt))
    ent.goto(f"/terms/{appt.pk}/")
    ent.click("#outcomes a")
    ent.wait_for_load_state("load")
    ent.get_by_role("link", name="填报成果").click()
    ent.wait_for_load_state("load")
    ent.select_option("select[name=kind]", label="发明专利授权")
    ent.fill("input[name=title]", "一种焊缝缺陷视觉识别方法")
    ent.fill("input[name=identifier]", "ZL 2026 1 0987654.3")
    ent.fill("input[name=achieved_on]", achieved.isoformat())
    ent.set_input_files(
        "input[name=evidence]",
        files=[{"name": "专利证书.pdf", "mimeType": "application/pdf", "buffer": of.PDF}],
    )
    ent.locator("main form button[type=submit]").click()
    ent.wait_for_load_state("load")
    outcome = Outcome.objects.get()
    assert ent.locator("#outcome-state").inner_text() == "待对方确认", alert_text(ent)

    # the expert confirms from the work list
    exp = as_user(session, tf.expert_user(appt))
    _open_task(exp, Role.EXPERT, "outcome-confirm")
    assert exp.url.endswith(f"/outcomes/{outcome.pk}/")
    exp.click("#do-confirm")
    exp.wait_for_load_state("load")
    assert exp.locator("#outcome-state").inner_text() == "待区科委核实", alert_text(exp)

    # commission staff verify from theirs
    staff_page = as_user(session, kw)
    _open_task(staff_page, Role.COMMISSION, "outcome-verify")
    staff_page.click("#do-verify")
    staff_page.wait_for_load_state("load")
    assert staff_page.locator("#outcome-state").inner_text() == "已核实", alert_text(staff_page)

    # the evaluation panel sees the target table beside its grade form
    rev = reviewer("ps_guo", "郭评审", "智能制造 视觉检测", "北京某研究院")
    evaluation = term_services.evaluation_create(appointment=appt, reviewers=[rev], by=kw)
    term_services.evaluation_open(evaluation=evaluation, by=kw)
    panel = as_user(session, rev.user)
    panel.goto(f"/terms/panel/{evaluation.members.get().pk}/")
    table = panel.locator("#target-table")
    assert "发明专利授权\t1 件\t1 件\t已达成" in table.inner_text()
    assert table.get_by_text("已达成").count() == 1

    # the dashboard's 成果 section and the annual report's workbook count it
    staff_page.goto(f"/dashboard/?year={achieved.year}")
    section = staff_page.locator("#chart-outcomes_by_kind")
    assert "发明专利授权" in section.inner_text()
    response = staff_page.request.get(f"/dashboard/report/xlsx/?year={achieved.year}")
    assert response.status == 200
    sheet = load_workbook(BytesIO(response.body()))["服务成果"]
    assert ("发明专利授权", 1) in [(r[0], r[1]) for r in sheet.iter_rows(min_row=4, values_only=True)]
    assert_accessible(session)
