"""Commission staff keep the outcome kinds (reference data)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from accounts.enums import Role
from core.views import ReferenceEditView
from terms.views import RoleRequiredMixin

from .. import forms
from ..models import OutcomeKind


class KindListView(RoleRequiredMixin, ListView):
    roles = (Role.COMMISSION,)
    template_name = "outcomes/kind_list.html"
    context_object_name = "kinds"
    queryset = OutcomeKind.objects.order_by("order", "id")


class KindEditView(RoleRequiredMixin, ReferenceEditView):
    roles = (Role.COMMISSION,)
    model = OutcomeKind
    form_class = forms.KindForm
    template_name = "outcomes/kind_form.html"
    context_name = "kind"
    audit_name = "outcomekind"
    success_message = gettext_lazy("成果类型已保存。")
    success_url = "outcomes:kind-list"
