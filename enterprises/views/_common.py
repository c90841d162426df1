"""What the matchmaking pages share: login, the permission check (a 403 for a right the user lacks),
the enterprise lookup (another enterprise's record is a 404), list helpers."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from core.workflow import TransitionError

from .. import selectors
from ..exceptions import EnterpriseError
from ..models import Enterprise
from ..rules import membership

REFUSED = (EnterpriseError, TransitionError)


def _query_string(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


class PortalView(LoginRequiredMixin):
    """Login required; unverified enterprise users get a clear explanation instead of a bare 403."""


def _enterprise_or_404(user, pk: int) -> Enterprise:
    return get_object_or_404(selectors.enterprise_list(user=user), pk=pk)


def _own_enterprise(user, enterprise) -> bool:
    member = membership(user)
    return member is not None and member.enterprise_id == enterprise.pk


def _in_year(qs, request, field: str):
    """`?year=YYYY` (the dashboard's links): rows whose `field` falls in that year."""
    year = request.GET.get("year", "")
    return qs.filter(**{f"{field}__year": int(year)}) if year.isdigit() else qs
