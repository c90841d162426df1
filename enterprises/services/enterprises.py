"""Enterprises: public registration, changes to the registered data, the commission's verification
(or rejection, and the enterprise's resubmission) and the enterprise's members.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from accounts.models import User
from accounts.selectors import commission_users
from accounts.services import role_grant
from core.audit import audit
from core.identifiers import is_valid_uscc
from core.notifications import Msg, UserText, notification_send
from core.workflow import transition

from .. import policy
from ..enums import ENTERPRISE_TRANSITIONS, EnterpriseState, VerificationGround
from ..exceptions import EnterpriseError
from ..models import Enterprise, EnterpriseMember
from ._common import _notify_enterprise

ENTERPRISE_FIELDS = (
    "name",
    "uscc",
    "registered_address",
    "in_changping",
    "changping_address",
    "changping_evidence",
    "industry",
    "qualifications",
    "size",
    "employee_count",
    "rd_staff_count",
    "description",
    "contact_name",
    "contact_phone",
    "contact_email",
)


def check_uscc(code: str, *, exclude_pk: int | None = None) -> str:
    """The code upper-cased, or EnterpriseError when it is malformed or already registered."""
    code = (code or "").strip().upper()
    if not is_valid_uscc(code):
        raise EnterpriseError(_("统一社会信用代码“%(code)s”无效：应为18位，且校验位正确。") % {"code": code})
    taken = Enterprise.objects.filter(uscc=code)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise EnterpriseError(_("统一社会信用代码“%(code)s”已被其他企业注册。") % {"code": code})
    return code


def enterprise_register(
    *, username: str, password: str, full_name: str, email: str, phone: str, data: dict
) -> tuple[User, Enterprise]:
    """Public sign-up: a new user, their enterprise (state registered) and the user as its administrator."""
    data = {k: data[k] for k in ENTERPRISE_FIELDS if k in data}
    data["uscc"] = check_uscc(data.get("uscc", ""))
    if User.objects.filter(username=username).exists():
        raise EnterpriseError(_("用户名“%(u)s”已被使用，请换一个。") % {"u": username})
    if Enterprise.objects.filter(name=data.get("name", "")).exists():
        raise EnterpriseError(
            _("企业“%(n)s”已注册；如需加入，请联系该企业的管理员添加账号。") % {"n": data["name"]}
        )
    try:
        with transaction.atomic():
            user = User(username=username, full_name=full_name, email=email, phone=phone)
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise EnterpriseError(" ".join(exc.messages)) from exc
            user.set_password(password)
            user.password_changed_at = timezone.now()
            user.save()
            enterprise = Enterprise.objects.create(**data)
            EnterpriseMember.objects.create(enterprise=enterprise, user=user, is_admin=True, added_by=user)
            role_grant(user=user, role=Role.ENTERPRISE, by=None)
            enterprise.transitions.create(from_state="", to_state=EnterpriseState.REGISTERED, actor=user)
            audit(user, "enterprise.register", enterprise, summary=enterprise.name)
            link = reverse("enterprises:enterprise-detail", args=[enterprise.pk])
            dedupe = f"enterprise-registered:{enterprise.pk}:{enterprise.transitions.count()}"
            for staff in commission_users():
                notification_send(
                    recipient=staff,
                    title=Msg(gettext_lazy("新企业注册待认证：%(n)s"), n=enterprise.name),
                    link=link,
                    dedupe_key=dedupe,
                )
    except IntegrityError as exc:
        raise EnterpriseError(_("注册未成功：企业名称或统一社会信用代码已被注册。")) from exc
    return user, enterprise


def enterprise_update(*, enterprise: Enterprise, by, data: dict) -> Enterprise:
    """Change the enterprise's data; name and credit code only while it is not verified."""
    data = {k: v for k, v in data.items() if k in ENTERPRISE_FIELDS}
    if enterprise.state == EnterpriseState.VERIFIED:
        for locked in ("name", "uscc"):
            if locked in data and data[locked] != getattr(enterprise, locked):
                raise EnterpriseError(_("已认证企业的名称和统一社会信用代码不能自行修改，请联系区科委。"))
            data.pop(locked, None)
    if "uscc" in data:
        data["uscc"] = check_uscc(data["uscc"], exclude_pk=enterprise.pk)
    try:
        with transaction.atomic():
            for name, value in data.items():
                setattr(enterprise, name, value)
            enterprise.save()
            audit(by, "enterprise.update", enterprise, summary=enterprise.name)
    except IntegrityError as exc:
        enterprise.refresh_from_db()
        raise EnterpriseError(_("保存未成功：企业名称或统一社会信用代码已被其他企业注册。")) from exc
    return enterprise


def enterprise_verification_ground(enterprise: Enterprise) -> str | None:
    """The ground on which `enterprise` may be verified as a Changping enterprise (policy.verification_ground
    over its stored data)."""
    return policy.verification_ground(
        uscc=enterprise.uscc,
        changping_address=enterprise.changping_address,
        has_evidence=bool(enterprise.changping_evidence),
    )


