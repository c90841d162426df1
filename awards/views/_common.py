"""What the awards pages share: the refusals shown as messages and the cycle and application lookups
(another user's application is a 404)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from core.workflow import TransitionError
from credit.exceptions import CreditError

from .. import selectors
from ..exceptions import AwardError
from ..models import AwardCycle

ERRORS = (AwardError, TransitionError, CreditError)


def _cycle(pk) -> AwardCycle:
    return get_object_or_404(AwardCycle.objects.select_related("policy_version"), pk=pk)


def _application(request, pk):
    return get_object_or_404(selectors.application_list(user=request.user), pk=pk)
