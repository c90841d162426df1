"""What every money page shares: the permission mixin (a user without the right gets a 404)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404


class PermMixin(LoginRequiredMixin):
    """Check a django-rules permission (optionally on an object); failing it is a 404."""

    permission: str = ""

    def check(self, perm: str | None = None, obj=None) -> None:
        if not self.request.user.has_perm(perm or self.permission, obj):
            raise Http404

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.permission:
            self.check()
        return super().dispatch(request, *args, **kwargs)
