"""The term's evaluation (任职评价): the commission forms the panel, adds members, opens the grading and
issues the opinion — each step its own view (terms:evaluation-member-add, -open, -finalise); the panel
members grade or declare a conflict; the service certificate and the documents of the term."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from accounts.enums import Role
from core.documents import document_current, document_response
from core.models import DocumentKind

from .. import forms, selectors, services
from ..enums import EvaluationState
from ..models import Evaluation
from .base import ActionFormView, AppointmentMixin, RoleRequiredMixin, TermActionView


class EvaluationCreateView(ActionFormView):
    permission = "terms.manage_appointment"
    form_class = forms.EvaluationCreateForm
    title = gettext_lazy("组建任职评价组")
    success_message = gettext_lazy("评价组已组建。")

    def perform(self, form):
        self.evaluation = services.evaluation_create(
            appointment=self.appointment, by=self.request.user, reviewers=list(form.cleaned_data["reviewers"])
        )

    def get_success_url(self):
        return reverse("terms:evaluation-detail", args=[self.evaluation.pk])


class EvaluationMixin(RoleRequiredMixin):
    roles = (Role.COMMISSION,)

    def get_evaluation(self, pk) -> Evaluation:
        evaluation = (
            Evaluation.objects.select_related(
                "appointment__expert__institution", "appointment__enterprise", "appointment__project"
            )
            .filter(pk=pk)
            .first()
        )
        if evaluation is None:
            raise Http404
        return evaluation


def evaluation_context(evaluation, **bound) -> dict:
    """The evaluation page's context. `bound`: a refused form of one of its buttons (`add_form`, or `form`
    for the opinion), shown in place of the empty one with each error at its field."""
    all_members = list(evaluation.members.select_related("reviewer", "replaced_by__reviewer"))
    members = [m for m in all_members if m.serving]
    suggested = (
        services.evaluation_suggested_grade(evaluation)
        if members and all(m.submitted_at for m in members)
        else None
    )
    if "form" not in bound:
        bound["form"] = forms.EvaluationFinaliseForm(
            initial={
                "grade": suggested or "",
                "opinion": "\n\n".join(m.opinion for m in members if m.opinion),
            }
        )
    if "add_form" not in bound:
        bound["add_form"] = forms.PanelMemberAddForm(evaluation=evaluation)
    doc = (
        document_current(kind=DocumentKind.EVALUATION_OPINION, subject=evaluation)
        if evaluation.state == EvaluationState.FINALISED
        else None
    )
    return {
        "evaluation": evaluation,
        "members": members,
        "withdrawn": [m for m in all_members if not m.serving],
        "suggested": suggested,
        "appointment": evaluation.appointment,
        "doc": doc,
        "EvaluationState": EvaluationState,
        **bound,
    }


class EvaluationDetailView(EvaluationMixin, TemplateView):
    template_name = "terms/evaluation_detail.html"

    def get_context_data(self, **kwargs):
        evaluation = self.get_evaluation(kwargs["pk"])
        return super().get_context_data(**evaluation_context(evaluation), **kwargs)


class EvaluationActionView(EvaluationMixin, TermActionView):
    """A button of the evaluation page (commission staff). `form_name`: the page's context name of the
    action's form, shown there bound when it is refused."""

    detail_url_name = "terms:evaluation-detail"

    def get_object(self):
        self.evaluation = self.get_evaluation(self.kwargs["pk"])
        return self.evaluation

    def page(self, obj, **forms):
        context = evaluation_context(obj, **forms)
        return render(self.request, "terms/evaluation_detail.html", context)


class EvaluationMemberAddView(EvaluationActionView):
    """Add a member to the panel (e.g. when a withdrawn one could not be replaced)."""

    form_name = "add_form"
    success_message = gettext_lazy("评价专家已加入评价组。")

    def get_form(self):
        return forms.PanelMemberAddForm(self.request.POST, evaluation=self.evaluation)

    def act(self, obj, form):
        services.panel_member_add(
            evaluation=self.evaluation, reviewer=form.cleaned_data["reviewer"], by=self.request.user
        )


