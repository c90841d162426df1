"""A confirmation step before money and irreversible actions (issue 16 item 3).

An action view that must be confirmed calls `confirmation_required(request)`; while it is true, the view
answers with `confirmation_page(...)` instead of acting: a page that states what will happen (amounts in
figures and in Chinese capitals, scores, names) and repeats the submitted fields as hidden inputs; its
confirm button sends `confirmed=1`, so the second POST carries the same data plus the confirmation. No
JavaScript is needed and nothing inline runs, so the page works under the portal's CSP. Nothing is
written until the confirmed POST arrives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.shortcuts import render
from django.utils.translation import gettext as _

from core.money import format_cny, to_chinese_capital

CONFIRM_FIELD = "confirmed"
BACK_FIELD = "confirm_back"
_SKIPPED = {"csrfmiddlewaretoken", CONFIRM_FIELD, BACK_FIELD}


@dataclass(frozen=True)
class ConfirmRow:
    label: str
    value: str
    strong: bool = False


def confirmation_required(request) -> bool:
    """True until the user has answered the confirmation page (a POST carrying confirmed=1)."""
    return request.POST.get(CONFIRM_FIELD) != "1"


def money_rows(label: str, amount: Decimal) -> list[ConfirmRow]:
    """An amount in figures and, below it, in Chinese capitals (as on the PDFs)."""
    return [
        ConfirmRow(label, format_cny(amount), strong=True),
        ConfirmRow(_("%(label)s（大写）") % {"label": label}, to_chinese_capital(amount), strong=True),
    ]


def confirmation_page(
    request,
    *,
    title: str,
    question: str,
    rows: Iterable[ConfirmRow] = (),
    button: str,
    cancel_url: str,
    warning: str = "",
    action_url: str | None = None,
    breadcrumbs: Iterable[tuple[str, str]] = (),
    back_button: str = "",
):
    """Render core/confirm.html; status 200, nothing written.

    `back_button`: a second button that posts the same fields with `confirm_back=1` instead of the
    confirmation, so the view can show its form again as it was typed (nothing lost, nothing written)."""
    hidden = [
        (name, value)
        for name in request.POST
        if name not in _SKIPPED
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "core/confirm.html",
        {
            "title": title,
            "question": question,
            "rows": list(rows),
            "button": button,
            "cancel_url": cancel_url,
            "warning": warning,
            "action_url": action_url or request.get_full_path(),
            "hidden": hidden,
            "confirm_field": CONFIRM_FIELD,
            "crumbs": list(breadcrumbs),
            "back_button": back_button,
        },
    )
