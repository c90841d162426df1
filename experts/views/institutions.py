"""Staff keep the nominating institutions; the invitation link sets an admitted expert's password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from accounts.enums import Role
from core.exports import Column, XlsxExportMixin
from core.search import search_list, search_terms
from core.sorting import sort_queryset
from core.views import ReferenceEditView

from ..forms import InstitutionForm
from ..models import Institution
from ._common import RoleRequiredMixin, _query_string


class InstitutionListView(XlsxExportMixin, RoleRequiredMixin, ListView):
    roles = (Role.COMMISSION,)
    export_title = gettext_lazy("推荐单位")
    export_filename = "institutions"
    export_columns = [
        Column(gettext_lazy("单位名称"), "name"),
        Column(gettext_lazy("单位类型"), "category"),
        Column(gettext_lazy("985高校"), "is_985"),
        Column(gettext_lazy("211高校"), "is_211"),
        Column(gettext_lazy("“双一流”建设高校"), "is_double_first_class"),
        Column(gettext_lazy("知名三甲医院"), "is_hospital_3a"),
        Column(gettext_lazy("驻昌单位"), "in_changping"),
        Column(gettext_lazy("联系人"), "contact_name"),
        Column(gettext_lazy("联系电话"), "contact_phone"),
        Column(gettext_lazy("启用"), "active"),
    ]
    template_name = "experts/institution_list.html"
    context_object_name = "institutions"
    paginate_by = 30

    def get_queryset(self):
        q = self.request.GET.get("q", "")
        fields = {"name": 10, "short_name": 5, "contact_name": 2}
        qs = search_list(Institution.objects.all(), q, fields, exact="name", order=Institution._meta.ordering)
        # a search keeps its relevance order unless a column is chosen
        sorts = {"name": "name", "category": "category"}
        qs, self.sort = sort_queryset(self.request.GET, qs, sorts, "" if search_terms(q) else "name")
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["sort"] = self.sort
        ctx["q"] = self.request.GET.get("q", "")
        ctx["query_string"] = _query_string(self.request)
        return ctx


class InstitutionEditView(RoleRequiredMixin, ReferenceEditView):
    roles = (Role.COMMISSION,)
    model = Institution
    form_class = InstitutionForm
    template_name = "experts/institution_form.html"
    context_name = "institution"
    audit_name = "institution"
    success_message = gettext_lazy("推荐单位已保存。")
    success_url = "experts:institution-list"


# Invitation -------------------------------------------------------------------------------------------


class InviteConfirmView(auth_views.PasswordResetConfirmView):
    """The one-time link of the invitation email: set a password, then log in."""

    template_name = "experts/invite_confirm.html"
    success_url = reverse_lazy("accounts:login")
    post_reset_login = False
    title = gettext_lazy("设置登录密码")

    def form_valid(self, form):
        response = super().form_valid(form)
        from accounts.services import user_password_changed

        user_password_changed(user=form.user)
        messages.success(self.request, _("密码已设置，请使用用户名 %(u)s 登录。") % {"u": form.user.username})
        return response