class EvaluationOpenView(EvaluationActionView):
    """Open the grading: the panel members are notified."""

    success_message = gettext_lazy("已通知评价组成员开始评价。")

    def act(self, obj, form):
        services.evaluation_open(evaluation=self.evaluation, by=self.request.user)


class EvaluationFinaliseView(EvaluationActionView):
    """Issue the evaluation opinion with the final grade (a reason when it departs from the panel's)."""

    form_class = forms.EvaluationFinaliseForm
    form_name = "form"
    success_message = gettext_lazy("任职评价意见已出具，并已通知专家和推荐单位。")

    def act(self, obj, form):
        services.evaluation_finalise(evaluation=self.evaluation, by=self.request.user, **form.cleaned_data)


class PanelListView(RoleRequiredMixin, ListView):
    template_name = "terms/panel_list.html"
    context_object_name = "assignments"
    roles = (Role.REVIEWER,)

    def get_queryset(self):
        return selectors.panel_assignments(user=self.request.user)


class PanelGradeView(RoleRequiredMixin, FormView):
    template_name = "terms/panel_grade.html"
    form_class = forms.PanelGradeForm
    roles = (Role.REVIEWER,)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.member = selectors.panel_assignments(user=request.user).filter(pk=kwargs["pk"]).first()
            if self.member is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        appointment = self.member.evaluation.appointment
        report = getattr(appointment, "term_report", None)
        return super().get_context_data(
            member=self.member,
            conflict_form=kwargs.pop("conflict_form", None) or forms.PanelConflictForm(),
            appointment=appointment,
            report=report,
            results=report.results.all() if report else [],
            **kwargs,
        )

    def form_valid(self, form):
        try:
            services.panel_grade_submit(member=self.member, by=self.request.user, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        messages.success(self.request, _("评价已提交。"))
        return redirect("terms:panel-list")


class PanelConflictView(PanelGradeView):
    """POST: the panel member declares a conflict of interest and is replaced automatically."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = forms.PanelConflictForm(request.POST)
        if form.is_valid():
            try:
                replacement = services.panel_member_declare_conflict(
                    member=self.member, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValueError as exc:
                form.add_error(None, str(exc))
            else:
                if replacement is not None:
                    messages.success(request, _("已声明回避，系统已自动安排其他评价专家替换。"))
                else:
                    messages.success(request, _("已声明回避，区科委将另行安排评价专家。"))
                return redirect("terms:panel-list")
        self.template_name = PanelGradeView.template_name
        return self.render_to_response(self.get_context_data(form=forms.PanelGradeForm(), conflict_form=form))


# --- documents ----------------------------------------------------------------------------------------


class CertificateIssueView(AppointmentMixin, View):
    permission = "terms.issue_certificate"

    def post(self, request, pk):
        try:
            services.service_certificate_issue(appointment=self.appointment, by=request.user)
        except ValueError as exc:
            messages.error(request, str(exc))
            return redirect(self.detail_url())
        return redirect("terms:document-download", pk, DocumentKind.SERVICE_CERTIFICATE)


class DocumentDownloadView(AppointmentMixin, View):
    permission = "terms.view_documents"

    def get(self, request, pk, kind):
        if kind == DocumentKind.SERVICE_CERTIFICATE:
            doc = document_current(kind=kind, subject=self.appointment)
        elif kind == DocumentKind.EVALUATION_OPINION:
            evaluation = Evaluation.objects.filter(
                appointment=self.appointment, state=EvaluationState.FINALISED
            ).first()
            doc = document_current(kind=kind, subject=evaluation) if evaluation else None
        else:
            doc = None
        if doc is None:
            raise Http404
        return document_response(doc, private=True)
