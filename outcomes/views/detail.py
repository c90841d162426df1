"""The outcome's page and its buttons, one view per action (confirm, dispute, verify, return, reject,
resubmit, withdraw). The page offers the actions the user may take now (outcomes.policy.action_refusal);
the service checks again and refuses anything else with a message. A reason the action needs is shown at
its field when missing."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.actions import ActionView, ReasonForm, action_form

from .. import policy, services
from ..enums import OutcomeAction, OutcomeState
from ._common import OutcomeMixin


class OutcomeDetailView(OutcomeMixin, View):
    def get(self, request, pk):
        return _page(request, self.outcome)


def _page(request, outcome, **forms):
    """The outcome's page; `forms`: an action's bound form, its errors at its fields."""
    actor = services.actor_for(request.user, outcome)
    actions = []
    for view in ACTION_VIEWS:
        action = view.action
        if policy.action_refusal(action=action, state=outcome.state, reporter_side=outcome.side, actor=actor):
            continue
        form = None
        if view.form_class is not None:
            form = forms.get(view.form_name) or action_form(
                view.form_class, view.form_name, **view.form_options
            )
        url = reverse(f"outcomes:outcome-{action.value}", args=[outcome.pk])
        actions.append({"action": action, "url": url, "form": form})
    return render(
        request,
        "outcomes/outcome_detail.html",
        {
            "outcome": outcome,
            "appointment": outcome.appointment,
            "transitions": outcome.transitions.select_related("actor"),
            "actions": actions,
            "can_edit": outcome.state == OutcomeState.RETURNED
            and (actor.reporter or outcome.side in actor.sides),
            **forms,
        },
    )


class OutcomeActionView(OutcomeMixin, ActionView):
    """One step of the outcome's workflow (`action`) on an outcome the user may see (404 otherwise)."""

    action = OutcomeAction.CONFIRM
    refusals = (ValueError,)
    detail_url_name = "outcomes:outcome-detail"

    def get_object(self):
        return self.outcome

    def refusal(self, outcome):
        actor = services.actor_for(self.request.user, outcome)
        return policy.action_refusal(
            action=self.action, state=outcome.state, reporter_side=outcome.side, actor=actor
        )

    def act(self, outcome, form):
        reason = form.cleaned_data["reason"] if form is not None else ""
        services.outcome_act(outcome=outcome, action=self.action, by=self.request.user, reason=reason)
        return _("已%(action)s。") % {"action": self.action.label}

    def page(self, outcome, **forms):
        return _page(self.request, outcome, **forms)


class OutcomeReasonActionView(OutcomeActionView):
    """A step that needs its reason (outcomes.policy.REASON_ACTIONS)."""

    form_class = ReasonForm
    form_options = {"required": gettext_lazy("请填写理由"), "label": gettext_lazy("理由")}


class OutcomeConfirmView(OutcomeActionView):
    action = OutcomeAction.CONFIRM


class OutcomeDisputeView(OutcomeReasonActionView):
    action = OutcomeAction.DISPUTE
    form_name = "dispute_form"


class OutcomeVerifyView(OutcomeActionView):
    action = OutcomeAction.VERIFY


class OutcomeReturnView(OutcomeReasonActionView):
    action = OutcomeAction.RETURN
    form_name = "return_form"


class OutcomeRejectView(OutcomeReasonActionView):
    action = OutcomeAction.REJECT
    form_name = "reject_form"


class OutcomeResubmitView(OutcomeActionView):
    action = OutcomeAction.RESUBMIT


class OutcomeWithdrawView(OutcomeActionView):
    action = OutcomeAction.WITHDRAW


#: The page's buttons, in the order of OutcomeAction.
ACTION_VIEWS = (
    OutcomeConfirmView,
    OutcomeDisputeView,
    OutcomeVerifyView,
    OutcomeReturnView,
    OutcomeRejectView,
    OutcomeResubmitView,
    OutcomeWithdrawView,
)
