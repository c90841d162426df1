"""django-rules predicates and permissions of the service-term app (checked on an appointment)."""

import rules

from accounts.enums import Role


@rules.predicate
def is_commission(user) -> bool:
    return user.has_role(Role.COMMISSION)


@rules.predicate
def is_programme_reader(user) -> bool:
    """Staff and the talent office read every appointment."""
    return user.has_role(Role.COMMISSION, Role.TALENT_OFFICE)


@rules.predicate
def is_appointment_enterprise(user, appointment) -> bool:
    if appointment is None or not user.has_role(Role.ENTERPRISE):
        return False
    return appointment.enterprise.members.filter(user=user).exists()


@rules.predicate
def is_appointment_expert(user, appointment) -> bool:
    if appointment is None or not user.has_role(Role.EXPERT):
        return False
    return appointment.expert.user_id == user.pk


@rules.predicate
def is_appointment_institution(user, appointment) -> bool:
    if appointment is None or not user.has_role(Role.NOMINATOR):
        return False
    return appointment.expert.institution.members.filter(user=user).exists()


# staff run the term: decide extensions, terminate, log co-management, record contacts, handle support
# requests, accept the report (结题), run the evaluation
rules.add_perm("terms.manage_appointment", is_commission)
rules.add_perm("terms.request_extension", is_appointment_enterprise)
rules.add_perm(
    "terms.view_extension", is_programme_reader | is_appointment_enterprise | is_appointment_expert
)
# co-management notes (thoughts, life) and medical/housing requests are personal: commission staff only
rules.add_perm("terms.view_comanagement", is_commission)
rules.add_perm("terms.request_support", is_appointment_expert | is_commission)
rules.add_perm("terms.view_support", is_appointment_expert | is_commission)
rules.add_perm("terms.draft_report", is_appointment_enterprise)
rules.add_perm("terms.confirm_report", is_appointment_expert)
rules.add_perm(
    "terms.view_report",
    is_programme_reader | is_appointment_enterprise | is_appointment_expert | is_appointment_institution,
)
# the evaluation opinion goes to the expert and the nominating institution
rules.add_perm(
    "terms.view_documents", is_programme_reader | is_appointment_expert | is_appointment_institution
)
rules.add_perm("terms.issue_certificate", is_appointment_expert | is_commission)
