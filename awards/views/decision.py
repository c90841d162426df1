"""Staff: the prize levels of a closed cycle within the quotas (保存评定结果), and the suggestion from the
ranking (按排名和名额生成建议) — one view each."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.actions import ActionView
from credit.enums import DecisionPoint
from credit.overrides import posted_override
from credit.selectors import credit_alerts
from projects.views import StaffMixin

from .. import selectors, services
from ..enums import CycleState
from ..forms import DecisionForm
from ._common import ERRORS, _cycle


class DecisionView(StaffMixin, View):
    """Prize levels within the quotas; a tie at a quota line is shown and must be chosen explicitly."""

    def _render(self, request, cycle, form=None):
        applications, tie = selectors.decision_rows(cycle)
        form = form or DecisionForm(applications=applications, initial={"reason": cycle.decision_reason})
        return render(
            request,
            "awards/decision.html",
            {
                "cycle": cycle,
                "form": form,
                "rows": form.bound_rows(),
                "tie": tie,
                "editable": cycle.state == CycleState.CLOSED,
                # 信用提示: active records of the applications' experts and enterprises
                "credit_alerts": credit_alerts(
                    experts=[a.expert_id for a in applications],
                    enterprises=[a.enterprise_id for a in applications],
                ),
                "quotas": [
                    (label, cycle.quotas[level])
                    for level, label in ((1, _("一等奖")), (2, _("二等奖")), (3, _("三等奖")))
                ],
            },
        )

    def get(self, request, pk):
        return self._render(request, _cycle(pk))

    def post(self, request, pk):
        cycle = _cycle(pk)
        applications, _tie = selectors.decision_rows(cycle)
        form = DecisionForm(request.POST, applications=applications)
        if form.is_valid():
            levels = form.levels()
            winners = [a for a in applications if levels.get(a.pk) not in (None, "")]
            try:
                with transaction.atomic():
                    services.decision_set(
                        cycle=cycle, by=request.user, levels=levels, reason=form.cleaned_data["reason"]
                    )
                    posted_override(
                        request,
                        decision=DecisionPoint.AWARD_ELIGIBILITY,
                        target=cycle,
                        experts=[a.expert_id for a in winners],
                        enterprises=[a.enterprise_id for a in winners],
                    )
            except ERRORS as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("评定结果已保存，审定后生效。"))
                return redirect("awards:cycle-detail", cycle.pk)
        return self._render(request, cycle, form=form)


class DecisionAutofillView(StaffMixin, ActionView):
    """Fill the levels from the ranking and the quotas (a tie at a quota line is left to choose)."""

    refusals = ERRORS
    detail_url_name = "awards:decision"

    def get_object(self):
        return _cycle(self.kwargs["pk"])

    def act(self, cycle, form):
        services.decision_autofill(cycle=cycle, by=self.request.user)
        return _("已按排名和名额生成评定建议，请核对后保存。")
