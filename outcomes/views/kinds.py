"""Commission staff keep the outcome kinds (reference data)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from accounts.enums import Role
from terms.views import RoleRequiredMixin

from .. import forms
from ..models import OutcomeKind


class KindListView(RoleRequiredMixin, ListView):
    roles = (Role.COMMISSION,)
    template_name = "outcomes/kind_list.html"
    context_object_name = "kinds"
    queryset = OutcomeKind.objects.order_by("order", "id")


class KindEditView(RoleRequiredMixin, View):
    roles = (Role.COMMISSION,)

    def _kind(self, pk):
        return get_object_or_404(OutcomeKind, pk=pk) if pk else None

    def get(self, request, pk=None):
        kind = self._kind(pk)
        return render(
            request, "outcomes/kind_form.html", {"form": forms.KindForm(instance=kind), "kind": kind}
        )

    def post(self, request, pk=None):
        from core.audit import audit

        kind = self._kind(pk)
        form = forms.KindForm(request.POST, instance=kind)
        if form.is_valid():
            saved = form.save()
            audit(
                request.user,
                "outcomekind.update" if kind else "outcomekind.create",
                saved,
                summary=saved.name,
            )
            messages.success(request, _("成果类型已保存。"))
            return redirect(reverse("outcomes:kind-list"))
        return render(request, "outcomes/kind_form.html", {"form": form, "kind": kind})
