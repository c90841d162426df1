"""The data behind the permission matrix (tests/security/test_permission_matrix.py): who is who, and which
object each URL is asked about. The demo data (`seed_demo`) gives one user per role and objects that
belong to them (the nominator's nomination, the expert's profile, the enterprise's demand and project,
the reviewer's assignment …)."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.enums import Role

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
    from core.models import IssuedDocument
    from enterprises.models import Demand, EnterpriseMember, Intent, MatchmakingEvent
    from experts.models import Expert, ExpertChangeRequest, InstitutionMember, Nomination
    from projects.models import Appointment, Objection, Project, ReviewAssignment, ReviewRound
    from subsidies.models import AllowancePayment, BudgetCommitment, Payment, PaymentBatch, ProjectSubsidy
    from terms.models import AppointmentContact, Evaluation, ExtensionRequest, PanelMember, SupportRequest

    institution = InstitutionMember.objects.get(user__username=DEMO_USER[Role.NOMINATOR]).institution
    enterprise = EnterpriseMember.objects.get(user__username=DEMO_USER[Role.ENTERPRISE]).enterprise
    expert = Expert.objects.get(user__username=DEMO_USER[Role.EXPERT])
    appointment = Appointment.objects.filter(enterprise=enterprise, expert=expert).first()
    project = appointment.project if appointment else Project.objects.filter(enterprise=enterprise).first()
    evaluation = Evaluation.objects.first()
    reviewer = DEMO_USER[Role.REVIEWER]
    return {
        "institution": institution,
        "nomination": Nomination.objects.filter(institution=institution, expert=expert).first()
        or Nomination.objects.filter(institution=institution).first(),
        "expert": expert,
        "changerequest": ExpertChangeRequest.objects.filter(expert=expert).first(),
        "enterprise": enterprise,
        "demand": Demand.objects.filter(enterprise=enterprise).first(),
        "intent": Intent.objects.filter(demand__enterprise=enterprise).first(),
        "event": MatchmakingEvent.objects.first(),
        "project": project,
        "round": ReviewRound.objects.first(),
        "assignment": ReviewAssignment.objects.filter(reviewer__user__username=reviewer).first(),
        "objection": Objection.objects.first(),
        "appointment": appointment,
        "extension": ExtensionRequest.objects.filter(appointment=appointment).first(),
        "support": SupportRequest.objects.filter(appointment=appointment).first(),
        "contact": AppointmentContact.objects.filter(appointment=appointment).first(),
        "evaluation": evaluation,
        "panel": PanelMember.objects.filter(reviewer__user__username=reviewer).first(),
        "commitment": BudgetCommitment.objects.first(),
        "payment": Payment.objects.filter(paid_on__isnull=False).first(),
        "subsidy": ProjectSubsidy.objects.first(),
        "allowance": AllowancePayment.objects.first(),
        "batch": PaymentBatch.objects.filter(state="paid").first(),
        "document": IssuedDocument.objects.first(),
    }


def resolve_args(args: tuple, objects: dict[str, object]) -> list:
    out = []
    for a in args:
        if isinstance(a, Ref):
            obj = objects[a.key]
            if a.key == "document":
                out.append(obj.token if obj else "no-such-token")
            else:
                out.append(obj.pk if obj is not None else MISSING_PK)
        else:
            out.append(a)
    return out
