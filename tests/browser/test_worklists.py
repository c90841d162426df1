"""Issue 16 item 1 in the browser: each role logs in, reads its work list (待办) on the landing page and
completes the first item through the list — one click from the list to the page where it is done — and
the item is gone afterwards. The guide's landing-page screenshots (`<role>-worklist`) come from here.

Preconditions come from the factories (one task per role); every step of the journey is a click or a form.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from accounts.enums import Role, WorkingGroupUnit
from accounts.seed import DEMO_PASSWORD
from tests.browser.conftest import guide_shot
from tests.browser.helpers import (
    alert_text,
    as_user,
    assert_accessible,
    assert_reached,
    staff,
    submit,
    submitted_batch,
)
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def warm_live_server(live_server, reference_data):
    """The live server's first page (templates, translations) can take longer than a page's 8-second
    timeout on a loaded machine: load it once before the journey starts."""
    from urllib.request import urlopen

    with urlopen(f"{live_server.url}/accounts/login/", timeout=60) as response:
        assert response.status == 200


def read_worklist(page, role: Role) -> list[str]:
    """Open the role's landing page; the kinds of task its work list shows, in order."""
    page.goto(f"/home/{role.value}/")
    page.wait_for_selector("#worklist")
    return page.locator("#worklist .worklist-group").evaluate_all("els => els.map(e => e.dataset.kind)")


def open_first_item(page) -> str:
    """Click the first item of the work list; returns the link it followed."""
    link = page.locator("#worklist .worklist-link").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_load_state("load")
    return href


def confirm_if_asked(page) -> None:
    """Money and irreversible actions may ask for a confirmation page (issue 16 item 3): confirm it."""
    button = page.locator("#confirm-button")  # core/confirm.html: answered at the action's own URL
    if button.count():
        button.first.click()
        page.wait_for_load_state("load")


def assert_done_and_gone(page, role: Role, record, state: str) -> None:
    """The item's record reached `state` (else the page's message says why) and the role's work list is
    empty again."""
    assert type(record).objects.get(pk=record.pk).state == state, alert_text(page)
    assert read_worklist(page, role) == []


def complete_first_item(page, role: Role, *, href: str, button: str, record, state: str) -> None:
    """Follow the work list's first item to `href`, press `button` there: the record reaches `state` and
    the item is gone from the list."""
    assert open_first_item(page) == href
    submit(page, button)
    assert_done_and_gone(page, role, record, state)


def complete_only_item(page, role: Role, *, kind: str, shot: str, href: str, button: str, record, state: str):
    """The role's work list shows one task, of `kind` (the guide's screenshot `shot` is taken of it);
    completing it through the list (complete_first_item) empties the list."""
    assert read_worklist(page, role) == [kind]
    guide_shot(page, shot)
    complete_first_item(page, role, href=href, button=button, record=record, state=state)


def test_commission_verifies_an_enterprise_from_its_work_list(session, reference_data):
    from tests.factories.enterprises import EnterpriseFactory

    enterprise = EnterpriseFactory(name="北京昌科智能装备有限公司", state="registered")
    kw = as_user(session, staff(Role.COMMISSION, "kw_zhou", "周科委"))
    assert read_worklist(kw, Role.COMMISSION) == ["enterprise-verify"]
    assert kw.locator("#worklist").get_by_text("办理时限").count() == 1
    guide_shot(kw, "staff-worklist")
    complete_first_item(
        kw, Role.COMMISSION, href=f"/enterprises/{enterprise.pk}/",
        button="#verify-btn", record=enterprise, state="verified",
    )
    assert kw.locator("#worklist-empty").is_visible()
    assert_accessible(session)


