"""User journeys through the real UI in a real Chromium, in Chinese."""

import pytest

from accounts.seed import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def current_code(username: str) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def login(page, username: str) -> None:
    """Log in through the form; staff-side users then pass the two-factor step with their TOTP code."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state("load")
    if page.locator("#otp-verify-form").count():
        page.fill("#otp-verify-form input[name=token]", current_code(username))
        page.click("#otp-verify-form button[type=submit]")


def test_staff_logs_in_sees_chinese_workspace_and_switches_to_english(page, demo_data):
    login(page, "kw_wang")
    page.wait_for_selector("#landing-title")
    assert "区科委工作人员" in page.inner_text("#landing-title")
    page.select_option("#language-select", "en")
    page.wait_for_load_state("load")
    page.wait_for_selector("text=Workspace")
    assert "Science commission staff" in page.inner_text("#landing-title")
    page.click("#user-menu")
    page.click("text=Log out")
    page.wait_for_selector("text=Log in")
