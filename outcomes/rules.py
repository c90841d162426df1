"""django-rules permissions of service outcomes (STYLE.md: predicates here, business rules in policy.py).

Object-level checks on the appointment reuse the service-term predicates; the finer separation of duties
of each workflow step (the other side confirms, staff verify but never their own report) is
outcomes.policy.action_refusal, which the services enforce."""

import rules

from terms.rules import is_appointment_enterprise, is_appointment_expert, is_commission

rules.add_perm("outcomes.report_outcome", is_appointment_enterprise | is_appointment_expert)
rules.add_perm("outcomes.override_target", is_appointment_enterprise | is_commission)
rules.add_perm("outcomes.manage_kinds", is_commission)
