from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from core.navigation import MenuItem, Panel, register_menu, register_panel

ROLES = (Role.COMMISSION, Role.TALENT_OFFICE, Role.FINANCE, Role.WORKING_GROUP)


def _panel(user) -> dict:
    return {}


register_menu(
    *(MenuItem(_("数据看板"), "dashboard:index", roles=frozenset({role}), order=1) for role in ROLES)
)
register_menu(
    *(MenuItem(_("年度工作报告"), "dashboard:report-list", roles=frozenset({role}), order=2)
      for role in (Role.COMMISSION, Role.WORKING_GROUP))
)
register_panel(
    *(Panel(role=role, template="dashboard/partials/_panel.html", context=_panel, order=1) for role in ROLES)
)
