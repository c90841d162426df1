"""Portal accounts of the talent pool: an admitted expert's login (the expert role and a one-time
link to set the password) and an institution's nominator.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.enums import Role
from accounts.models import User
from accounts.services import role_grant
from core.audit import audit
from core.http import site_url
from core.mail import mail_queue

from ..models import Expert, Institution


def _username_for(expert: Expert) -> str:
    base = f"expert{expert.pk}"
    candidate, n = base, 1
    while User.objects.filter(username=candidate).exists():
        n += 1
        candidate = f"{base}_{n}"
    return candidate


@transaction.atomic
def expert_invite(*, expert: Expert, by) -> User:
    """Give the expert a login (or reuse theirs), grant Role.EXPERT, and email a one-time link to set
    the password (Django's password-reset token: void once the password is set or after
    PASSWORD_RESET_TIMEOUT)."""
    user = expert.user
    if user is None:
        user = User(
            username=_username_for(expert), full_name=expert.name, email=expert.email, phone=expert.phone
        )
        user.set_unusable_password()
        user.save()
        expert.user = user
        expert.save(update_fields=["user", "updated_at"])
    role_grant(user=user, role=Role.EXPERT, by=by)
    audit(by, "expert.invite", expert, summary=user.username)
    if user.email:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = site_url() + reverse("experts:invite-confirm", args=[uid, token])
        days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
        subject = _("昌平区“科技副总”专家人才库：入库通知及账号激活")
        body = _(
            "%(name)s 您好：\n\n您已入选昌平区“科技副总”专家人才库。"
            "请通过以下链接设置登录密码（链接仅可使用一次，%(days)s天内有效）：\n\n%(link)s\n\n登录用户名：%(username)s\n\n昌平区科学技术委员会"
        ) % {"name": expert.name, "link": link, "username": user.username, "days": days}
        mail_queue(subject, body, [user.email])
    return user


# Institutions ---------------------------------------------------------------------------------------


@transaction.atomic
def institution_member_set(*, user: User, institution: Institution, by, position: str = ""):
    """Make `user` a nominator of `institution` (a user belongs to one institution)."""
    from ..models import InstitutionMember

    member, _created = InstitutionMember.objects.update_or_create(
        user=user, defaults={"institution": institution, "position": position}
    )
    role_grant(user=user, role=Role.NOMINATOR, by=by)
    audit(by, "institution.member_set", institution, summary=user.username)
    return member
