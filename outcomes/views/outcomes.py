"""The outcomes (服务成果): the list with its filters, reporting one, correcting a returned one, its
evidence. The outcome's page and its actions: .detail."""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from accounts.enums import Role
from core.http import int_param
from terms.views import AppointmentMixin, RoleRequiredMixin  # the same 404-on-anything-else rules

from .. import forms, policy, selectors, services
from ..enums import OutcomeState
from ._common import LIST_ROLES, OutcomeMixin, _int

# --- list ---------------------------------------------------------------------------------------------


class OutcomeListView(RoleRequiredMixin, ListView):
    """Every outcome the user may see, filtered by state, kind, year (of achievement), industry and
    institution — the dashboard's 成果 figures link here with the same filters."""

    template_name = "outcomes/outcome_list.html"
    context_object_name = "outcomes"
    paginate_by = 20
    roles = LIST_ROLES

    def get_queryset(self):
        qs = selectors.outcome_list(user=self.request.user)
        get = self.request.GET
        self.current = {k: get.get(k, "") for k in ("state", "kind", "year", "industry", "institution")}
        if get.get("state") in OutcomeState.values:
            qs = qs.filter(state=get["state"])
        for param, field in (
            ("kind", "kind_id"),
            ("year", "achieved_on__year"),
            ("industry", "appointment__enterprise__industry_id"),
            ("institution", "appointment__expert__institution_id"),
        ):
            if param == "year":
                value = _int(get.get(param))
                if value is not None and not MINYEAR <= value <= MAXYEAR:
                    value = None  # not a calendar year (`0`, `-1`, 1e15): no filter, not a 500
            else:
                value = int_param(get.get(param))  # an id a bigint holds, or no filter
            if value is not None:
                qs = qs.filter(**{field: value})
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx.update(
            states=OutcomeState.choices,
            kinds=selectors.kinds_active(),
            current=self.current,
            query_string=params.urlencode(),
            is_staff=self.request.user.has_role(Role.COMMISSION),
        )
        return ctx


# --- report, edit ----------------------------------------------------------------------------------------


def _form_data(cleaned) -> dict:
    return {
        k: cleaned.get(k)
        for k in (
            "title",
            "identifier",
            "level",
            "quantity",
            "amount",
            "achieved_on",
            "description",
            "evidence",
        )
    }


class OutcomeCreateView(AppointmentMixin, View):
    permission = "outcomes.report_outcome"
    template_name = "outcomes/outcome_form.html"

    def render_form(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "appointment": self.appointment,
                "title": _("填报服务成果"),
                "deadline": policy.reporting_deadline(services.term_end(self.appointment)),
                "kinds": self.kinds(),
            },
        )

    def kinds(self):
        """The kinds this user may report: the enterprise-declared ones (new sales, new tax) only for the
        enterprise."""
        from ..enums import Side

        kinds = selectors.kinds_active()
        if Side.ENTERPRISE not in services.user_sides(self.request.user, self.appointment):
            kinds = kinds.filter(enterprise_declared=False)
        return kinds

    def get(self, request, pk):
        return self.render_form(forms.OutcomeForm(kinds=self.kinds()))

    def post(self, request, pk):
        form = forms.OutcomeForm(request.POST, request.FILES, kinds=self.kinds())
        if form.is_valid():
            try:
                outcome = services.outcome_report(
                    appointment=self.appointment,
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    **_form_data(form.cleaned_data),
                )
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("成果已填报，等待合作方确认。"))
                return redirect("outcomes:outcome-detail", outcome.pk)
        return self.render_form(form)


class OutcomeUpdateView(OutcomeMixin, View):
    template_name = "outcomes/outcome_form.html"

    def _check(self):
        actor = services.actor_for(self.request.user, self.outcome)
        if not (actor.reporter or self.outcome.side in actor.sides):
            raise Http404

    def render_form(self, form):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "appointment": self.outcome.appointment,
                "outcome": self.outcome,
                "title": _("修改成果：%(title)s") % {"title": self.outcome.title},
                "deadline": policy.reporting_deadline(services.term_end(self.outcome.appointment)),
            },
        )

    def get(self, request, pk):
        self._check()
        o = self.outcome
        initial = {
            k: getattr(o, k)
            for k in ("title", "identifier", "level", "quantity", "amount", "achieved_on", "description")
        }
        return self.render_form(forms.OutcomeForm(initial=initial, editing=True))

    def post(self, request, pk):
        self._check()
        form = forms.OutcomeForm(request.POST, request.FILES, editing=True)
        if form.is_valid():
            try:
                services.outcome_update(
                    outcome=self.outcome, by=request.user, **_form_data(form.cleaned_data)
                )
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("成果已修改，请重新提交。"))
                return redirect("outcomes:outcome-detail", self.outcome.pk)
        return self.render_form(form)


class OutcomeEvidenceView(OutcomeMixin, View):
    def get(self, request, pk):
        from core.uploads import serve_upload

        if not self.outcome.evidence:
            raise Http404
        return serve_upload(
            self.outcome.evidence, download_name=_("成果证明材料-%(pk)s") % {"pk": self.outcome.pk}
        )
