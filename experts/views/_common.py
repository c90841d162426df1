"""What the talent pool's pages share: the role mixins (anybody else gets a 404) and the list helpers."""

from __future__ import annotations

from django.http import Http404

from accounts.enums import Role
from core.views import RoleHiddenMixin

from .. import selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZES = (20, 50, 100)


RoleRequiredMixin = RoleHiddenMixin  # logged-in holders of `roles`; anybody else gets a 404


class NominatorMixin(RoleRequiredMixin):
    roles = (Role.NOMINATOR,)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.institution = selectors.institution_of(request.user)
            if self.institution is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


def _query_string(request) -> str:
    params = request.GET.copy()
    for name in ("page", "after", "before"):
        params.pop(name, None)
    return params.urlencode()
