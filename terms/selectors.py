"""Reads of the service-term app, filtered by what the user may see (a foreign record is a 404)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.enums import Role
from accounts.selectors import commission_users
from projects.enums import AppointmentState
from projects.models import Appointment

from . import policy
from .enums import EvaluationState, ExtensionState, Party, ReportState
from .models import Completion, Evaluation, ExtensionRequest, PanelMember, SupportRequest, TermReport
from .policy import ENDING_REMINDER_DAYS

User = get_user_model()

#: roles that read every appointment; only commission staff change them
READ_ALL_ROLES = (Role.COMMISSION, Role.TALENT_OFFICE)


def _appointment_base() -> QuerySet:
    return Appointment.objects.select_related(
        "project",
        "expert",
        "expert__institution",
        "enterprise",
        "enterprise__industry",
        "subsidy_terms__policy_version",
    )


def termination_check(appointment, *, terminated_on: date, reason: str) -> None:
    """The checks of terminating `appointment` on `terminated_on` today (PolicyError with the message)."""
    from django.utils import timezone

    policy.check_termination(
        active=appointment.state == AppointmentState.ACTIVE,
        start_date=appointment.start_date,
        end_date=appointment.end_date,
        terminated_on=terminated_on,
        reason=reason,
        today=timezone.localdate(),
    )


def termination_preview(*, appointment, terminated_on: date, reason: str):
    """What terminating `appointment` on `terminated_on` would pay (terms.policy.termination_months),
    after the same checks the termination itself makes (PolicyError with the message otherwise)."""
    termination_check(appointment, terminated_on=terminated_on, reason=reason)
    return policy.termination_months(
        start_date=appointment.start_date, months=appointment.months, terminated_on=terminated_on
    )


def base_term_months(appointment) -> int:
    """The term length before extensions: the term months of the policy version the appointment was made
    under (SPEC §4; issue 15 item 1), not a constant."""
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return appointment.subsidy_terms.policy_version.term_months
    except ObjectDoesNotExist:
        from projects.exceptions import ProjectError
        from projects.services import appointment_term_months

        try:
            return appointment_term_months(appointment.start_date)
        except ProjectError:
            return appointment.months


def appointment_visibility(user, *, via: str = "") -> Q | None:
    """A filter of the appointments `user` may see; None for none at all. `via` is the path to the
    appointment from another model's rows (e.g. "appointment__"), for the records of an appointment."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.has_role(*READ_ALL_ROLES):
        return Q()
    q = Q(pk__in=[])
    if user.has_role(Role.ENTERPRISE):
        q |= Q(**{f"{via}enterprise__members__user": user})
    if user.has_role(Role.EXPERT):
        q |= Q(**{f"{via}expert__user": user})
    if user.has_role(Role.NOMINATOR):
        q |= Q(**{f"{via}expert__institution__members__user": user})
    return q


def appointment_list(*, user) -> QuerySet:
    """Appointments `user` may see, newest start first (the list filters are `terms.filters`)."""
    visible = appointment_visibility(user)
    if visible is None:
        return Appointment.objects.none()
    return (
        _appointment_base()
        .filter(pk__in=Appointment.objects.filter(visible).values("pk"))
        .order_by("-start_date", "-id")
    )


def appointments_ending_within(queryset: QuerySet, *, days: int, as_of: date) -> QuerySet:
    """Active appointments of `queryset` whose last day is within `days` days from `as_of`."""
    return queryset.filter(
        state=AppointmentState.ACTIVE, end_date__gte=as_of, end_date__lte=as_of + timedelta(days=days)
    )


def appointment_get(*, user, pk: int) -> Appointment:
    """One appointment `user` may see; Appointment.DoesNotExist otherwise (the view turns it into 404)."""
    return appointment_list(user=user).get(pk=pk)


# --- recipients ---------------------------------------------------------------------------------------


def staff_users() -> QuerySet:
    return commission_users().order_by("pk")


def enterprise_users(enterprise) -> QuerySet:
    return User.objects.filter(is_active=True, enterprise_membership__enterprise=enterprise).order_by("pk")


def institution_users(institution) -> QuerySet:
    return User.objects.filter(is_active=True, institution_membership__institution=institution).order_by("pk")


def expert_users(expert) -> QuerySet:
    return User.objects.filter(is_active=True, pk=expert.user_id).order_by("pk")


