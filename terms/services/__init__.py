"""Writes of the service-term app, one module per sub-domain: `extensions`, `termination` (early
termination and the end-of-term job), `management` (co-management records, contact persons), `support`
(medical and housing services), `reports` (term-end report and completion), `evaluations` (任职评价 and the
service certificate) and `reminders`. Shared private helpers live in `_common`.

Each action checks its rule (terms.policy), locks what it changes, writes its audit row and transition
record, and schedules notifications — in one transaction. Callers import from `terms.services`, which
re-exports every public name (and TermsError).
"""

from __future__ import annotations

from ..exceptions import TermsError
from .evaluations import (
    evaluation_create,
    evaluation_finalise,
    evaluation_open,
    evaluation_suggested_grade,
    panel_grade_submit,
    panel_member_add,
    panel_member_declare_conflict,
    service_certificate_issue,
)
from .extensions import (
    extension_limits,
    extension_request_create,
    extension_request_decide,
    extension_request_withdraw,
)
from .management import (
    CONTACT_FIELDS,
    comanagement_follow_up_done,
    comanagement_record_create,
    contact_create,
    contact_delete,
    contact_update,
)
from .reminders import REMINDER_TEXT, reminders_send
from .reports import (
    term_report_accept,
    term_report_confirm,
    term_report_return,
    term_report_save,
    term_report_submit,
)
from .support import support_request_create, support_request_transition, support_request_withdraw
from .termination import appointment_terminate, appointments_end_due

__all__ = [
    "CONTACT_FIELDS",
    "REMINDER_TEXT",
    "TermsError",
    "appointment_terminate",
    "appointments_end_due",
    "comanagement_follow_up_done",
    "comanagement_record_create",
    "contact_create",
    "contact_delete",
    "contact_update",
    "evaluation_create",
    "evaluation_finalise",
    "evaluation_open",
    "evaluation_suggested_grade",
    "extension_limits",
    "extension_request_create",
    "extension_request_decide",
    "extension_request_withdraw",
    "panel_grade_submit",
    "panel_member_add",
    "panel_member_declare_conflict",
    "reminders_send",
    "service_certificate_issue",
    "support_request_create",
    "support_request_transition",
    "support_request_withdraw",
    "term_report_accept",
    "term_report_confirm",
    "term_report_return",
    "term_report_save",
    "term_report_submit",
]
