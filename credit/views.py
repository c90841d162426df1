"""HTTP of the credit record: parse, check permission (object-level: another subject's record is a 404),
call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.enums import Role
from core.actions import ActionView, ReasonForm, blank_forms
from core.sorting import sort_queryset
from core.workflow import TransitionError
from projects.views import RoleRequiredMixin, StaffMixin

from . import policy, selectors, services
from .enums import TRANSITIONS, CreditState, ObjectionState, Polarity, SubjectKind
from .exceptions import CreditError
from .models import CreditObjection

ERRORS = (CreditError, TransitionError)
SUBJECT_ROLES = (Role.EXPERT, Role.ENTERPRISE, Role.REVIEWER, Role.NOMINATOR)


RECORD_SORTS = {
    "kind": "subject_kind",
    "rule": "rule",
    "polarity": "polarity",
    "occurred": "occurred_on",
    "valid": "valid_until",
    "state": "state",
}


class RecordListView(RoleRequiredMixin, View):
    """Commission staff (manage) and the talent office (read-only): every record, filtered."""

    roles = (Role.COMMISSION, Role.TALENT_OFFICE)

    def get(self, request):
        qs = selectors.record_filter(selectors.record_list(user=request.user), request.GET)
        qs, sort = sort_queryset(request.GET, qs.order_by("-created_at", "-pk"), RECORD_SORTS)
        page = Paginator(qs, 20).get_page(request.GET.get("page"))
        filters = {k: request.GET.get(k, "") for k in ("subject_kind", "state", "polarity")}
        return render(
            request,
            "credit/record_list.html",
            {
                "page_obj": page,
                "sort": sort,
                "records": page.object_list,
                "filters": filters,
                "query_string": urlencode({k: v for k, v in filters.items() if v}),
                "subject_kinds": SubjectKind.choices,
                "states": CreditState.choices,
                "polarities": Polarity.choices,
            },
        )


class MyRecordListView(RoleRequiredMixin, View):
    """我的信用记录: the user's own records (as expert, reviewer, enterprise or institution)."""

    roles = SUBJECT_ROLES

    def get(self, request):
        records = selectors.own_record_list(user=request.user).order_by("-occurred_on", "-pk")
        return render(request, "credit/record_mine.html", {"records": records[:200]})


def _record(request, pk):
    record = selectors.record_get(user=request.user, pk=pk)
    if record is None:
        raise Http404
    return record


class RecordDetailView(RoleRequiredMixin, View):
    roles = (Role.COMMISSION, Role.TALENT_OFFICE, *SUBJECT_ROLES)

    def get(self, request, pk):
        return _page(request, _record(request, pk))


def _page(request, record, **forms):
    """The record's page; `forms`: an action's bound form, its errors at its fields."""
    user = request.user
    today = timezone.localdate()
    is_staff = user.has_perm("credit.manage_records")
    objections = list(record.objections.select_related("filed_by", "resolved_by"))
    open_objection = next((o for o in objections if o.state == ObjectionState.OPEN), None)
    ctx = {
        "record": record,
        "is_staff": is_staff,
        "objections": objections,
        "open_objection": open_objection,
        "transitions": record.transitions.select_related("actor"),
        "can_object": user.has_perm("credit.object_record", record)
        and open_objection is None
        and policy.objection_blocker(state=record.state, deadline=record.objection_deadline, today=today)
        is None,
        "is_subject": selectors.own_record_list(user=user).filter(pk=record.pk).exists(),
    }
    if is_staff:
        allowed = TRANSITIONS.get(record.state, set())
        handled = sum(1 for o in objections if o.state != ObjectionState.OPEN)
        ctx.update(
            can_notify=CreditState.NOTIFIED in allowed,
            can_dismiss=CreditState.DISMISSED in allowed and open_objection is None,
            can_repair=CreditState.REPAIRED in allowed and record.polarity == Polarity.NEGATIVE,
            can_revoke=CreditState.REVOKED in allowed,
            confirm_blocker=policy.confirm_blocker(
                state=record.state, deadline=record.objection_deadline, today=today,
                open_objections=1 if open_objection else 0, handled_objections=handled,
            ) if CreditState.CONFIRMED in allowed else None,
            can_confirm=CreditState.CONFIRMED in allowed,
            overrides=record.overrides.select_related("decided_by"),
        )
        ctx.update({**blank_forms(RecordDismissView, RecordRepairView, RecordRevokeView), **forms})
    return render(request, "credit/record_detail.html", ctx)


class RecordActionView(StaffMixin, ActionView):
    """Commission staff: one step of the record's workflow (the subclasses), on a record they may see."""

    refusals = ERRORS
    detail_url_name = "credit:record-detail"

    def get_object(self):
        return _record(self.request, self.kwargs["pk"])

    def page(self, record, **forms):
        return _page(self.request, record, **forms)


class RecordNotifyView(RecordActionView):
    def act(self, record, form):
        services.credit_notify(record=record, by=self.request.user)
        return _("已告知主体，异议期开始。")


class RecordConfirmView(RecordActionView):
    def act(self, record, form):
        services.credit_confirm(record=record, by=self.request.user)
        return _("信用记录已确认。")


class RecordReasonView(RecordActionView):
    """A step that needs its reason (不予记录, 信用修复, 撤销)."""

    form_class = ReasonForm
    service = done = None

    def act(self, record, form):
        self.service(record=record, by=self.request.user, reason=form.cleaned_data["reason"])
        return self.done


class RecordDismissView(RecordReasonView):
    form_name = "dismiss_form"
    form_options = {"required": gettext_lazy("请填写理由。"), "label": gettext_lazy("不予记录的理由")}
    service = staticmethod(services.credit_dismiss)
    done = gettext_lazy("已不予记录。")


class RecordRepairView(RecordReasonView):
    form_name = "repair_form"
    form_options = {
        "required": gettext_lazy("请填写理由。"),
        "label": gettext_lazy("信用修复的理由（主体已纠正失信行为的情况）"),
    }
    service = staticmethod(services.credit_repair)
    done = gettext_lazy("已信用修复。")


class RecordRevokeView(RecordReasonView):
    form_name = "revoke_form"
    form_options = {"required": gettext_lazy("请填写理由。"), "label": gettext_lazy("撤销的理由")}
    service = staticmethod(services.credit_revoke)
    done = gettext_lazy("已撤销信用记录。")


class ObjectionFileView(RoleRequiredMixin, View):
    """The subject's objection (异议) during the window."""

    roles = SUBJECT_ROLES

    def post(self, request, pk):
        record = selectors.own_record_list(user=request.user).filter(pk=pk).first()
        if record is None:
            raise Http404
        try:
            services.objection_file(record=record, by=request.user, content=request.POST.get("content", ""))
        except ERRORS as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("异议已提交，区科委处理后将通知您。"))
        return redirect("credit:record-detail", record.pk)


class ObjectionResolveView(StaffMixin, View):
    def post(self, request, pk):
        objection = get_object_or_404(CreditObjection.objects.select_related("record"), pk=pk)
        decision = request.POST.get("decision", "")
        if decision not in ("upheld", "rejected"):
            messages.error(request, _("请选择异议是否成立。"))
            return redirect("credit:record-detail", objection.record_id)
        try:
            services.objection_resolve(
                objection=objection, by=request.user, upheld=decision == "upheld",
                resolution=request.POST.get("resolution", ""),
            )
        except ERRORS as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("异议已处理。"))
        return redirect("credit:record-detail", objection.record_id)
