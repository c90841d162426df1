"""Helpers shared by the enterprise services (one place, never copied): the commission's users, a
notification to every member of an enterprise, and the check that an enterprise is verified.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.notifications import Msg, UserText, notification_send

from ..enums import EnterpriseState
from ..exceptions import EnterpriseError
from ..models import Enterprise


def _notify_enterprise(
    enterprise: Enterprise, *, title: Msg, body: Msg | UserText = "", link: str = "", dedupe: str = ""
):
    for member in enterprise.members.select_related("user"):
        notification_send(
            recipient=member.user,
            title=title,
            body=body,
            link=link,
            dedupe_key=f"{dedupe}:{member.user_id}" if dedupe else "",
        )


def _require_verified(enterprise: Enterprise) -> None:
    if enterprise.state != EnterpriseState.VERIFIED:
        raise EnterpriseError(_("企业尚未通过区科委认证，暂不能办理此项业务。"))
