"""HTTP for service outcomes: parse, check permission (querysets filtered by what the user may see, so a
foreign record is a 404), call one service or selector, render."""

from __future__ import annotations

from datetime import MAXYEAR, MINYEAR

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from accounts.enums import Role
from core.http import int_param
from terms.views import AppointmentMixin, RoleRequiredMixin  # the same 404-on-anything-else rules

from . import forms, policy, selectors, services
from .enums import OutcomeAction, OutcomeState
from .models import OutcomeKind, ProjectTarget

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


# --- report, edit, act ----------------------------------------------------------------------------------


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
        from .enums import Side

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


class OutcomeDetailView(OutcomeMixin, View):
    def get(self, request, pk):
        outcome = self.outcome
        actor = services.actor_for(request.user, outcome)
        actions = [
            a
            for a in OutcomeAction
            if policy.action_refusal(action=a, state=outcome.state, reporter_side=outcome.side, actor=actor)
            is None
        ]
        return render(
            request,
            "outcomes/outcome_detail.html",
            {
                "outcome": outcome,
                "appointment": outcome.appointment,
                "transitions": outcome.transitions.select_related("actor"),
                "actions": actions,
                "reason_actions": policy.REASON_ACTIONS,
                "can_edit": outcome.state == OutcomeState.RETURNED
                and (actor.reporter or outcome.side in actor.sides),
                "reason_form": forms.ReasonForm(),
            },
        )


class OutcomeActionView(OutcomeMixin, View):
    def post(self, request, pk, action):
        if action not in OutcomeAction.values:
            raise Http404
        form = forms.ReasonForm(request.POST)
        form.is_valid()
        try:
            services.outcome_act(
                outcome=self.outcome,
                action=action,
                by=request.user,
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已%(action)s。") % {"action": OutcomeAction(action).label})
        return redirect("outcomes:outcome-detail", self.outcome.pk)


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


# --- per appointment: outcomes and the target table -------------------------------------------------------


class AppointmentOutcomesView(AppointmentMixin, View):
    """The term's outcomes and its targets against the verified ones (linked from the term page)."""

    def get(self, request, pk):
        appointment = self.appointment
        user = request.user
        return render(
            request,
            "outcomes/appointment_outcomes.html",
            {
                "appointment": appointment,
                "outcomes": selectors.appointment_outcomes(appointment),
                "table": selectors.target_table(appointment),
                "can_report": user.has_perm("outcomes.report_outcome", appointment),
                "can_override": user.has_perm("outcomes.override_target", appointment),
                "deadline": policy.reporting_deadline(services.term_end(appointment)),
                "pending": selectors.pending_count(appointment),
            },
        )


class TargetOverrideView(AppointmentMixin, View):
    permission = "outcomes.override_target"

    def _row(self, target_pk):
        row = next((r for r in selectors.target_table(self.appointment) if r.target.pk == target_pk), None)
        if row is None:
            raise Http404
        return row

    def render_form(self, form, row):
        return render(
            self.request,
            "outcomes/target_override.html",
            {
                "form": form,
                "row": row,
                "appointment": self.appointment,
            },
        )

    def get(self, request, pk, target_pk):
        row = self._row(target_pk)
        form = forms.OverrideForm(initial={"met": "1" if row.met else "0", "reason": row.override_reason})
        return self.render_form(form, row)

    def post(self, request, pk, target_pk):
        row = self._row(target_pk)
        form = forms.OverrideForm(request.POST)
        if form.is_valid():
            try:
                services.target_override_set(
                    appointment=self.appointment,
                    target=row.target,
                    met=form.cleaned_data["met"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("指标达成情况已保存。"))
                return redirect("outcomes:appointment-outcomes", self.appointment.pk)
        return self.render_form(form, row)


# --- project targets (at filing) ------------------------------------------------------------------------


class ProjectTargetsView(LoginRequiredMixin, View):
    """The structured targets of the project's 预期成果与考核指标, edited by the enterprise while the
    project may be edited (projects.change_project)."""

    def dispatch(self, request, *args, **kwargs):
        from projects import selectors as project_selectors

        if not request.user.is_authenticated:
            return self.handle_no_permission()
        try:
            self.project = project_selectors.project_get(user=request.user, pk=kwargs["pk"])
        except ObjectDoesNotExist:
            raise Http404 from None
        if not request.user.has_perm("projects.change_project", self.project):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, formset, error=""):
        return render(
            self.request,
            "outcomes/project_targets.html",
            {
                "project": self.project,
                "formset": formset,
                "error": error,
            },
        )

    def get(self, request, pk):
        initial = [
            {"kind": t.kind, "quantity": t.quantity, "amount": t.amount}
            for t in ProjectTarget.objects.filter(project=self.project).select_related("kind")
        ]
        return self.render_form(forms.TargetFormSet(initial=initial, prefix="targets"))

    def post(self, request, pk):
        formset = forms.TargetFormSet(request.POST, prefix="targets")
        if formset.is_valid():
            rows = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("kind")]
            try:
                services.project_targets_set(project=self.project, by=request.user, rows=rows)
            except ValueError as exc:
                return self.render_form(formset, str(exc))
            messages.success(request, _("预期成果目标已保存。"))
            return redirect("projects:project-detail", self.project.pk)
        return self.render_form(formset)


# --- award applications ---------------------------------------------------------------------------------


class AwardOutcomesView(LoginRequiredMixin, View):
    """The verified outcomes an award application attaches (its own appointment's, kinds that count)."""

    def dispatch(self, request, *args, **kwargs):
        from awards import selectors as award_selectors

        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = award_selectors.application_list(user=request.user).filter(pk=kwargs["pk"]).first()
        if self.application is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def _queryset(self):
        from .models import Outcome

        appointment = getattr(self.application.project, "appointment", None)
        return Outcome.objects.filter(
            appointment=appointment, state=OutcomeState.VERIFIED, kind__counts_for_awards=True
        ).select_related("kind")

    def _can_edit(self):
        from awards.enums import EDITABLE_STATES

        return (
            self.application.state in EDITABLE_STATES
            and self.application.enterprise.members.filter(user=self.request.user).exists()
        )

    def render_form(self, form):
        return render(
            self.request,
            "outcomes/award_outcomes.html",
            {
                "application": self.application,
                "form": form,
                "can_edit": self._can_edit(),
                "attached": self.application.attached_outcomes.select_related("outcome__kind"),
            },
        )

    def get(self, request, pk):
        initial = {"outcomes": list(self.application.attached_outcomes.values_list("outcome_id", flat=True))}
        return self.render_form(forms.AwardOutcomesForm(initial=initial, queryset=self._queryset()))

    def post(self, request, pk):
        if not self._can_edit():
            raise Http404
        form = forms.AwardOutcomesForm(request.POST, queryset=self._queryset())
        if form.is_valid():
            try:
                services.award_outcomes_set(
                    application=self.application,
                    outcome_ids=[o.pk for o in form.cleaned_data["outcomes"]],
                    by=request.user,
                )
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("申报附带的成果已保存。"))
                return redirect("outcomes:award-outcomes", self.application.pk)
        return self.render_form(form)


# --- outcome kinds (reference data, commission staff) ---------------------------------------------------


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
