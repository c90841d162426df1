"""Factories for the service-term tests: an appointment created by the projects app's own service."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.urls import reverse

from accounts.enums import Role
from enterprises.enums import EnterpriseState
from enterprises.models import Enterprise, EnterpriseMember, Industry
from experts.models import InstitutionMember
from projects import services as project_services
from projects.enums import ProjectState
from projects.models import Appointment, Project
from tests.factories import projects as pf
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.subsidies import ensure_policy_2_0

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


TZ = ZoneInfo("Asia/Shanghai")


def on(day: date):
    """Travel to 10:00 in Beijing on `day` (the clock stands still)."""
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ), tick=False)


def pdf_file(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def enterprise(name: str | None = None):
    """A verified enterprise in a leading industry of the reference data, with one member user."""
    n = next(pf._seq)
    ent = Enterprise.objects.create(
        name=name or f"昌平测试科技有限公司{n}",
        uscc=f"91110114MA{n:08d}"[:18],
        registered_address="北京市昌平区",
        industry=Industry.objects.filter(is_leading=True).order_by("pk").first()
        or Industry.objects.create(code=f"ind{n}", name=f"行业{n}", is_leading=True),
        size="small",
        contact_name="陈",
        contact_phone="13800000000",
        contact_email=f"c{n}@example.cn",
        state=EnterpriseState.VERIFIED,
    )
    EnterpriseMember.objects.create(enterprise=ent, user=UserFactory(roles=[Role.ENTERPRISE]), is_admin=True)
    return ent


def appointment(
    *, start: date = date(2025, 3, 1), months: int | None = None, exp=None, ent=None, staff=None,
    **project_data,
) -> Appointment:
    """An active appointment of a project filed through the projects services; the steps between
    filing and agreement (review, decision, filing) are not under test here and are skipped by setting
    the project's state to 已签协议 before `appointment_create` runs (so no filing or signing date limits
    the start)."""
    proj = pf.project(ent=ent or enterprise(), exp=exp, **project_data)
    Project.objects.filter(pk=proj.pk).update(
        state=ProjectState.AGREEMENT_SIGNED, approved_funding=F("total_funds")
    )
    proj.refresh_from_db()
    staff = staff or pf.commission()
    ensure_policy_2_0()
    appt = project_services.appointment_create(project=proj, by=staff, start_date=start, issue_letters=False)
    # The term's length is the policy version's (SPEC §4); `months`, when given, documents the expectation.
    assert months is None or appt.months == months, (appt.months, months)
    return appt


def enterprise_user(appt: Appointment):
    return appt.enterprise.members.first().user


def expert_user(appt: Appointment):
    return appt.expert.user


def nominator(appt: Appointment):
    user = UserFactory(roles=[Role.NOMINATOR])
    InstitutionMember.objects.create(user=user, institution=appt.expert.institution)
    return user


def post_extension_request(client, appt: Appointment, *, months: int, reason: str):
    """The appointment's enterprise logs in and asks for `months` more through the page, a PDF as evidence;
    the page's response."""
    otp_login(client, enterprise_user(appt))
    return client.post(
        reverse("terms:extension-create", args=[appt.pk]),
        {"months": months, "reason": reason, "evidence": pdf_file()},
    )


def terminate(appt: Appointment, by, *, reason: str = "企业注销"):
    """Staff terminate the appointment early on 12 May 2026, as of the 10th."""
    from terms import services

    with on(date(2026, 5, 12)):
        services.appointment_terminate(
            appointment=appt, terminated_on=date(2026, 5, 10), reason=reason, by=by
        )


def medical_request(appt: Appointment, medical_service, beneficiary, description: str, *, by=None):
    """A medical support request on the appointment (the service, for whom, why), by its expert unless `by`
    is given."""
    from terms import services
    from terms.enums import SupportKind

    return services.support_request_create(
        appointment=appt,
        kind=SupportKind.MEDICAL,
        by=by or expert_user(appt),
        medical_service=medical_service,
        beneficiary=beneficiary,
        description=description,
    )


def submitted_report(
    appt: Appointment, *, summary: str = "总结", achieved: str = "2项", results=None, confirmed: bool = False
):
    """The term-end report saved and sent to the expert by the enterprise (one result, a patent `achieved`,
    unless `results` are given); `confirmed`: the expert confirmed it too, it is with staff."""
    from terms import services

    user = enterprise_user(appt)
    report = services.term_report_save(
        appointment=appt,
        by=user,
        summary=summary,
        achievements="",
        results=results or [{"indicator": "专利", "achieved": achieved}],
    )
    services.term_report_submit(report=report, by=user)
    if confirmed:
        services.term_report_confirm(report=report, by=expert_user(appt))
    return report
