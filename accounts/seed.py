"""Demo users, one per role of SPEC §2 (the three administrators are three different people)."""

from __future__ import annotations

from base64 import b32encode

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .enums import OTP_REQUIRED_ROLES, Role, WorkingGroupUnit
from .models import User
from .services import role_grant

DEMO_PASSWORD = "Changping@2026"
# The TOTP secret of every demo user who needs a second factor (RFC 6238's test key, base32
# GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ): add it to an authenticator app, or run `manage.py demo_otp`.
DEMO_TOTP_KEY = "3132333435363738393031323334353637383930"
DEMO_TOTP_SECRET = b32encode(bytes.fromhex(DEMO_TOTP_KEY)).decode()

# username, full name, email, roles, working-group unit
DEMO_USERS: list[tuple[str, str, str, tuple[Role, ...], str]] = [
    ("kw_wang", "王晓峰", "wangxf@kjw.changping.gov.cn", (Role.COMMISSION,), WorkingGroupUnit.COMMISSION),
    ("rcb_li", "李静", "lijing@rcb.changping.gov.cn", (Role.TALENT_OFFICE,), ""),
    ("czj_zhao", "赵敏", "zhaomin@czj.changping.gov.cn", (Role.FINANCE,), WorkingGroupUnit.FINANCE),
    ("tj_cup", "刘建国", "liujg@cup.edu.cn", (Role.NOMINATOR,), ""),
    ("zj_zhang", "张明远", "zhangmy@cup.edu.cn", (Role.EXPERT,), ""),
    ("qy_chen", "陈思远", "chensy@tianyuan-bio.com.cn", (Role.ENTERPRISE,), ""),
    ("ps_sun", "孙立平", "sunlp@ncepu.edu.cn", (Role.REVIEWER,), ""),
    ("wg_rsj", "周红", "zhouhong@rsj.changping.gov.cn", (Role.WORKING_GROUP,), WorkingGroupUnit.HR_SOCIAL),
    ("aq_admin", "吴刚", "wugang@kjw.changping.gov.cn", (Role.SECURITY_ADMIN,), ""),
    ("sj_admin", "郑丽", "zhengli@kjw.changping.gov.cn", (Role.AUDIT_ADMIN,), ""),
    ("xt_admin", "冯涛", "fengtao@kjw.changping.gov.cn", (Role.SYSTEM_ADMIN,), ""),
]


def seed(stdout) -> dict[str, User]:
    users = {}
    for username, full_name, email, roles, unit in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "email": email, "working_group_unit": unit},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.password_changed_at = timezone.now()
            user.save()
        for role in roles:
            role_grant(user=user, role=role, by=None)
        needs_otp = bool(OTP_REQUIRED_ROLES & set(roles))
        if needs_otp and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="演示验证器", key=DEMO_TOTP_KEY, confirmed=True)
        users[username] = user
    stdout.write(f"  accounts: {len(users)} demo users")
    return users