def test_talent_office_files_a_project_on_its_own_page(session, reference_data):
    from projects.models import Project
    from tests.factories import projects as pf

    project = pf.project(state="accepted", title="手术机器人力反馈控制系统研发")
    Project.objects.filter(pk=project.pk).update(state="approved", decided_at=timezone.now())
    to = as_user(session, staff(Role.TALENT_OFFICE, "rcb_zhao", "赵人才"))
    assert read_worklist(to, Role.TALENT_OFFICE) == ["project-file"]
    guide_shot(to, "talent-office-worklist")
    assert open_first_item(to) == f"/projects/{project.pk}/#filing"
    to.fill("#filing input[name=number]", "昌人才备〔2026〕31号")
    to.fill("#filing input[name=filed_on]", timezone.localdate().isoformat())
    submit(to, "#filing button:has-text('备案')")
    assert_reached(to, project, "filed")
    assert to.url.endswith(f"/projects/{project.pk}/")
    assert read_worklist(to, Role.TALENT_OFFICE) == []
    assert_accessible(session)


def test_finance_approves_a_batch_from_its_work_list(session, reference_data):
    from subsidies.models import PaymentBatch

    batch = submitted_batch(staff(Role.COMMISSION, "kw_sun", "孙科委"), "2026年11月人才生活补贴", payments=2)
    fin = as_user(session, staff(Role.FINANCE, "czj_qian", "钱财政"))
    assert read_worklist(fin, Role.FINANCE) == ["batch-approve"]
    assert "4,000.00 元" in fin.inner_text("#worklist")
    guide_shot(fin, "finance-worklist")
    assert open_first_item(fin) == f"/subsidies/batches/{batch.pk}/"
    submit(fin, "main button:has-text('审核通过')")
    confirm_if_asked(fin)
    assert PaymentBatch.objects.get(pk=batch.pk).state == "approved", alert_text(fin)
    assert read_worklist(fin, Role.FINANCE) == ["batch-pay"]
    assert_accessible(session)


def test_nominator_submits_a_draft_from_its_work_list(session, reference_data):
    from tests.factories import experts as ef

    by = ef.nominator(user=UserFactory(username="tj_liu", full_name="刘推荐", roles=[Role.NOMINATOR]))
    draft = ef.make_nomination(by=by, name="李文博")
    complete_only_item(
        as_user(session, by), Role.NOMINATOR, kind="nomination-draft", shot="institution-worklist",
        href=f"/experts/nominations/{draft.pk}/", button="#submit-nomination", record=draft,
        state="submitted",
    )
    assert_accessible(session)


def test_expert_answers_an_invitation_from_its_work_list(session, reference_data):
    from tests.factories.enterprises import DemandFactory, IntentFactory, expert_user

    expert = expert_user(name="林书恒")
    intent = IntentFactory(
        expert=expert,
        demand=DemandFactory(title="储能电站热管理设计", enterprise__name="北京昌能储能技术有限公司"),
    )
    complete_only_item(
        as_user(session, expert.user), Role.EXPERT, kind="intent-answer", shot="expert-worklist",
        href=f"/enterprises/intents/{intent.pk}/", button="#accept-btn", record=intent, state="accepted",
    )
    assert_accessible(session)


def test_enterprise_answers_an_application_from_its_work_list(session, reference_data):
    from tests.factories.enterprises import DemandFactory, EnterpriseFactory, IntentFactory, expert_user

    enterprise = EnterpriseFactory(name="北京未来智造装备有限公司")
    intent = IntentFactory(
        expert=expert_user(name="郑凯"),
        initiator="expert",
        demand=DemandFactory(enterprise=enterprise, title="焊接机器人视觉引导"),
    )
    complete_only_item(
        as_user(session, enterprise.admin_user), Role.ENTERPRISE, kind="intent-answer",
        shot="enterprise-worklist", href=f"/enterprises/intents/{intent.pk}/", button="#accept-btn",
        record=intent, state="accepted",
    )
    assert_accessible(session)


