"""Roles of SPEC §2. A user may hold several; the three administrators are mutually exclusive."""

from django.db import models
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    COMMISSION = "commission", pgettext_lazy("role", "区科委工作人员")
    TALENT_OFFICE = "talent_office", pgettext_lazy("role", "区人才工作领导小组办公室")
    FINANCE = "finance", pgettext_lazy("role", "区财政局")
    NOMINATOR = "nominator", pgettext_lazy("role", "推荐单位")
    EXPERT = "expert", pgettext_lazy("role", "专家")
    ENTERPRISE = "enterprise", pgettext_lazy("role", "企业")
    REVIEWER = "reviewer", pgettext_lazy("role", "评审专家")
    WORKING_GROUP = "working_group", pgettext_lazy("role", "专项工作组成员单位")
    SECURITY_ADMIN = "security_admin", pgettext_lazy("role", "安全管理员")
    AUDIT_ADMIN = "audit_admin", pgettext_lazy("role", "审计管理员")
    SYSTEM_ADMIN = "system_admin", pgettext_lazy("role", "系统管理员")


# 三员分立: nobody holds two of these.
ADMIN_ROLES = frozenset({Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN})

# Roles working inside government (password age and two-factor rules apply to them).
STAFF_SIDE_ROLES = frozenset(
    {Role.COMMISSION, Role.TALENT_OFFICE, Role.FINANCE, Role.WORKING_GROUP, Role.REVIEWER} | ADMIN_ROLES
)

# Roles that must pass a second factor (TOTP) after the password (等保 2.0 8.1.4.1 d: two factors for
# administrators and for users handling payments, reviews and personal data).
OTP_REQUIRED_ROLES = frozenset(
    {Role.COMMISSION, Role.TALENT_OFFICE, Role.FINANCE, Role.REVIEWER} | ADMIN_ROLES
)

# The order in which a user's landing page is chosen when they hold several roles.
ROLE_PRIORITY = (
    Role.COMMISSION,
    Role.TALENT_OFFICE,
    Role.FINANCE,
    Role.WORKING_GROUP,
    Role.REVIEWER,
    Role.NOMINATOR,
    Role.ENTERPRISE,
    Role.EXPERT,
    Role.SECURITY_ADMIN,
    Role.AUDIT_ADMIN,
    Role.SYSTEM_ADMIN,
)


class WorkingGroupUnit(models.TextChoices):
    """Member departments of the special working group (policy 六(一)1)."""

    COMMISSION = "kjw", pgettext_lazy("unit", "区科委")
    TALENT_BUREAU = "rcj", pgettext_lazy("unit", "区人才工作局")
    HR_SOCIAL = "rsj", pgettext_lazy("unit", "区人力社保局")
    FINANCE = "czj", pgettext_lazy("unit", "区财政局")
    FUTURE_SCIENCE_CITY = "wlkxc", pgettext_lazy("unit", "未来科学城管委会（生命园管委会）")
    ZGC_CHANGPING = "zgccp", pgettext_lazy("unit", "中关村科技园区昌平园管委会")
