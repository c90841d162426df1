"""Contexts of the two documents the service-term app issues (templates in templates/terms/pdf/)."""

from __future__ import annotations

from datetime import timedelta

from projects.enums import AppointmentState

from .enums import EvaluationState
from .policy import term_timeline


def _term(appointment) -> dict:
    ended_on = appointment.terminated_on if appointment.state == AppointmentState.TERMINATED else None
    last_day = ended_on or appointment.end_date
    timeline = term_timeline(
        start_date=appointment.start_date,
        months=appointment.months,
        end_date=appointment.end_date,
        as_of=last_day + timedelta(days=1),
        terminated_on=ended_on,
    )
    return {
        "appointment": appointment,
        "expert": appointment.expert,
        "enterprise": appointment.enterprise,
        "project": appointment.project,
        "institution": appointment.expert.institution,
        "last_day": last_day,
        "months_served": timeline.months_served,
        "terminated": bool(ended_on),
        "extension_months": timeline.extension_months,
    }


def evaluation_opinion_context(evaluation, members) -> dict:
    """The 任职评价意见 as an official document (GB/T 9704 layout, core/pdf/official.html): addressed to
    the nominating institution, sealed by the commission and dated the day it was finalised."""
    from core.documents import ISSUER_NAME, official_context, seal

    term = _term(evaluation.appointment)
    return {
        **term,
        **official_context(
            mark_lines=[ISSUER_NAME],
            addressee=term["institution"].name,
            seals=[seal(ISSUER_NAME, evaluation.finalised_on)],
            copy_to=term["enterprise"].name,
        ),
        "evaluation": evaluation,
        "panel_size": len(members),
        "grade_label": evaluation.get_grade_display(),
        "opinion_paragraphs": [p.strip() for p in (evaluation.opinion or "").splitlines() if p.strip()],
    }


def service_certificate_context(appointment) -> dict:
    evaluation = getattr(appointment, "evaluation", None)
    finalised = evaluation if evaluation and evaluation.state == EvaluationState.FINALISED else None
    return {**_term(appointment), "evaluation": finalised}
