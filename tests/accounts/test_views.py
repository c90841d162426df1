from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.enums import OTP_REQUIRED_ROLES, Role
from accounts.seed import DEMO_PASSWORD, DEMO_USERS

pytestmark = pytest.mark.django_db

LANGUAGES = [("zh-hans", "工作台"), ("en", "Workspace")]


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=StringIO())


def test_index_and_login_pages_are_in_chinese_by_default(client):
    index = client.get("/")
    assert index.status_code == 200
    assert "科技副总" in index.content.decode()
    login = client.get("/accounts/login/")
    assert login.status_code == 200
    assert "用户登录" in login.content.decode()


def test_login_page_in_english_when_chosen(client):
    data = {"language": "en", "next": "/accounts/login/"}
    response = client.post(reverse("set_language"), data, follow=True)
    assert response.status_code == 200
    assert "Log in" in response.content.decode()


@pytest.mark.parametrize(("language", "landing_word"), LANGUAGES)
@pytest.mark.parametrize(("username", "roles"), [(u[0], u[3]) for u in DEMO_USERS])
def test_each_demo_user_logs_in_and_reaches_own_landing(
    client, demo, username, roles, language, landing_word
):
    client.cookies["django_language"] = language
    response = client.post(
        reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    if OTP_REQUIRED_ROLES & set(roles):
        # Second step: the code an authenticator app shows for the demo user's device right now.
        assert response.redirect_chain[-1][0].startswith(reverse("accounts:otp-verify"))
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        data = {"token": token, "next": "/home/"}
        response = client.post(reverse("accounts:otp-verify"), data, follow=True)
        assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("core:role-home", args=[roles[0].value])
    body = response.content.decode()
    assert landing_word in body
    assert response.context["role"] == roles[0]


def test_wrong_password_is_refused_with_message(client, demo):
    response = client.post(reverse("accounts:login"), {"username": "kw_wang", "password": "wrong-password-1"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_landing_of_a_role_not_held_is_404(client, demo):
    client.login(username="qy_chen", password=DEMO_PASSWORD)
    assert client.get(reverse("core:role-home", args=[Role.COMMISSION.value])).status_code == 404
    assert client.get(reverse("core:role-home", args=["no-such-role"])).status_code == 404


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_logout_requires_post_and_ends_session(client, demo):
    client.login(username="kw_wang", password=DEMO_PASSWORD)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 302


def test_password_change_records_time(client, demo):
    from accounts.models import User

    client.login(username="zj_zhang", password=DEMO_PASSWORD)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": DEMO_PASSWORD, "new_password1": "Xk9#pqrTuv2w", "new_password2": "Xk9#pqrTuv2w"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="zj_zhang")
    assert user.check_password("Xk9#pqrTuv2w")
    before = User.objects.get(username="kw_wang").password_changed_at
    assert user.password_changed_at > before


def test_seed_demo_is_idempotent(demo):
    from accounts.models import User, UserRole

    users, grants = User.objects.count(), UserRole.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert (User.objects.count(), UserRole.objects.count()) == (users, grants)


def test_menu_shows_only_the_users_roles(client, demo):
    client.login(username="qy_chen", password=DEMO_PASSWORD)
    response = client.get(reverse("core:role-home", args=[Role.ENTERPRISE.value]))
    labels = {str(item["label"]) for item in response.context["portal_menu"]}
    assert "专家推荐" not in labels
