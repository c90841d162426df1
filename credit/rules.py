"""Who may see and act on credit records (django-rules). Commission staff manage them; the talent office
reads them; the subject sees its own once notified; nobody else, and never the public. The list selector
(credit.selectors.record_list) applies the same relationships."""

from __future__ import annotations

import rules

from accounts.enums import Role

from .enums import SUBJECT_VISIBLE_STATES, CreditState


@rules.predicate
def is_commission(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.COMMISSION))


@rules.predicate
def is_talent_office(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(Role.TALENT_OFFICE))


@rules.predicate
def is_the_subject(user, record) -> bool:
    """`record` is about the user (their expert or reviewer profile, their enterprise or institution)
    and has been notified to them."""
    from .selectors import subject_ids_of

    if record is None or not getattr(user, "is_authenticated", False):
        return False
    if record.state not in SUBJECT_VISIBLE_STATES:
        return False
    ids = subject_ids_of(user)
    return getattr(record, f"{record.subject_kind}_id") in ids.get(record.subject_kind, set())


@rules.predicate
def is_in_objection_window(user, record) -> bool:
    return record is not None and record.state == CreditState.NOTIFIED


rules.add_perm("credit.manage_records", is_commission)
rules.add_perm("credit.view_records", is_commission | is_talent_office)
rules.add_perm("credit.view_record", is_commission | is_talent_office | is_the_subject)
rules.add_perm("credit.object_record", is_the_subject & is_in_objection_window)
