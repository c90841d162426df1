"""The permission matrix (issue 9 item 6; 等保 2.0 8.1.4.2 访问控制, ASVS 4.1.1/4.1.3/4.2.1): every named
URL of the portal × every subject (anonymous and each role, the three administrators included) → the
status code it must answer, asked as the demo user of that role about the demo object that role owns.

ADDING A URL is one line in MATRIX (keep each app's rows together):

    "awards:award-detail": Row(args=(O.award,), ok={COM, EXP}, other=404),

- `args`: the URL's arguments; `O.<key>` is an object of the demo data (`matrix_data.demo_objects`;
  add the key there when the object is new), anything else is used as it is (a slug, a year).
- `ok`: the roles answered 200; `other`: what every other role gets (403 from a role check, 404 from
  object-level filtering — another user's object is 404); `anonymous`: 302 to the login page by default;
  `special`: single exceptions, e.g. {NOM: 302}.
- `method="post"` for action URLs (sent with no data, inside a transaction rolled back after each
  request): `ok` then means "reached the action" — usually 302 back to the page with a message.
- Not sure? Run the test with KJFZ_MATRIX_DUMP=1: it writes the observed row of every URL to
  var/permission_matrix_observed.txt; check each status is the one the policy wants before pasting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accounts.enums import Role

from .matrix_data import ANONYMOUS, O

COM, TAL, FIN = Role.COMMISSION, Role.TALENT_OFFICE, Role.FINANCE
NOM, EXP, ENT, REV, WG = Role.NOMINATOR, Role.EXPERT, Role.ENTERPRISE, Role.REVIEWER, Role.WORKING_GROUP
SEC, AUD, SYS = Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN
SHORT = {
    COM: "COM",
    TAL: "TAL",
    FIN: "FIN",
    NOM: "NOM",
    EXP: "EXP",
    ENT: "ENT",
    REV: "REV",
    WG: "WG",
    SEC: "SEC",
    AUD: "AUD",
    SYS: "SYS",
}

# URLs outside the matrix: Django's admin (guarded by PortalAdminSite and tests/security/
# test_separation_of_duties.py) and static files.
SKIPPED_PREFIXES = ("admin/", "static/", "media/")


@dataclass(frozen=True)
class Row:
    args: tuple = ()
    ok: frozenset | set = frozenset()
    other: int = 404
    anonymous: int = 302
    special: dict = field(default_factory=dict)
    method: str = "get"

    def expected(self, subject: str) -> int:
        if subject == ANONYMOUS:
            return self.anonymous
        role = Role(subject)
        if role in self.special:
            return self.special[role]
        return 200 if role in self.ok else self.other


EXAMPLE_ROW = '"app:name": Row(args=(O.thing,), ok={COM}, other=404),'

#: Rows about an object that every user of the allowed roles may open by design, not only its owner:
#: the IDOR test (a stranger of the same role gets 404) skips them. Say why.
SHARED_ROWS = {
    "enterprises:expert-profile": "an admitted expert's public profile: every enterprise may read it",
}

#: A step of an outcome's workflow (outcomes.views.detail.OutcomeActionView), sent with no data: every
#: role that may see the demo outcome reaches it and is sent back to the outcome's page (302), the step
#: done or refused with a message; the others get 404.
OUTCOME_STEP = Row(
    args=(O.outcome,), other=404, special={COM: 302, TAL: 302, NOM: 302, EXP: 302, ENT: 302}, method="post"
)

MATRIX: dict[str, Row] = {
    "set_language": Row(other=302),
    "accounts:login": Row(other=302, anonymous=200),
    "accounts:logout": Row(other=405, anonymous=405),
    "accounts:password-change": Row(other=200),
    "accounts:otp-verify": Row(other=302),
    "accounts:otp-setup": Row(other=200),
    "accounts:session-list": Row(other=200),
    "accounts:lockout-list": Row(ok={SEC}, other=403),
    "experts:nomination-list": Row(ok={COM, NOM}, other=404),
    "experts:nomination-export": Row(ok={COM, NOM}, other=404),
    "experts:nomination-create": Row(ok={NOM}, other=404),
    "experts:nomination-import": Row(ok={NOM}, other=404),
    "experts:nomination-import-template": Row(ok={NOM}, other=404),
    "experts:nomination-detail": Row(args=(O.nomination,), ok={COM, NOM}, other=404),
    "experts:nomination-update": Row(args=(O.nomination,), other=404, special={NOM: 302}),
    "experts:nomination-submit": Row(args=(O.nomination,), other=404, special={NOM: 302}, method="post"),
    # staff's decision, one URL per button; sent with no data: the page again (a reason is missing, or
    # 准予入库 asks for confirmation)
    "experts:nomination-admit": Row(args=(O.nomination,), ok={COM}, other=404, method="post"),
    "experts:nomination-return": Row(args=(O.nomination,), ok={COM}, other=404, method="post"),
    "experts:nomination-reject": Row(args=(O.nomination,), ok={COM}, other=404, method="post"),
    "experts:nomination-approve-exception": Row(args=(O.nomination,), ok={COM}, other=404, method="post"),
    "experts:nomination-refuse-exception": Row(args=(O.nomination,), ok={COM}, other=404, method="post"),
    "experts:nomination-letter": Row(args=(O.nomination,), ok={COM, NOM}, other=404),
    "experts:expert-list": Row(ok={COM, NOM}, other=404),
    "experts:expert-export": Row(ok={COM, NOM}, other=404),
    "experts:expert-detail": Row(args=(O.expert,), ok={COM, NOM, EXP}, other=404),
    "experts:expert-file": Row(args=(O.expert, "resume"), ok={COM, NOM, EXP}, other=404),
    "experts:expert-id-number": Row(args=(O.expert,), ok={COM}, other=404, method="post"),
    "experts:expert-phone": Row(args=(O.expert,), ok={COM}, other=404, method="post"),
    "experts:expert-me": Row(other=404, special={EXP: 302}),
    "experts:expert-profile-edit": Row(ok={EXP}, other=404),
    "experts:changerequest-list": Row(ok={COM}, other=404),
    "experts:changerequest-export": Row(ok={COM}, other=404),
    "experts:changerequest-decide": Row(args=(O.changerequest,), other=404, method="post"),
    "experts:institution-list": Row(ok={COM}, other=404),
    "experts:institution-export": Row(ok={COM}, other=404),
    "experts:institution-create": Row(ok={COM}, other=404),
    "experts:institution-update": Row(args=(O.institution,), ok={COM}, other=404),
    "experts:invite-confirm": Row(args=("MQ", "bad-token"), other=200, anonymous=200),
    "enterprises:register": Row(other=200, anonymous=200, special={ENT: 302}),
    "enterprises:enterprise-list": Row(ok={COM}, other=403),
    "enterprises:enterprise-export": Row(ok={COM}, other=403),
    "enterprises:enterprise-mine": Row(other=302),
    "enterprises:enterprise-detail": Row(args=(O.enterprise,), ok={COM, ENT}, other=404),
    "enterprises:enterprise-update": Row(args=(O.enterprise,), ok={ENT}, other=404, special={COM: 403}),
    # the demo enterprise has no Changping evidence on file: 404 for everyone, another's is 404 too
    "enterprises:enterprise-evidence": Row(args=(O.enterprise,), other=404),
    "enterprises:member-add": Row(args=(O.enterprise,), ok={ENT}, other=404, special={COM: 403}),
    "enterprises:enterprise-verify": Row(
        args=(O.enterprise,), ok={COM}, other=404, special={ENT: 403}, method="post"
    ),
    "enterprises:enterprise-reject": Row(
        args=(O.enterprise,), ok={COM}, other=404, special={ENT: 403}, method="post"
    ),
    "enterprises:enterprise-resubmit": Row(
        args=(O.enterprise,), other=404, special={COM: 403, ENT: 302}, method="post"
    ),
    "enterprises:demand-list": Row(ok={COM, EXP, ENT}, other=404),
    "enterprises:demand-export": Row(ok={COM, EXP, ENT}, other=404),
    "enterprises:demand-create": Row(ok={ENT}, other=403),
    "enterprises:demand-recommended": Row(ok={EXP}, other=404),
    "enterprises:demand-detail": Row(args=(O.demand,), ok={COM, ENT}, other=404),
    "enterprises:demand-update": Row(args=(O.demand,), ok={ENT}, other=404, special={COM: 403}),
    "enterprises:demand-publish": Row(
        args=(O.demand,), other=404, special={COM: 403, ENT: 302}, method="post"
    ),
    "enterprises:demand-close": Row(args=(O.demand,), other=404, special={COM: 403, ENT: 302}, method="post"),
    "enterprises:demand-invite": Row(
        args=(O.demand,), other=404, special={COM: 403, ENT: 404}, method="post"
    ),
    "enterprises:demand-apply": Row(args=(O.demand,), other=404, special={COM: 403, ENT: 403}, method="post"),
    "enterprises:expert-profile": Row(args=(O.expert,), ok={COM, ENT}, other=404),
    "enterprises:intent-list": Row(ok={COM, EXP, ENT}, other=404),
    "enterprises:intent-export": Row(ok={COM, EXP, ENT}, other=404),
    "enterprises:intent-detail": Row(args=(O.intent,), ok={COM, ENT}, other=404),
    "enterprises:intent-accept": Row(
        args=(O.intent,), other=404, special={COM: 302, ENT: 302}, method="post"
    ),
    "enterprises:intent-decline": Row(
        args=(O.intent,), other=404, special={COM: 302, ENT: 302}, method="post"
    ),
    "enterprises:intent-withdraw": Row(
        args=(O.intent,), other=404, special={COM: 302, ENT: 302}, method="post"
    ),
    "enterprises:intent-in-service": Row(
        args=(O.intent,), other=404, special={COM: 302, ENT: 403}, method="post"
    ),
    "enterprises:event-list": Row(other=200),
    "enterprises:event-export": Row(other=200),
    "enterprises:event-create": Row(ok={COM}, other=403),
    "enterprises:event-detail": Row(args=(O.event,), ok={COM, EXP, ENT}, other=404),
    "enterprises:event-invite": Row(args=(O.event,), other=403, special={COM: 302}, method="post"),
    "enterprises:event-attendance": Row(args=(O.event,), other=403, special={COM: 302}, method="post"),
    "enterprises:event-link": Row(args=(O.event,), other=403, special={COM: 404}, method="post"),
    "enterprises:funnel": Row(ok={COM}, other=403),
    "projects:project-list": Row(ok={COM, TAL, EXP, ENT}, other=404),
    "projects:project-export": Row(ok={COM, TAL, EXP, ENT}, other=404),
    "projects:project-create": Row(args=(O.intent,), ok={ENT}, other=404),
    "projects:project-detail": Row(args=(O.project,), ok={COM, TAL, EXP, ENT}, other=404),
    "projects:project-update": Row(args=(O.project,), other=404),
    # the project page's buttons, one view per action: a form refused (sent empty here) shows the page
    # again with its errors (200); a button without a form answers with a message on the page (302)
    "projects:project-confirm": Row(args=(O.project,), other=404, special={EXP: 302}, method="post"),
    "projects:project-submit": Row(args=(O.project,), other=404, special={ENT: 302}, method="post"),
    "projects:project-return": Row(args=(O.project,), ok={COM}, other=404, method="post"),
    "projects:project-accept": Row(args=(O.project,), ok={COM}, other=404, method="post"),
    "projects:project-decide": Row(args=(O.project,), ok={COM}, other=404, method="post"),
    "projects:project-agreement": Row(args=(O.project,), ok={COM, ENT}, other=404, method="post"),
    "projects:project-appoint": Row(args=(O.project,), ok={COM}, other=404, method="post"),
    "projects:project-file": Row(args=(O.project, "plan"), ok={COM, TAL, EXP, ENT}, other=404),
    "projects:project-letter": Row(args=(O.project, "district_letter"), ok={COM, TAL, EXP, ENT}, other=404),
    "projects:round-list": Row(ok={COM}, other=404),
    "projects:round-export": Row(ok={COM}, other=404),
    "projects:round-create": Row(ok={COM}, other=404),
    "projects:round-detail": Row(args=(O.round,), ok={COM}, other=404),
    "projects:round-assign": Row(args=(O.round,), other=404, special={COM: 302}, method="post"),
    "projects:round-open": Row(args=(O.round,), other=404, special={COM: 302}, method="post"),
    "projects:round-close": Row(args=(O.round,), other=404, special={COM: 302}, method="post"),
    "projects:round-decide": Row(args=(O.round,), other=404, special={COM: 302}, method="post"),
    "projects:round-letters": Row(args=(O.round,), other=404, special={COM: 302}, method="post"),
    "projects:round-letters-progress": Row(args=(O.round,), ok={COM}, other=404),
    "projects:round-results": Row(args=(O.round, "xlsx"), ok={COM}, other=404),
    "projects:assignment-swap": Row(args=(O.assignment,), other=404, special={COM: 302}, method="post"),
    "projects:objection-resolve": Row(args=(O.objection,), other=404, method="post"),
    "projects:review-list": Row(ok={REV}, other=404),
    "projects:review-sheet": Row(args=(O.assignment,), other=404),
    "projects:review-file": Row(args=(O.assignment, "plan"), other=404),
    "projects:review-conflict": Row(args=(O.assignment,), other=404, method="post"),
    "projects:filing-list": Row(ok={TAL}, other=404),
    "projects:notice": Row(other=200, anonymous=200),
    "terms:appointment-list": Row(ok={COM, TAL, NOM, EXP, ENT}, other=404),
    "terms:appointment-export": Row(ok={COM, TAL, NOM, EXP, ENT}, other=404),
    "terms:appointment-detail": Row(args=(O.appointment,), ok={COM, TAL, NOM, EXP, ENT}, other=404),
    "terms:appointment-terminate": Row(args=(O.appointment,), ok={COM}, other=404),
    "terms:extension-create": Row(args=(O.appointment,), ok={ENT}, other=404),
    "terms:extension-decide": Row(args=(O.extension,), other=404, special={COM: 302}, method="post"),
    "terms:extension-evidence": Row(args=(O.extension,), ok={COM, TAL, EXP, ENT}, other=404),
    "terms:comanagement-create": Row(args=(O.appointment,), ok={COM}, other=404),
    "terms:comanagement-follow-up-done": Row(
        args=(O.appointment, O.comanagement), other=404, special={COM: 302}, method="post"
    ),
    "terms:contact-create": Row(args=(O.appointment,), ok={COM}, other=404),
    "terms:contact-update": Row(args=(O.appointment, O.contact), ok={COM}, other=404),
    "terms:contact-delete": Row(
        args=(O.appointment, O.contact), other=404, special={COM: 302}, method="post"
    ),
    "terms:support-create": Row(args=(O.appointment, "medical"), ok={COM, EXP}, other=404),
    "terms:support-list": Row(ok={COM, EXP}, other=404),
    "terms:support-export": Row(ok={COM, EXP}, other=404),
    "terms:support-detail": Row(args=(O.support,), ok={COM, EXP}, other=404),
    "terms:support-withdraw": Row(args=(O.support,), other=404, special={COM: 302, EXP: 302}, method="post"),
    "terms:support-evidence": Row(args=(O.support,), ok={COM, EXP}, other=404),
    "terms:report-edit": Row(args=(O.appointment,), ok={ENT}, other=404),
    "terms:report-attachment": Row(args=(O.appointment,), other=404),
    # the report's steps (no report in the demo data: 404 to everyone)
    "terms:report-submit": Row(args=(O.appointment,), other=404, method="post"),
    "terms:report-confirm": Row(args=(O.appointment,), other=404, method="post"),
    "terms:report-return": Row(args=(O.appointment,), other=404, method="post"),
    "terms:report-accept": Row(args=(O.appointment,), other=404, method="post"),
    "terms:evaluation-create": Row(args=(O.appointment,), ok={COM}, other=404),
    "terms:evaluation-detail": Row(args=(O.evaluation,), other=404),
    "terms:evaluation-member-add": Row(args=(O.evaluation,), other=404, method="post"),
    "terms:evaluation-open": Row(args=(O.evaluation,), other=404, method="post"),
    "terms:evaluation-finalise": Row(args=(O.evaluation,), other=404, method="post"),
    "terms:panel-list": Row(ok={REV}, other=404),
    "terms:panel-grade": Row(args=(O.panel,), other=404),
    "terms:panel-conflict": Row(args=(O.panel,), other=404, method="post"),
    "terms:certificate-issue": Row(
        args=(O.appointment,), other=404, special={COM: 302, EXP: 302}, method="post"
    ),
    # No certificate before the term ends (the demo term is active): 404 to everyone.
    "terms:document-download": Row(args=(O.appointment, "service_certificate"), other=404),
    "subsidies:budget-list": Row(ok={COM, FIN}, other=404),
    "subsidies:budget-create": Row(ok={COM, FIN}, other=404),
    "subsidies:budget-detail": Row(args=(2026,), ok={COM, FIN}, other=404),
    "subsidies:budget-edit": Row(args=(2026,), ok={COM, FIN}, other=404),
    "subsidies:commitment-export": Row(args=(2026,), ok={COM, FIN}, other=404),
    "subsidies:commitment-override": Row(args=(O.commitment,), other=404, special={COM: 302}, method="post"),
    "subsidies:payment-due": Row(ok={COM}, other=404),
    "subsidies:payment-due-export": Row(ok={COM}, other=404),
    "subsidies:payment-add-to-batch": Row(other=404, method="post"),
    "subsidies:payment-reverse": Row(args=(O.payment,), other=404, special={COM: 302}, method="post"),
    "subsidies:subsidy-list": Row(ok={COM}, other=404),
    "subsidies:subsidy-export": Row(ok={COM}, other=404),
    "subsidies:subsidy-detail": Row(args=(O.subsidy,), ok={COM}, other=404),
    "subsidies:subsidy-suspension-decide": Row(
        args=(O.subsidy,), other=404, special={COM: 302}, method="post"
    ),
    "subsidies:my-allowances": Row(ok={EXP}, other=404),
    "subsidies:enterprise-money": Row(ok={ENT}, other=404),
    "subsidies:matching-overdue": Row(ok={COM}, other=404),
    "subsidies:matching-overdue-export": Row(ok={COM}, other=404),
    "subsidies:matching-confirm": Row(args=(O.allowance,), other=404, method="post"),
    "subsidies:batch-list": Row(ok={COM, FIN}, other=404),
    "subsidies:batch-list-export": Row(ok={COM, FIN}, other=404),
    "subsidies:batch-detail": Row(args=(O.batch,), ok={COM, FIN}, other=404),
    "subsidies:batch-export": Row(args=(O.batch,), ok={FIN}, other=404),
    "subsidies:batch-statement": Row(args=(O.batch,), ok={COM, FIN}, other=404),
    # one URL per batch action, each with its own permission on the (paid) demo batch
    "subsidies:batch-add": Row(args=(O.batch,), other=404, method="post"),
    "subsidies:batch-remove": Row(args=(O.batch,), other=404, method="post"),
    "subsidies:batch-submit": Row(args=(O.batch,), other=404, method="post"),
    "subsidies:batch-approve": Row(args=(O.batch,), other=404, method="post"),
    "subsidies:batch-return": Row(args=(O.batch,), other=404, method="post"),
    "subsidies:batch-pay": Row(args=(O.batch,), other=404, method="post"),
    # 催办 (issue 16): the commission reminds the enterprise of an unconfirmed matching allowance month.
    "worklist:matching-remind": Row(args=(O.allowance,), other=403, special={COM: 302}, method="post"),
    "privacy:my-data": Row(ok={EXP}, other=403),
    "privacy:my-data-download": Row(ok={EXP}, other=403),
    "core:index": Row(other=302, anonymous=200),
    "core:healthz": Row(other=200, anonymous=200),
    "core:home": Row(other=302),
    "core:role-home": Row(args=("commission",), ok={COM}, other=404),
    "core:document-verify": Row(args=(O.document,), other=200, anonymous=200),
    "core:document-verify-upload": Row(other=200, anonymous=200),
    "core:notification-list": Row(other=200),
    # A finished background export of the nominator's (matrix_data.demo_export_job): its owner only.
    "core:export-status": Row(args=(O.export_job,), ok={NOM}, other=404),
    "core:export-download": Row(args=(O.export_job,), ok={NOM}, other=404),
    "core:audit-list": Row(ok={AUD}, other=403),
    "core:audit-export": Row(ok={AUD}, other=403),
    "dashboard:index": Row(ok={COM, TAL, FIN, WG}, other=403),
    "dashboard:report": Row(args=("xlsx",), ok={COM, WG}, other=403),
    "dashboard:report-list": Row(ok={COM, WG}, other=403),
    "dashboard:report-create": Row(method="post", special={COM: 302}, other=403),
    "dashboard:report-edit": Row(args=(O.annual_report_draft,), ok={COM}, other=403),
    "dashboard:report-preview": Row(args=(O.annual_report_draft,), ok={COM}, other=403),
    "dashboard:report-download": Row(args=(O.annual_report_issued, "xlsx"), ok={COM, WG}, other=403),
    "awards:index": Row(ok={COM, EXP, ENT}, other=404),
    "awards:cycle-create": Row(ok={COM}, other=404),
    "awards:cycle-detail": Row(args=(O.award_cycle,), ok={COM}, other=404),
    "awards:cycle-update": Row(args=(O.award_cycle,), ok={COM}, other=404),
    "awards:cycle-open": Row(args=(O.award_cycle,), other=404, special={COM: 302}, method="post"),
    "awards:cycle-review": Row(args=(O.award_cycle,), other=404, special={COM: 302}, method="post"),
    "awards:cycle-assign": Row(args=(O.award_cycle,), other=404, special={COM: 302}, method="post"),
    "awards:cycle-close": Row(args=(O.award_cycle,), other=404, special={COM: 302}, method="post"),
    "awards:cycle-approve": Row(args=(O.award_cycle,), other=404, special={COM: 302}, method="post"),
    "awards:cycle-publish": Row(args=(O.award_cycle,), other=404, special={COM: 302}, method="post"),
    "awards:cycle-batch": Row(args=(O.award_cycle,), other=404, special={COM: 302}, method="post"),
    # the demo cycle is published: issuing the certificates again asks for confirmation first
    "awards:cycle-certificates": Row(args=(O.award_cycle,), ok={COM}, other=404, method="post"),
    "awards:decision": Row(args=(O.award_cycle,), ok={COM}, other=404),
    "awards:decision-autofill": Row(args=(O.award_cycle,), other=404, special={COM: 302}, method="post"),
    "awards:cycle-export": Row(args=(O.award_cycle,), ok={COM}, other=404),
    # The demo's only cycle is published: nominating and applying need an open cycle (404 to everyone),
    # and reviewers see their sheets only while the cycle is under review.
    "awards:nominate": Row(args=(O.award_cycle, O.project), other=404),
    "awards:application-create": Row(args=(O.award_cycle, O.project), other=404),
    "awards:application-detail": Row(args=(O.award_application,), ok={COM, ENT}, other=404),
    "awards:application-update": Row(args=(O.award_application,), other=404, special={ENT: 302}),
    "awards:application-confirm": Row(
        args=(O.award_application,), other=404, special={COM: 302, ENT: 302}, method="post"
    ),
    "awards:application-submit": Row(
        args=(O.award_application,), other=404, special={COM: 302, ENT: 302}, method="post"
    ),
    # staff sent it with no reason: the page again, the error at the field; the enterprise is refused
    "awards:application-return": Row(
        args=(O.award_application,), ok={COM}, other=404, special={ENT: 302}, method="post"
    ),
    "awards:application-evidence": Row(args=(O.award_application,), ok={COM, ENT}, other=404),
    "awards:certificate": Row(args=(O.award,), ok={COM, ENT}, other=404),
    "awards:review-list": Row(ok={REV}, other=404),
    "awards:review-sheet": Row(args=(O.award_sheet,), other=404),
    "awards:review-conflict": Row(args=(O.award_sheet,), other=404, method="post"),
    "awards:results": Row(other=200, anonymous=200),
    "awards:results-year": Row(args=(O.award_year,), other=200, anonymous=200),
    # outcomes (issue 21): the demo enterprise's verified patent on the demo term (reported by qy_chen)
    "outcomes:outcome-list": Row(ok={COM, TAL, NOM, EXP, ENT}, other=404),
    "outcomes:outcome-detail": Row(args=(O.outcome,), ok={COM, TAL, NOM, EXP, ENT}, other=404),
    "outcomes:outcome-edit": Row(args=(O.outcome,), ok={ENT}, other=404),
    "outcomes:outcome-evidence": Row(args=(O.outcome,), ok={COM, TAL, NOM, EXP, ENT}, other=404),
    "outcomes:outcome-confirm": OUTCOME_STEP,
    "outcomes:outcome-verify": OUTCOME_STEP,
    "outcomes:outcome-resubmit": OUTCOME_STEP,
    "outcomes:outcome-withdraw": OUTCOME_STEP,
    "outcomes:outcome-dispute": OUTCOME_STEP,
    "outcomes:outcome-return": OUTCOME_STEP,
    "outcomes:outcome-reject": OUTCOME_STEP,
    "outcomes:appointment-outcomes": Row(args=(O.appointment,), ok={COM, TAL, NOM, EXP, ENT}, other=404),
    "outcomes:outcome-create": Row(args=(O.appointment,), ok={EXP, ENT}, other=404),
    "outcomes:target-override": Row(args=(O.appointment, O.outcome_target), ok={COM, ENT}, other=404),
    # targets are set while the project may be edited (draft/returned): the demo enterprise has none such
    "outcomes:project-targets": Row(args=(O.project,), other=404),
    "outcomes:award-outcomes": Row(args=(O.award_application,), ok={COM, ENT}, other=404),
    "outcomes:kind-list": Row(ok={COM}, other=404),
    "outcomes:kind-create": Row(ok={COM}, other=404),
    "outcomes:kind-edit": Row(args=(O.outcome_kind,), ok={COM}, other=404),
    # credit record (issue 21 item 5): staff manage, the talent office reads, the subject sees its own
    "credit:record-list": Row(ok={COM, TAL}, other=404),
    "credit:record-mine": Row(ok={EXP, ENT, REV, NOM}, other=404),
    "credit:record-detail": Row(args=(O.credit_record,), ok={COM, TAL, ENT}, other=404),
    "credit:record-notify": Row(args=(O.credit_record,), other=404, special={COM: 302}, method="post"),
    "credit:record-confirm": Row(args=(O.credit_record,), other=404, special={COM: 302}, method="post"),
    # no reason sent: the record's page again, the error at the field
    "credit:record-dismiss": Row(args=(O.credit_record,), ok={COM}, other=404, method="post"),
    "credit:record-repair": Row(args=(O.credit_record,), ok={COM}, other=404, method="post"),
    "credit:record-revoke": Row(args=(O.credit_record,), ok={COM}, other=404, method="post"),
    "credit:objection-file": Row(args=(O.credit_record,), other=404, special={ENT: 302}, method="post"),
    "credit:objection-resolve": Row(
        args=(O.credit_objection,), other=404, special={COM: 302}, method="post"
    ),
}
