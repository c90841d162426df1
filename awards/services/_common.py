"""Helpers shared by the award services (one place, never copied): the checks that raise AwardError,
the staff check, the enterprise a user acts for, the two transitions and the commission's users.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.enums import Role
from core.exceptions import PolicyError
from core.workflow import transition

from ..enums import APPLICATION_TRANSITIONS, CYCLE_TRANSITIONS
from ..exceptions import AwardError
from ..models import AwardApplication, AwardCycle


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise AwardError(message)


def _policy(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except PolicyError as error:
        raise AwardError(str(error)) from error


def _staff(by) -> None:
    _require(by is not None and by.has_role(Role.COMMISSION), _("只有区科委工作人员可以办理年度评选。"))


def enterprise_id_of(user) -> int | None:
    if user is None or not user.has_role(Role.ENTERPRISE):
        return None
    membership = getattr(user, "enterprise_membership", None)
    return membership.enterprise_id if membership is not None else None


def _app_transition(application: AwardApplication, *, to: str, by, reason: str = "", changes=None):
    return transition(
        application, to=to, by=by, allowed=APPLICATION_TRANSITIONS, reason=reason, changes=changes
    )


def _cycle_transition(cycle: AwardCycle, *, to: str, by, reason: str = "", changes=None) -> AwardCycle:
    return transition(cycle, to=to, by=by, allowed=CYCLE_TRANSITIONS, reason=reason, changes=changes)
