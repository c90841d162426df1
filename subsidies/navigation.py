"""Menu entries and landing-page panels of the subsidies app (see core/navigation.py)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import Role
from core.navigation import MenuItem, Panel, register_menu, register_panel


def _budget_panel(user) -> dict:
    from .selectors import budget_summary

    year = timezone.localdate().year
    return {"year": year, "rows": budget_summary(year)}


def _batch_counts(user) -> dict:
    from django.db.models import Count

    from .models import PaymentBatch

    counts = dict(PaymentBatch.objects.values("state").annotate(n=Count("id")).values_list("state", "n"))
    return {"counts": counts}


def _commission_panel(user) -> dict:
    from .selectors import matching_overdue, payment_due_list

    return {
        **_budget_panel(user),
        **_batch_counts(user),
        "due": payment_due_list().count(),
        "overdue": matching_overdue(as_of=timezone.localdate()).count(),
    }


register_menu(
    MenuItem(
        _("年度预算"), "subsidies:budget-list", roles=frozenset({Role.COMMISSION, Role.FINANCE}), order=60
    ),
    MenuItem(_("待支付款项"), "subsidies:payment-due", roles=frozenset({Role.COMMISSION}), order=61),
    MenuItem(
        _("支付批次"), "subsidies:batch-list", roles=frozenset({Role.COMMISSION, Role.FINANCE}), order=62
    ),
    MenuItem(_("项目资金补贴"), "subsidies:subsidy-list", roles=frozenset({Role.COMMISSION}), order=63),
    MenuItem(_("我的补贴与银行账户"), "subsidies:my-allowances", roles=frozenset({Role.EXPERT}), order=60),
    MenuItem(_("补贴与配套确认"), "subsidies:enterprise-money", roles=frozenset({Role.ENTERPRISE}), order=60),
)
register_panel(
    Panel(
        role=Role.COMMISSION,
        template="subsidies/partials/_panel_commission.html",
        context=_commission_panel,
        order=60,
    ),
    Panel(
        role=Role.FINANCE,
        template="subsidies/partials/_panel_finance.html",
        context=lambda user: {**_budget_panel(user), **_batch_counts(user)},
        order=10,
    ),
)