def party_users(appointment, parties) -> list:
    """The users of the given parties (terms.enums.Party) of one appointment, each once, by id."""
    users: dict[int, object] = {}
    if Party.STAFF in parties:
        users.update((u.pk, u) for u in staff_users())
    if Party.ENTERPRISE in parties:
        users.update((u.pk, u) for u in enterprise_users(appointment.enterprise))
    if Party.EXPERT in parties:
        users.update((u.pk, u) for u in expert_users(appointment.expert))
    return [users[k] for k in sorted(users)]


# --- jobs ---------------------------------------------------------------------------------------------


def appointments_due_to_end(as_of: date) -> QuerySet:
    """Active appointments whose last day is past, without a pending extension request (that waits
    for the staff decision first)."""
    pending = ExtensionRequest.objects.filter(appointment=OuterRef("pk"), state=ExtensionState.SUBMITTED)
    return (
        Appointment.objects.filter(state=AppointmentState.ACTIVE, end_date__lt=as_of)
        .exclude(Exists(pending))
        .order_by("end_date", "pk")
    )


def appointments_for_reminders(as_of: date) -> QuerySet:
    """Appointments that may call for a reminder on `as_of` — active ones within the first reminder's
    reach of their end, ended ones whose evaluation is not finalised — as light rows (pk, end_date,
    state, report_submitted); the job loads the full appointment only when a reminder is due."""
    horizon = as_of + timedelta(days=max(ENDING_REMINDER_DAYS))
    finalised = Evaluation.objects.filter(appointment=OuterRef("pk"), state=EvaluationState.FINALISED)
    submitted = TermReport.objects.filter(
        appointment=OuterRef("pk"), state__in=[ReportState.SUBMITTED, ReportState.ACCEPTED]
    )
    return (
        Appointment.objects.filter(
            Q(state=AppointmentState.ACTIVE, end_date__lte=horizon)
            | Q(state=AppointmentState.ENDED, end_date__gte=as_of - timedelta(days=3 * 365))
        )
        .exclude(Exists(finalised))
        .annotate(report_submitted=Exists(submitted))
        .values("pk", "end_date", "state", "report_submitted")
        .order_by("end_date", "pk")
    )


def matching_payments_unconfirmed(as_of: date) -> list[dict]:
    """HOOK for the subsidies app (issue 7): the enterprise matching allowance payments still
    unconfirmed on `as_of` whose grace period is over.

    Each item: {"appointment": Appointment, "month": n, "month_end": date}. Returns [] while the
    subsidies app has no matching-obligation model; `terms.services.reminders_send` sends one reminder
    per appointment and month to the enterprise and staff.
    """
    from . import integration

    return integration.matching_payments_unconfirmed(as_of)


# --- other lists --------------------------------------------------------------------------------------


def support_request_list(*, user) -> QuerySet:
    """Support requests are personal: commission staff see all, the expert their own, nobody else any."""
    if not getattr(user, "is_authenticated", False):
        return SupportRequest.objects.none()
    qs = SupportRequest.objects.select_related(
        "appointment__expert", "appointment__enterprise", "appointment__project"
    ).order_by("-created_at", "-id")
    if user.has_role(Role.COMMISSION):
        return qs
    if user.has_role(Role.EXPERT):
        return qs.filter(appointment__expert__user=user)
    return qs.none()


def extension_request_list(*, user) -> QuerySet:
    visible = appointment_visibility(user)
    if visible is None:
        return ExtensionRequest.objects.none()
    return (
        ExtensionRequest.objects.filter(appointment__in=Appointment.objects.filter(visible))
        .select_related("appointment__expert", "appointment__enterprise", "requested_by")
        .order_by("-created_at", "-id")
    )


def panel_assignments(*, user) -> QuerySet:
    """The evaluation panels `user` sits on, while the panel is grading (reviewers see nothing else)."""
    return (
        PanelMember.objects.filter(
            reviewer__user=user, evaluation__state=EvaluationState.GRADING, withdrawn_at__isnull=True
        )
        .select_related(
            "evaluation__appointment__expert",
            "evaluation__appointment__enterprise",
            "evaluation__appointment__project",
        )
        .order_by("evaluation__created_at", "pk")
    )


def completed_projects(year: int) -> QuerySet:
    """Projects whose completion (结题) was accepted in `year` — the candidates of that year's awards.

    A queryset of Completion rows (with project, appointment, expert and enterprise), ordered by date."""
    return (
        Completion.objects.filter(accepted_on__year=year)
        .select_related("project", "appointment__expert", "appointment__enterprise")
        .order_by("accepted_on", "pk")
    )
