"""The end of a term: early termination by staff (date and reason) and the scheduled job that ends the terms
whose last day has passed, both through the projects app's appointment_end.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.notifications import Msg, UserText
from core.workflow import TransitionError, transition
from projects import services as project_services
from projects.enums import AppointmentState
from projects.exceptions import ProjectError
from projects.models import Appointment

from .. import policy, selectors
from ..enums import EXTENSION_TRANSITIONS, ExtensionState, Party
from ..models import Termination
from ._common import _link, _lock_appointment, _notify, _today


def _appointment_set_state(appointment, *, to: str, by, reason: str, terminated_on: date | None = None):
    """End a term through the projects app's one appointment-transition service (core.workflow: the
    transition record and audit row; it also moves the project's state)."""
    return project_services.appointment_end(
        appointment=appointment,
        by=by,
        reason=reason,
        terminated_on=terminated_on if to == AppointmentState.TERMINATED else None,
    )


def appointment_terminate(*, appointment, terminated_on: date, reason: str, by) -> Appointment:
    """Staff end the term early: date and reason; the project is not completed (no 结题)."""
    with transaction.atomic():
        locked = _lock_appointment(appointment)
        selectors.termination_check(locked, terminated_on=terminated_on, reason=reason)
        Termination.objects.create(
            appointment=locked, terminated_on=terminated_on, reason=reason.strip(), recorded_by=by
        )
        for pending in locked.extension_requests.filter(state=ExtensionState.SUBMITTED):
            transition(
                pending,
                to=ExtensionState.WITHDRAWN,
                by=by,
                allowed=EXTENSION_TRANSITIONS,
                reason=_("服务期已提前终止"),
            )
        locked = _appointment_set_state(
            locked, to=AppointmentState.TERMINATED, by=by, reason=reason.strip(), terminated_on=terminated_on
        )
        _notify(
            selectors.party_users(locked, {Party.ENTERPRISE, Party.EXPERT}),
            title=Msg(gettext_lazy("服务期已提前终止（%(date)s）"), date=terminated_on),
            body=UserText(reason.strip()),
            link=_link(locked),
        )
    appointment.refresh_from_db()
    return appointment


def appointments_end_due(*, as_of: date | None = None, by=None) -> list[int]:
    """The scheduled job: active appointments whose last day is past become ENDED. Idempotent and safe
    to run concurrently (each row is locked and checked again). Returns the ids it ended."""
    as_of = as_of or _today()
    ended = []
    for pk in selectors.appointments_due_to_end(as_of).values_list("pk", flat=True):
        with transaction.atomic():
            locked = Appointment.objects.select_for_update().filter(pk=pk).first()
            if (
                locked is None
                or locked.state != AppointmentState.ACTIVE
                or not policy.is_term_over(locked.end_date, as_of)
                or locked.extension_requests.filter(state=ExtensionState.SUBMITTED).exists()
            ):
                continue
            try:
                _appointment_set_state(locked, to=AppointmentState.ENDED, by=by, reason=_("服务期届满"))
            except (TransitionError, ProjectError):
                continue
            ended.append(pk)
    return ended
