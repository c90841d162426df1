"""Role-aware menu and landing-page panels, contributed by each app's `navigation` module.

    register_menu(MenuItem(_("推荐管理"), "experts:nomination-list", roles={Role.NOMINATOR}, order=10))
    register_panel(Panel(role=Role.NOMINATOR, template="experts/partials/_panel_nominator.html",
                         context=lambda user: {...}))

core knows no domain app: the apps register themselves when `core` autodiscovers their modules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    order: int = 100

    def url(self) -> str | None:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


@dataclass(frozen=True)
class Panel:
    role: str
    template: str
    context: Callable[[object], dict]
    order: int = 100


_menu: list[MenuItem] = []
_panels: list[Panel] = []


def register_menu(*items: MenuItem) -> None:
    for item in items:
        if item not in _menu:
            _menu.append(item)


def register_panel(*panels: Panel) -> None:
    for panel in panels:
        if panel not in _panels:
            _panels.append(panel)


def menu_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    roles = user.role_set
    items = sorted((i for i in _menu if i.roles & roles), key=lambda i: (i.order, str(i.label)))
    return [{"label": i.label, "url": url} for i in items if (url := i.url())]


def panels_for(user, role: str) -> list[dict]:
    chosen = sorted((p for p in _panels if p.role == role), key=lambda p: p.order)
    return [{"template": p.template, **p.context(user)} for p in chosen]
