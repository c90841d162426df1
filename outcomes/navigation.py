from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from core.navigation import MenuItem, register_menu

register_menu(
    MenuItem(
        _("服务成果"),
        "outcomes:outcome-list",
        roles=frozenset({Role.COMMISSION, Role.TALENT_OFFICE, Role.ENTERPRISE, Role.EXPERT, Role.NOMINATOR}),
        order=42,
    ),
)