def test_reviewer_scores_an_application_from_its_work_list(session, reference_data):
    from projects import services
    from projects.models import ReviewAssignment
    from tests.browser.helpers import reviewer
    from tests.factories import projects as pf

    member = reviewer("ps_qian", "钱评审", "抗体 药物 生物医药", "北京协和医学院")
    rnd = pf.review_round(reviewers_per_application=1)
    pf.project(state="accepted", round=rnd, title="抗体偶联药物工艺开发")
    chief = pf.commission()
    services.round_assign(round=rnd, by=chief)
    services.round_open(round=rnd, by=chief)
    assignment = ReviewAssignment.objects.get(reviewer=member)
    rv = as_user(session, member.user)
    assert read_worklist(rv, Role.REVIEWER) == ["review-score"]
    guide_shot(rv, "reviewer-worklist")
    assert open_first_item(rv) == f"/projects/reviews/{assignment.pk}/"
    fields = rv.locator("main form input[type=number]")
    for i, value in enumerate((26, 21, 17, 12, 8)):
        fields.nth(i).fill(str(value))
    rv.fill("textarea[name=comment]", "技术路线清晰，需求契合度高。")
    submit(rv, "main button[value=submit]")
    confirm_if_asked(rv)
    assert_done_and_gone(rv, Role.REVIEWER, assignment, "submitted")
    assert_accessible(session)


def test_working_group_reads_its_figures_and_opens_the_dashboard(session, reference_data):
    user = UserFactory(
        username="wg_hr",
        full_name="吴人社",
        roles=[Role.WORKING_GROUP],
        working_group_unit=WorkingGroupUnit.HR_SOCIAL,
    )
    wg = as_user(session, user)
    assert read_worklist(wg, Role.WORKING_GROUP) == ["wg-figures"]
    assert "区人力社保局" in wg.inner_text("#worklist")
    assert open_first_item(wg) == "/dashboard/"
    assert wg.locator("a[href^='/subsidies/budgets/']").count() == 0  # no link to a closed door
    assert_accessible(session)


def test_security_admin_releases_a_lockout_from_its_work_list(session, reference_data):
    from axes.models import AccessAttempt
    from django.conf import settings

    AccessAttempt.objects.create(
        username="qy_wrong",
        ip_address="10.0.0.8",
        user_agent="test",
        path_info="/accounts/login/",
        get_data="",
        post_data="",
        http_accept="*/*",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )
    sec = as_user(session, staff(Role.SECURITY_ADMIN, "aq_wu", "吴安全"))
    assert read_worklist(sec, Role.SECURITY_ADMIN)[0] == "lockout-release"
    assert open_first_item(sec) == "/accounts/lockouts/"
    submit(sec, "main button:has-text('解锁')")
    assert "lockout-release" not in read_worklist(sec, Role.SECURITY_ADMIN)
    assert_accessible(session)


def test_audit_and_system_administrators_open_their_first_item(session, reference_data):
    aud = as_user(session, staff(Role.AUDIT_ADMIN, "sj_he", "何审计"))
    assert read_worklist(aud, Role.AUDIT_ADMIN) == ["audit-review"]
    assert open_first_item(aud).startswith("/audit/")
    assert aud.locator("h1").count() == 1 and "/audit/" in aud.url
    sys_admin = as_user(session, staff(Role.SYSTEM_ADMIN, "xt_he", "何系统"))
    assert read_worklist(sys_admin, Role.SYSTEM_ADMIN) == ["system-accounts"]
    assert open_first_item(sys_admin).startswith("/admin/accounts/user/")
    assert "/admin/accounts/user/" in sys_admin.url
    # Django's own admin pages (the search box of its change list) are outside the portal's templates.
    session.problems = [p for p in session.problems if not p.startswith("A11Y /admin/")]
    assert_accessible(session)


def test_the_otp_page_shows_no_menu_and_no_bell(session, reference_data):
    from core.models import Notification

    user = staff(Role.COMMISSION, "kw_feng", "冯科委")
    Notification.objects.create(recipient=user, title="新的专家推荐：郑凯", link="/experts/nominations/1/")
    page = session.new_page()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_selector("#otp-verify-form")
    assert page.locator("#main-nav .nav-link").count() == 0
    assert page.locator("a[href='/notifications/']").count() == 0
