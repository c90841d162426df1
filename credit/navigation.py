from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from core.navigation import MenuItem, register_menu

register_menu(
    MenuItem(
        _("信用记录"), "credit:record-list", roles=frozenset({Role.COMMISSION, Role.TALENT_OFFICE}), order=75
    ),
    MenuItem(
        _("我的信用记录"),
        "credit:record-mine",
        roles=frozenset({Role.EXPERT, Role.ENTERPRISE, Role.REVIEWER, Role.NOMINATOR}),
        order=97,
    ),
)
