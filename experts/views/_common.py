"""What the talent pool's pages share: the role mixins (anybody else gets a 404) and the list helpers."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404

from accounts.enums import Role

from .. import selectors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZES = (20, 50, 100)


class RoleRequiredMixin(LoginRequiredMixin):
    """Logged-in users holding one of `roles`; anybody else gets a 404 (SPEC §2)."""

    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.roles and not request.user.has_role(*self.roles):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


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
