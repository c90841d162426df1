"""Targets and where outcomes count: per appointment (its outcomes and the target table, staff's
override), the project's expected targets at filing, the outcomes an award application carries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from terms.views import AppointmentMixin

from .. import forms, policy, selectors, services
from ..enums import OutcomeState
from ..models import ProjectTarget


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
        from ..models import Outcome

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