def enterprise_verify(
    *, enterprise: Enterprise, by, confirm_evidence: bool = False, reason: str = ""
) -> Enterprise:
    """Verify a Changping enterprise (SPEC §4): its credit code's division code is 110114, or it shows an
    operating address in 昌平 and an uploaded document that staff confirm explicitly (`confirm_evidence`)
    with a `reason`. Anything else is refused with a message naming 昌平, nothing changed."""
    if not is_valid_uscc(enterprise.uscc):
        raise EnterpriseError(_("该企业的统一社会信用代码校验不通过，不能认证。"))
    reason = (reason or "").strip()
    ground = enterprise_verification_ground(enterprise)
    code = policy.division_code(enterprise.uscc)
    if ground is None:
        raise EnterpriseError(
            _(
                "只有昌平区科技型企业可以认证：该企业统一社会信用代码的行政区划码（第3–8位）为%(code)s，"
                "不是昌平区（110114），也没有提供在昌平区的经营地址和证明材料。"
            )
            % {"code": code}
        )
    if ground == VerificationGround.CHANGPING_EVIDENCE and not (confirm_evidence and reason):
        raise EnterpriseError(
            _(
                "该企业统一社会信用代码的行政区划码为%(code)s，不是昌平区（110114）；依据其在昌平区经营的"
                "证明材料认证时，须勾选确认已核实材料并填写理由。"
            )
            % {"code": code}
        )
    if ground == VerificationGround.DIVISION_CODE:
        reason = ""
    return _verification_decide(
        enterprise,
        to=EnterpriseState.VERIFIED,
        by=by,
        reason=reason,
        changes={
            "verified_at": timezone.now(),
            "rejection_reason": "",
            "verification_ground": ground,
            "verification_reason": reason,
        },
        title=Msg(gettext_lazy("企业认证已通过：%(n)s"), n=enterprise.name),
        body=Msg(gettext_lazy("贵企业已通过区科委认证，可以发布需求、邀请专家。")),
    )


def enterprise_reject(*, enterprise: Enterprise, by, reason: str) -> Enterprise:
    reason = (reason or "").strip()
    if not reason:
        raise EnterpriseError(_("请填写未通过认证的原因。"))
    return _verification_decide(
        enterprise,
        to=EnterpriseState.REJECTED,
        by=by,
        reason=reason,
        changes={"rejection_reason": reason},
        title=Msg(gettext_lazy("企业认证未通过：%(n)s"), n=enterprise.name),
        body=UserText(reason),
    )


def _verification_decide(
    enterprise: Enterprise, *, to: str, by, reason: str, changes: dict, title: Msg, body: Msg | UserText
) -> Enterprise:
    """The commission's decision on the enterprise's verification (`to`), told to its members."""
    with transaction.atomic():
        transition(enterprise, to=to, by=by, allowed=ENTERPRISE_TRANSITIONS, reason=reason, changes=changes)
        link = reverse("enterprises:enterprise-detail", args=[enterprise.pk])
        _notify_enterprise(enterprise, title=title, body=body, link=link)
    return enterprise


def enterprise_resubmit(*, enterprise: Enterprise, by) -> Enterprise:
    """A rejected enterprise, after correcting its data, asks for verification again."""
    with transaction.atomic():
        transition(enterprise, to=EnterpriseState.REGISTERED, by=by, allowed=ENTERPRISE_TRANSITIONS)
        link = reverse("enterprises:enterprise-detail", args=[enterprise.pk])
        for staff in commission_users():
            notification_send(
                recipient=staff,
                title=Msg(gettext_lazy("企业重新提交认证：%(n)s"), n=enterprise.name),
                link=link,
            )
    return enterprise


def enterprise_member_add(
    *,
    enterprise: Enterprise,
    by,
    username: str,
    password: str,
    full_name: str,
    email: str,
    phone: str = "",
    position: str = "",
) -> EnterpriseMember:
    """The enterprise administrator adds a colleague (a new login with the enterprise role)."""
    if not EnterpriseMember.objects.filter(enterprise=enterprise, user=by, is_admin=True).exists():
        raise EnterpriseError(_("只有企业管理员可以添加同事账号。"))
    if enterprise.state != EnterpriseState.VERIFIED:
        raise EnterpriseError(_("企业通过认证后才能添加同事账号。"))
    if User.objects.filter(username=username).exists():
        raise EnterpriseError(_("用户名“%(u)s”已被使用，请换一个。") % {"u": username})
    user = User(username=username, full_name=full_name, email=email, phone=phone)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise EnterpriseError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        user.set_password(password)
        user.save()
        member = EnterpriseMember.objects.create(
            enterprise=enterprise, user=user, position=position, added_by=by
        )
        role_grant(user=user, role=Role.ENTERPRISE, by=by)
        audit(by, "enterprise.member_add", enterprise, summary=username)
        notification_send(
            recipient=user,
            title=Msg(gettext_lazy("您已加入企业“%(n)s”的平台账号"), n=enterprise.name),
            body=Msg(
                gettext_lazy("用户名：%(u)s。初始密码由企业管理员告知，首次登录后请修改密码。"), u=username
            ),
            link=reverse("accounts:login"),
        )
    return member
