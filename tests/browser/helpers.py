"""Helpers shared by the browser journeys (test_journeys_*.py) and the other browser tests.

One test per journey. Preconditions that are not part of a journey are made with the factories; every
step of the journey itself is a click or a form in the browser. Each actor has their own browser context
(`as_user`: a log-in through the form, with the real two-factor step), so the staff member, the enterprise
and the expert stay logged in side by side. Every page loaded is checked for the accessibility basics (see
conftest.A11Y_SCRIPT) and by axe-core (`assert_accessible`); `assert_phone_layout` checks a phone's
layout; `guide_shot` (conftest) names the screenshots that illustrate docs/guide/
(tests/browser/test_guide.py checks the two agree).
"""

from __future__ import annotations

from accounts.enums import Role
from accounts.seed import DEMO_PASSWORD
from tests.browser.conftest import PHONE
from tests.factories.accounts import UserFactory, otp_device_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def current_code(username: str) -> str:
    """The TOTP code the user's authenticator shows now; when this 30-second step was already used (the
    same user logging in twice quickly), the next step's code, which the one-step tolerance accepts."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    if device.last_t is not None and totp.t() <= device.last_t:
        totp.drift = device.last_t - totp.t() + 1
    return f"{totp.token():0{device.digits}d}"


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the form; staff-side users then pass the two-factor step with their TOTP code."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("load")
    if page.locator("#otp-verify-form").count():
        page.fill("#otp-verify-form input[name=token]", current_code(username))
        page.click("#otp-verify-form button[type=submit]")
        page.wait_for_load_state("load")
    assert "/accounts/login/" not in page.url, page.inner_text("main")


def as_user(session, user, **kwargs):
    """A new browser context with `user` logged in through the login form."""
    page = session.new_page(**kwargs)
    login(page, user.username)
    return page


def staff(role: Role, username: str, full_name: str):
    """A staff-side user with a confirmed TOTP device, as the portal's enrolment leaves them."""
    user = UserFactory(username=username, full_name=full_name, roles=[role])
    otp_device_for(user)
    return user


def reviewer(username: str, name: str, expertise: str, workplace: str):
    """A reviewer in the commission's reviewer pool, with a login that passes the two-factor step."""
    from projects.services import reviewer_upsert

    return reviewer_upsert(
        user=staff(Role.REVIEWER, username, name),
        by=None,
        name=name,
        expertise=expertise,
        institution=None,
        institution_name=workplace,
        expert=None,
        enterprises=(),
        capacity=None,
    )


def submitted_batch(maker, title: str, payments: int):
    """A payment batch `maker` has submitted for finance's approval: `payments` payments of 2,000.00 元."""
    from tests.factories.subsidies import PaymentBatchFactory, PaymentFactory

    batch = PaymentBatchFactory(
        title=title, state="submitted", created_by=maker, control_count=payments,
        control_total=f"{2000 * payments}.00",
    )
    for _ in range(payments):
        PaymentFactory(batch=batch, amount="2000.00", created_by=maker)
    return batch


def fill_form(page, **fields) -> None:
    """Fill in a Django form's fields by name (`#id_<name>`), in the order given, as a user does: the text
    typed in, a select's option picked by its value, a checkbox ticked for True, cleared for False."""
    for name, value in fields.items():
        field = page.locator(f"#id_{name}")
        kind = field.evaluate("field => field.type")
        if kind == "checkbox":
            field.set_checked(value)
        elif kind.startswith("select"):
            field.select_option(value)
        else:
            field.fill(value)


def submit(page, selector: str = "main form button:not([type=button])") -> None:
    """Press the button (the first `selector` matches; by default the page's form's) and wait for the page
    it loads."""
    page.locator(selector).first.click()
    page.wait_for_load_state("load")


def alert_text(page) -> str:
    return " ".join(page.locator("main .alert").all_inner_texts())


def assert_reached(page, record, state: str) -> None:
    """The record, read again, is in `state`; else the page's message says why."""
    record.refresh_from_db()
    assert record.state == state, alert_text(page)


def assert_fits(page) -> None:
    """No horizontal scrolling at the page's viewport width."""
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        culprits = page.evaluate(OVERFLOWING)
        raise AssertionError(
            f"{page.url} overflows the {page.viewport_size['width']}px viewport by {overflow}px: {culprits}"
        )


# The innermost elements that stick out to the right of the viewport (for the failure message).
OVERFLOWING = """[...document.querySelectorAll("main *, header *, nav *")]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + "." + e.className
    + " «" + (e.textContent || "").trim().slice(0, 30) + "»")"""


def assert_phone_layout(session, user, paths: list[str]) -> None:
    """On a 390-px phone the menu collapses behind its toggle button and no page scrolls sideways."""
    phone = as_user(session, user, viewport=PHONE) if user else session.new_page(viewport=PHONE)
    for path in paths:
        phone.goto(path)
        assert_fits(phone)
    toggler, menu = phone.locator("#main-nav-toggle"), phone.locator("#main-nav")
    assert toggler.is_visible() and not menu.is_visible()
    toggler.click()
    menu.wait_for(state="visible")
    assert_fits(phone)


def assert_accessible(session) -> None:
    """The basics (A11Y_SCRIPT) and axe-core's WCAG 2.1 A/AA rules held on every page the test loaded."""
    session.check_pages()
    assert session.axe_pages, "axe-core checked no page"
    assert not session.problems, "\n".join(session.problems)
