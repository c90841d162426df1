"""What the outcome pages share: the outcome lookup (from what the user may see: another's is a 404)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from accounts.enums import Role

from .. import selectors

LIST_ROLES = (Role.COMMISSION, Role.TALENT_OFFICE, Role.ENTERPRISE, Role.EXPERT, Role.NOMINATOR)


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class OutcomeMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.outcome = selectors.outcome_get(user=request.user, pk=kwargs["pk"])
        except ObjectDoesNotExist:
            raise Http404 from None
        return super().dispatch(request, *args, **kwargs)
