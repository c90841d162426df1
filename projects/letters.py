"""The two appointment letters (SPEC §8): the district's 科技副总聘书 and the enterprise's 企业任职聘书,
issued through core.documents (serial number, verification QR code, stored PDF)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from core.money import format_cny

from .models import Appointment, ReviewRound

DISTRICT_TEMPLATE = "projects/pdf/district_letter.html"
ENTERPRISE_TEMPLATE = "projects/pdf/enterprise_letter.html"


def _cn_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def letter_context(appointment: Appointment) -> dict:
    """Both letters are dated the day the appointment was made (the act), never the day they are printed;
    each issuer — the commission, the enterprise — has its seal area over its name and that date."""
    from core.documents import ISSUER_NAME, seal

    project = appointment.project
    appointed_on = timezone.localtime(appointment.created_at).date() if appointment.created_at else (
        appointment.start_date
    )
    return {
        "appointment": appointment,
        "expert_name": appointment.expert.name,
        "institution_name": appointment.expert.institution.name,
        "enterprise_name": appointment.enterprise.name,
        "position": appointment.get_position_display(),
        "project_title": project.title,
        "start": _cn_date(appointment.start_date),
        "end": _cn_date(appointment.end_date),
        "months": appointment.months,
        "issued_on": _cn_date(appointed_on),
        "is_vp": appointment.position == "vp",
        "district_seals": [seal(ISSUER_NAME, appointed_on)],
        "enterprise_seals": [seal(f"{appointment.enterprise.name}（盖章）", appointed_on)],
        "approved_funding": format_cny(project.approved_funding)
        if project.approved_funding is not None
        else "",
    }


def appointment_letters_issue(*, appointment: Appointment, by, reissue: bool = False) -> list:
    """Issue (idempotently) both letters of an appointment; returns [district, enterprise] documents.

    The district letter is issued by the commission, the enterprise letter in the enterprise's name (the
    verification page shows the issuer, never personal data)."""
    from core.documents import ISSUER_NAME, DocumentKind, document_issue

    context = letter_context(appointment)
    return [
        document_issue(
            kind=DocumentKind.DISTRICT_LETTER, subject=appointment, template_name=DISTRICT_TEMPLATE,
            title=f"科技副总聘书（{appointment.expert.name}）", context=context, by=by,
            issuer_name=ISSUER_NAME, reissue=reissue,
        ),
        document_issue(
            kind=DocumentKind.ENTERPRISE_LETTER, subject=appointment, template_name=ENTERPRISE_TEMPLATE,
            title=f"企业任职聘书（{appointment.expert.name}）", context=context, by=by,
            issuer_name=appointment.enterprise.name, reissue=reissue,
        ),
    ]


def appointment_letters(appointment: Appointment) -> list:
    """The current (not superseded) letters of an appointment, district first."""
    from core.documents import DocumentKind, document_current

    docs = [document_current(kind=kind, subject=appointment)
            for kind in (DocumentKind.DISTRICT_LETTER, DocumentKind.ENTERPRISE_LETTER)]
    return [d for d in docs if d is not None]


def round_letters_generate(*, round: ReviewRound, by) -> int:
    """Issue the letters of every appointment of a round, recording progress on the round."""
    appointments = list(
        Appointment.objects.filter(project__round=round)
        .select_related("project", "expert__institution", "enterprise")
        .order_by("pk")
    )
    ReviewRound.objects.filter(pk=round.pk).update(
        letters_total=len(appointments),
        letters_done=0,
        letters_error="",
        letters_started_at=timezone.now(),
        letters_finished_at=None,
    )
    done = 0
    for appointment in appointments:
        try:
            with transaction.atomic():
                appointment_letters_issue(appointment=appointment, by=by)
        except Exception as error:  # recorded for staff; the task goes on with the next letter
            ReviewRound.objects.filter(pk=round.pk).update(letters_error=f"{appointment}: {error}"[:1000])
            continue
        done += 1
        ReviewRound.objects.filter(pk=round.pk).update(letters_done=done)
    ReviewRound.objects.filter(pk=round.pk).update(letters_finished_at=timezone.now())
    return done
