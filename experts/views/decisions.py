"""Staff's decision on a submitted nomination, one view per button of the nomination page: admit (asked
once more: it cannot be undone), return, reject, approve or refuse the exception (放宽). All but admitting
need the reason, shown at its field when missing; a refusal is a message on the page, with what was
typed."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from core.actions import ActionView, ReasonForm, error_text
from core.confirm import ConfirmRow, confirmation_page, confirmation_required
from core.workflow import TransitionError
from credit.enums import DecisionPoint
from credit.exceptions import CreditError
from credit.overrides import posted_override

from .. import selectors, services
from ..enums import EligibilityResult
from ..exceptions import NominationError
from ._common import RoleRequiredMixin
from .nominations import DECISION_FORM, NominationDetailView


class NominationDecisionView(RoleRequiredMixin, ActionView):
    """Commission staff, on a nomination they may see (404 otherwise)."""

    roles = (Role.COMMISSION,)
    form_class = ReasonForm
    form_name = "decision_form"
    form_options = DECISION_FORM
    page_view = NominationDetailView
    refusals = (NominationError, TransitionError, CreditError)
    #: the action in the message of a missing reason (services: "%(action)s须填写理由。"); "" when optional
    reason_for = ""
    detail_url_name = "experts:nomination-detail"

    def get_object(self):
        return selectors.nomination_get(self.request.user, self.kwargs["pk"])

    def form_kwargs(self):
        if not self.reason_for:
            return super().form_kwargs()
        return {
            **super().form_kwargs(),
            "required": _("%(action)s须填写理由。") % {"action": self.reason_for},
        }

    def refused(self, nomination, form, exc):
        messages.error(self.request, error_text(exc))
        return self.page(nomination, decision_form=form)


class NominationAdmitView(NominationDecisionView):
    def act(self, nomination, form):
        request, reason = self.request, form.cleaned_data["reason"]
        if nomination.admissible and confirmation_required(request):
            return _admit_confirmation(request, nomination, reason)
        with transaction.atomic():
            posted_override(
                request,
                decision=DecisionPoint.POOL_ADMISSION,
                target=nomination,
                experts=[nomination.expert_id],
                institutions=[nomination.institution_id],
            )
            services.nomination_admit(nomination=nomination, by=request.user, reason=reason)
        if nomination.expert.email:
            return _("已准予入库，并已向专家发送账号激活邮件。")
        return _("已准予入库。专家未填写电子邮箱，未能发送账号激活邮件，请补充邮箱后在管理后台重新发送。")


def _admit_confirmation(request, nomination, reason):
    expert = nomination.expert
    detail = reverse("experts:nomination-detail", args=[nomination.pk])
    return confirmation_page(
        request,
        title=_("确认准予入库"),
        question=_("准予入库后，专家进入专家人才库并获得登录账号，此操作不能撤销。确认准予以下专家入库？"),
        rows=[
            ConfirmRow(_("专家"), expert.name),
            ConfirmRow(_("推荐单位"), str(nomination.institution)),
            ConfirmRow(_("资格审查"), nomination.get_eligibility_display() or "—"),
            *(
                [ConfirmRow(_("放宽审批"), nomination.get_exception_decision_display())]
                if nomination.eligibility == EligibilityResult.EXCEPTION
                else []
            ),
            ConfirmRow(_("电子邮箱"), expert.email or _("未填写（不能发送账号激活邮件）")),
            *([ConfirmRow(_("理由/意见"), reason)] if reason else []),
        ],
        button=_("确认准予入库"),
        cancel_url=detail,
        breadcrumbs=[(_("专家推荐"), reverse("experts:nomination-list")), (expert.name, detail)],
    )


class NominationCloseView(NominationDecisionView):
    """退回修改 or 不予入库 (the subclasses): `service` with the reason, then the message `done`."""

    service = staticmethod(services.nomination_return)
    done = ""

    def act(self, nomination, form):
        self.service(nomination=nomination, by=self.request.user, reason=form.cleaned_data["reason"])
        return str(self.done)


class NominationReturnView(NominationCloseView):
    reason_for = gettext_lazy("退回")
    service = staticmethod(services.nomination_return)
    done = gettext_lazy("已退回推荐单位修改。")


class NominationRejectView(NominationCloseView):
    reason_for = gettext_lazy("不予入库")
    service = staticmethod(services.nomination_reject)
    done = gettext_lazy("已决定不予入库。")


class NominationExceptionView(NominationDecisionView):
    """批准放宽 / 不予放宽 (the subclasses)."""

    reason_for = gettext_lazy("放宽审批")
    approve = True

    def act(self, nomination, form):
        services.nomination_exception_decide(
            nomination=nomination,
            by=self.request.user,
            approve=self.approve,
            note=form.cleaned_data["reason"],
        )
        return _("已批准放宽条件。") if self.approve else _("已决定不予放宽。")


class NominationApproveExceptionView(NominationExceptionView):
    approve = True


class NominationRefuseExceptionView(NominationExceptionView):
    approve = False
