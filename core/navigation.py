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
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    order: int = 100
    public: bool = False  # shown to everyone, logged in or not (the 公示 notice, the award results)

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
    roles = user.role_set if getattr(user, "is_authenticated", False) else frozenset()
    items = sorted((i for i in _menu if i.public or i.roles & roles), key=lambda i: (i.order, str(i.label)))
    return [{"label": i.label, "url": url} for i in items if (url := i.url())]


# The menu depends only on the role set, the language and the URL prefix (issue 20): built once per
# process for each, as the items (labels translated) and as the <li> html with the current page marked.
_menu_cache: dict[tuple, tuple] = {}
# A constant attribute, no input in it.
_ARIA_CURRENT = mark_safe(' aria-current="page"')  # nosec B308 B703


def menu_cached(user, path: str) -> tuple[list[dict], str]:
    """(items, <li> html) of `user`'s menu on the page at `path`; what menu_for and base.html's loop give."""
    from django.urls import get_script_prefix
    from django.utils.html import format_html_join
    from django.utils.translation import get_language

    roles = user.role_set if getattr(user, "is_authenticated", False) else frozenset()
    key = (roles, get_language(), get_script_prefix())
    hit = _menu_cache.get(key)
    if hit is None:
        items = [{"label": str(i["label"]), "url": i["url"]} for i in menu_for(user)]
        hit = _menu_cache[key] = (items, {}, frozenset(i["url"] for i in items))
    items, html_by_path, urls = hit
    active = path if path in urls else ""
    html = html_by_path.get(active)
    if html is None:
        html = html_by_path[active] = format_html_join(
            "\n",
            '<li class="nav-item"><a class="nav-link{}"{} href="{}">{}</a></li>',
            (
                (" active", _ARIA_CURRENT, i["url"], i["label"])
                if i["url"] == active
                else ("", "", i["url"], i["label"])
                for i in items
            ),
        )
    return items, html


def panels_for(user, role: str) -> list[dict]:
    chosen = sorted((p for p in _panels if p.role == role), key=lambda p: p.order)
    return [{"template": p.template, **p.context(user)} for p in chosen]


# --- work lists (待办) -----------------------------------------------------------------------------------
# One selector per role (registered by the `worklist` app) returns that role's open tasks as WorkGroups;
# the landing page shows them through one partial (templates/worklist/partials/_worklist.html).


@dataclass(frozen=True)
class WorkItem:
    """One task: the object (`subject`), what to do with it (`action`), where it is done (`url`) and by
    when (`deadline`, the 办理时限). `note` adds a figure (an amount in 元); `remind_url` is a POST action
    offered beside the item (催办)."""

    subject: str
    action: str
    url: str
    deadline: object = None  # datetime.date | None
    note: str = ""
    remind_url: str = ""


@dataclass(frozen=True)
class WorkGroup:
    """Tasks of one kind: the count (a link to the list where they all are) and the first few items."""

    kind: str
    label: str
    count: int
    url: str
    items: tuple[WorkItem, ...] = ()
    figure: str = ""  # a group that is a figure rather than tasks (the working group's)


_worklists: dict[str, Callable[[object], list[WorkGroup]]] = {}
# (role, url name) → function(pks) → the pks whose task is still open for that role
_task_checks: dict[tuple[str, str], Callable[[set[int]], set[int]]] = {}


def register_worklist(role: str, selector: Callable[[object], list[WorkGroup]]) -> None:
    _worklists[role] = selector


def worklist_for(user, role: str) -> list[WorkGroup]:
    selector = _worklists.get(role)
    return selector(user) if selector is not None else []


def register_task_check(role: str, url_name: str, open_pks: Callable[[set[int]], set[int]]) -> None:
    """A notification linking to `url_name` (with a `pk` argument) is a task for holders of `role`;
    `open_pks` says which of the given objects still wait for them."""
    _task_checks[(role, url_name)] = open_pks


def notification_task_states(user, notes) -> dict[int, bool]:
    """For each notification that is a task of one of the user's roles: notification id → still open.
    One query per kind of task among the notifications given."""
    from django.urls import Resolver404, resolve

    roles = user.role_set
    wanted: dict[tuple[str, str], dict[int, list[int]]] = {}
    for note in notes:
        if not note.link:
            continue
        try:
            match = resolve(note.link.split("?")[0].split("#")[0])
        except Resolver404:
            continue
        pk = match.kwargs.get("pk")
        for role in roles:
            if pk is not None and (role, match.view_name) in _task_checks:
                wanted.setdefault((role, match.view_name), {}).setdefault(int(pk), []).append(note.pk)
    states: dict[int, bool] = {}
    for key, by_pk in wanted.items():
        still_open = _task_checks[key](set(by_pk))
        for pk, note_ids in by_pk.items():
            for note_id in note_ids:
                states[note_id] = states.get(note_id, False) or pk in still_open
    return states
