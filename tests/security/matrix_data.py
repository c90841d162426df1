"""The data behind the permission matrix (tests/security/test_permission_matrix.py): who is who, and which
object each URL is asked about. The demo data (`seed_demo`) gives one user per role and objects that
belong to them (the nominator's nomination, the expert's profile, the enterprise's demand and project,
the reviewer's assignment …)."""

from __future__ import annotations

import contextlib
import tempfile
from dataclasses import dataclass
from io import StringIO

from django.core.management import call_command
from django.test import Client

from accounts.enums import Role
from accounts.models import User
from tests.factories.accounts import role_login

# setUpTestData runs before the autouse `settings` fixture of tests/conftest.py: the same test keys here.
TEST_SETTINGS = {
    "FIELD_ENCRYPTION_KEYS": ["dGVzdC1vbmx5LWZpZWxkLWVuY3J5cHRpb24ta2V5LTA="],
    "BLIND_INDEX_KEY": "test-only-blind-index-key",
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "MEDIA_ROOT": tempfile.mkdtemp(prefix="kjfz-matrix-"),
}

ANONYMOUS = "anonymous"
# Every subject of the matrix: anonymous, then each role (the three administrators included).
SUBJECTS: tuple[str, ...] = (ANONYMOUS, *(r.value for r in Role))

# The demo user holding each role (accounts/seed.py).
DEMO_USER = {
    Role.COMMISSION: "kw_wang",
    Role.TALENT_OFFICE: "rcb_li",
    Role.FINANCE: "czj_zhao",
    Role.NOMINATOR: "tj_cup",
    Role.EXPERT: "zj_zhang",
    Role.ENTERPRISE: "qy_chen",
    Role.REVIEWER: "ps_sun",
    Role.WORKING_GROUP: "wg_rsj",
    Role.SECURITY_ADMIN: "aq_admin",
    Role.AUDIT_ADMIN: "sj_admin",
    Role.SYSTEM_ADMIN: "xt_admin",
}

MISSING_PK = 987654321  # an object the demo data lacks: the URL must answer 404 to everyone


@dataclass(frozen=True)
class Ref:
    """A URL argument taken from the demo data set: `O.nomination` → that nomination's pk."""

    key: str


class _Objects:
    def __getattr__(self, key: str) -> Ref:
        if key.startswith("__"):
            raise AttributeError(key)
        return Ref(key)


O = _Objects()  # noqa: E741 - reads as "object": O.nomination


def demo_objects() -> dict[str, object]:
    """Objects of the seeded demo, each belonging to the demo user of the role that owns it. A key whose
    object the demo lacks maps to None (the URL gets MISSING_PK)."""
    from awards.models import Award, AwardApplication, AwardCycle, AwardSheet
    from core.models import IssuedDocument
    from credit.models import CreditObjection, CreditRecord
    from dashboard.models import AnnualReport
    from enterprises.models import Demand, EnterpriseMember, Intent, MatchmakingEvent
    from experts.models import Expert, ExpertChangeRequest, InstitutionMember, Nomination
    from outcomes.models import Outcome, OutcomeKind, ProjectTarget
    from projects.models import Appointment, Objection, Project, ReviewAssignment, ReviewRound
    from subsidies.models import AllowancePayment, BudgetCommitment, Payment, PaymentBatch, ProjectSubsidy
    from terms.enums import SupportState
    from terms.models import (
        AppointmentContact,
        CoManagementRecord,
        Evaluation,
        ExtensionRequest,
        PanelMember,
        SupportRequest,
    )

    institution = InstitutionMember.objects.get(user__username=DEMO_USER[Role.NOMINATOR]).institution
    enterprise = EnterpriseMember.objects.get(user__username=DEMO_USER[Role.ENTERPRISE]).enterprise
    expert = Expert.objects.get(user__username=DEMO_USER[Role.EXPERT])
    appointment = Appointment.objects.filter(enterprise=enterprise, expert=expert).first()
    project = appointment.project if appointment else Project.objects.filter(enterprise=enterprise).first()
    evaluation = Evaluation.objects.first()
    reviewer = DEMO_USER[Role.REVIEWER]
    # The enterprise's prize-winning application of last year's (published) awards cycle; the demo
    # expert zj_zhang has none (the winners are zj_zhong …), so the expert's side is the IDOR test's.
    award_application = (
        AwardApplication.objects.filter(enterprise=enterprise, award__isnull=False).first()
        or AwardApplication.objects.filter(enterprise=enterprise).first()
    )
    return {
        "institution": institution,
        "nomination": Nomination.objects.filter(institution=institution, expert=expert).first()
        or Nomination.objects.filter(institution=institution).first(),
        "expert": expert,
        "changerequest": ExpertChangeRequest.objects.filter(expert=expert).first(),
        "enterprise": enterprise,
        "demand": Demand.objects.filter(enterprise=enterprise).first(),
        # the accepted intent a project is filed from (the demo enterprise also has pending ones)
        "intent": Intent.objects.filter(demand__enterprise=enterprise, state="accepted").first(),
        "event": MatchmakingEvent.objects.first(),
        "project": project,
        "round": ReviewRound.objects.first(),
        "assignment": ReviewAssignment.objects.filter(reviewer__user__username=reviewer).first(),
        "objection": Objection.objects.first(),
        "appointment": appointment,
        "extension": ExtensionRequest.objects.filter(appointment=appointment).first(),
        # The housing request: still submitted (the expert may withdraw it) and with its evidence file
        # (the newest request is the withdrawn medical one, which has no file).
        "support": SupportRequest.objects.filter(appointment=appointment, state=SupportState.SUBMITTED)
        .exclude(evidence="")
        .first(),
        "comanagement": CoManagementRecord.objects.filter(appointment=appointment)
        .exclude(follow_up="")
        .first(),
        "contact": AppointmentContact.objects.filter(appointment=appointment).first(),
        "evaluation": evaluation,
        "panel": PanelMember.objects.filter(reviewer__user__username=reviewer).first(),
        "commitment": BudgetCommitment.objects.first(),
        "payment": Payment.objects.filter(paid_on__isnull=False).first(),
        "subsidy": ProjectSubsidy.objects.first(),
        "allowance": AllowancePayment.objects.first(),
        "batch": PaymentBatch.objects.filter(state="paid").first(),
        "document": IssuedDocument.objects.first(),
        "annual_report_draft": AnnualReport.objects.filter(state="draft").first(),
        "annual_report_issued": AnnualReport.objects.filter(state="issued").first(),
        "award_cycle": AwardCycle.objects.first(),
        "award_year": AwardCycle.objects.values_list("year", flat=True).first(),
        "award_application": award_application,
        "award": Award.objects.filter(application=award_application).first(),
        "award_sheet": AwardSheet.objects.filter(reviewer__user__username=reviewer).first(),
        "outcome": Outcome.objects.filter(
            appointment=appointment, side="enterprise", state="verified", kind__code__startswith="patent"
        ).first(),
        "outcome_target": ProjectTarget.objects.filter(project=project).first(),
        "outcome_kind": OutcomeKind.objects.first(),
        # the demo enterprise's early-termination record: notified, with its objection waiting for staff
        "credit_record": CreditRecord.objects.filter(enterprise=enterprise, state="notified").first(),
        "credit_objection": CreditObjection.objects.filter(state="open").first(),
    }


