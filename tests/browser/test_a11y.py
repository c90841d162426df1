"""Accessibility beyond the journeys (issue 16 item 11): axe-core (WCAG 2.1 A and AA rules) over every
demo role's landing page, its menu's pages and the first record each list links to, on the demo data;
the anonymous pages; the skip link; focus on the error summary after a failed submit; the 200 % zoom
reflow of the wide tables.

axe itself runs from conftest (`Session`) on every document any browser test loads; this module checks
that the checkers report what they should, then only chooses the pages. The count of pages checked is
printed (`-s`) for the record.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import assert_accessible, assert_fits, login

pytestmark = pytest.mark.browser

# One demo user per role (accounts.seed.DEMO_USERS); staff-side users pass the real two-factor form.
ROLE_USERS = [
    "kw_wang",  # commission
    "rcb_li",  # talent office
    "czj_zhao",  # finance
    "tj_cup",  # nominator
    "zj_zhang",  # expert
    "qy_chen",  # enterprise
    "ps_sun",  # reviewer
    "wg_rsj",  # working group
    "aq_admin",  # security administrator
    "sj_admin",  # audit administrator
    "xt_admin",  # system administrator
]
PUBLIC_PATHS = ["/", "/accounts/login/", "/accounts/password-reset/", "/enterprises/register/"]
# Menu targets that are downloads or leave the portal, not pages.
NOT_PAGES = (".xlsx", ".pdf", ".csv", "/export/", "/download", "/admin/")

# The first link inside a list's table or card list: one record's page per list.
FIRST_RECORD = """() => {
  const a = document.querySelector("main table tbody a[href^='/'], main .list-group a[href^='/']");
  return a ? a.getAttribute("href") : null;
}"""
MENU_LINKS = """() => [...document.querySelectorAll(
  "#main-nav a[href^='/'], main a.card-link[href^='/'], main .card a.stretched-link[href^='/'], "
  + "#notification-bell, header .dropdown-menu a[href^='/']"
)].map(a => a.getAttribute("href"))"""
# A list's form for a new record ("新建…" buttons), besides its first record.
NEW_FORM = """() => {
  const a = document.querySelector("main a[href$='/new/']");
  return a ? a.getAttribute("href") : null;
}"""
# Forms reached from a record's own page rather than from a list.
EXTRA_PAGES = {"zj_zhang": ["/experts/me/", "/experts/me/edit/"]}


def _is_page(path: str) -> bool:
    return not any(marker in path for marker in NOT_PAGES)


def _crawl_role(page, username: str) -> list[str]:
    """Landing page, every menu page and the first record of each: the paths visited."""
    login(page, username)
    landing = urlsplit(page.url).path
    visited = [landing]
    menu = [p for p in dict.fromkeys(page.evaluate(MENU_LINKS)) if _is_page(p) and p != landing]
    for path in menu:
        response = page.goto(path)
        visited.append(path)
        status = response.status if response is not None else None
        assert response is not None and response.ok, f"{username}: {path} answered {status}"
        for linked in (page.evaluate(FIRST_RECORD), page.evaluate(NEW_FORM)):
            if linked and _is_page(linked) and linked not in visited and linked not in menu:
                page.goto(linked)
                visited.append(linked)
    for path in EXTRA_PAGES.get(username, []):
        assert page.goto(path).ok, f"{username}: {path}"
        visited.append(path)
    return visited


# 200 % browser zoom of a 1366-px window is a 683-px wide viewport (WCAG 1.4.10 reflow).
ZOOM_200 = {"width": 683, "height": 384}


def _term_report_path(username: str) -> str:
    """The term report (the page with the indicator rows) of an appointment the user may draft it for."""
    from accounts.models import User
    from terms.selectors import appointment_list

    user = User.objects.get(username=username)
    appointment = next(a for a in appointment_list(user=user) if user.has_perm("terms.draft_report", a))
    return f"/terms/{appointment.pk}/report/"


def test_accessibility_check_reports_what_it_should(session):
    """The checkers every journey relies on: a page with two <h1>, an unlabelled field and an empty title
    is reported; labelled, hidden, submit and csrf fields are not; axe-core reports the same page's WCAG
    violations (the unlabelled fields, the missing lang) and none on a clean page, although the page's
    CSP allows no inline script."""
    page = session.new_page()
    bad = (
        "<html><head><title></title></head><body><h1>a</h1><h1>b</h1>"
        "<form><input type=hidden name=csrfmiddlewaretoken><input type=submit>"
        "<label for=ok>名称</label><input id=ok name=ok><label>包裹<input name=wrapped></label>"
        "<input name=aria aria-label=说明><input name=orphan><select name=orphan_select></select>"
        "<input name=invisible style='display:none'></form></body></html>"
    )
    good = "<html lang=zh><head><title>标题</title></head><body><main><h1>一个</h1></main></body></html>"
    csp = {"Content-Security-Policy": "script-src 'self'; style-src 'self' 'unsafe-inline'"}
    page.route("**/a11y-bad", lambda route: route.fulfill(body=bad, content_type="text/html", headers=csp))
    page.route("**/a11y-good", lambda route: route.fulfill(body=good, content_type="text/html", headers=csp))
    page.goto("/a11y-good")
    session.check_pages()  # these pages are answered by page.route, so the session's route does not wait
    page.goto("/a11y-bad")
    page.wait_for_function("document.readyState === 'complete'")
    session.check_pages()
    basics = [p for p in session.problems if p.startswith("A11Y ")]
    assert len(basics) == 1, session.problems
    problem = basics[0]
    assert "empty <title>" in problem and "2 <h1>" in problem
    assert "name=orphan;" in problem and "name=orphan_select" in problem
    for fine in ("name=ok", "name=wrapped", "name=aria", "csrf", "name=invisible"):
        assert fine not in problem
    axe = [p for p in session.problems if p.startswith("AXE ")]
    assert any(p.startswith("AXE /a11y-bad: label ") and "orphan" in p for p in axe), axe
    assert any(p.startswith("AXE /a11y-bad: html-has-lang ") for p in axe), axe
    assert not [p for p in axe if p.startswith("AXE /a11y-good")], axe
    assert {"/a11y-good", "/a11y-bad"} <= set(session.axe_pages)
    session.problems.clear()


def test_axe_over_every_demo_role(session, demo_data):
    visited = []
    anonymous = session.new_page()
    for path in PUBLIC_PATHS:
        anonymous.goto(path)
        visited.append(path)
    for username in ROLE_USERS:
        visited += _crawl_role(session.new_page(), username)

    # The wide tables reflow at 200 % zoom: they scroll inside their box, not the page.
    zoomed = session.new_page(viewport=ZOOM_200)
    login(zoomed, "kw_wang")
    for path in ("/awards/", "/subsidies/batches/", "/experts/pool/"):
        zoomed.goto(path)
        assert_fits(zoomed)
    enterprise = session.new_page(viewport=ZOOM_200)
    login(enterprise, "qy_chen")
    for path in ("/awards/", _term_report_path("qy_chen")):
        response = enterprise.goto(path)
        assert response.ok, (path, response.status)
        assert_fits(enterprise)
        visited.append(path)
    session.check_pages()
    print(f"\naxe-core checked {len(session.axe_pages)} pages, {len(session.problems)} problems")
    assert len(session.axe_pages) >= len(visited) * 0.9, (len(session.axe_pages), len(visited))
    assert_accessible(session)


def test_keyboard_skip_link_and_error_summary_focus(session, reference_data):
    """The first Tab stop is the skip link, which moves the focus to the content; after a failed submit
    the focus is on the error summary (set by static/js/portal.js under the portal's CSP), and its link
    takes the focus to the field."""
    page = session.new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"

    page.goto("/accounts/login/")
    page.fill("input[name=username]", "nobody")
    page.fill("input[name=password]", "wrong-password")
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert "需要修改" in page.inner_text("#error-summary")
    assert_accessible(session)