def demo_export_job() -> str:
    """A finished background export (core.exports) of the nominator's nomination list: its job id, which
    the export status and download URLs take. Only the nominator who asked for it may open it."""
    from core.exports import export_job_create, export_job_run
    from experts.views import NominationListView

    user = User.objects.get(username=DEMO_USER[Role.NOMINATOR])
    job_id = export_job_create(
        user=user,
        view_path=NominationListView.export_view_path(),
        params={},
        kwargs={},
        total=0,
        title="推荐",
        filename="nominations",
    )
    export_job_run(job_id)
    return job_id


def resolve_args(args: tuple, objects: dict[str, object]) -> list:
    out = []
    for a in args:
        if isinstance(a, Ref):
            obj = objects[a.key]
            if isinstance(obj, (str, int)):  # a value, not a model: an export job's id, a year
                out.append(obj)
            elif a.key == "document":
                out.append(obj.token if obj else "no-such-token")
            else:
                out.append(obj.pk if obj is not None else MISSING_PK)
        else:
            out.append(a)
    return out


def demo_client(subject: str, **kwargs) -> Client:
    """A test client (`Client(**kwargs)`) logged in as the demo user of the role `subject` names, past the
    second factor where the role needs it; for ANONYMOUS, logged in as nobody."""
    if subject == ANONYMOUS:
        return Client(**kwargs)
    role = Role(subject)
    return role_login(Client(**kwargs), User.objects.get(username=DEMO_USER[role]), role)


def seed_demo_objects() -> dict[str, object]:
    """Seed the demo data, complete its files and return `demo_objects()` with the export job's id under
    "export_job" (for setUpTestData)."""
    call_command("seed_demo", stdout=StringIO())
    complete_the_demo_files(demo_objects())
    objects = demo_objects()
    objects["export_job"] = demo_export_job()
    return objects


def complete_the_demo_files(objects) -> None:
    """Files the seeded demo leaves out in a test transaction (they are issued after commit) or has not
    at all: the expert's résumé, the appointment letters, the service certificate and the evidence of
    the enterprise's award application, so their downloads answer 200 to the owner and the IDOR test
    means something."""
    from django.core.files.base import ContentFile

    from projects.letters import appointment_letters_issue
    from terms.services import service_certificate_issue

    staff = User.objects.get(username=DEMO_USER[Role.COMMISSION])
    expert = objects["expert"]
    expert.resume.save("resume.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    appointment_letters_issue(appointment=objects["appointment"], by=staff)
    if objects["award_application"] is not None:
        objects["award_application"].evidence_file.save(
            "evidence.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True
        )
    with contextlib.suppress(ValueError):  # only after the term ends; the demo term is active
        service_certificate_issue(appointment=objects["appointment"], by=staff)
