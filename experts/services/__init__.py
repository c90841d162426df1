"""Writes of the talent pool: nominations and their workflow, the pool, the expert's profile.

Every state change goes through core.workflow.transition (row lock, transition record, audit event);
mail goes out after commit.

The services live by sub-domain and are all importable from here: `identity` (ID numbers, audited
reveals), `nominations` (the nomination workflow up to admission), `users` (the expert's and the
nominator's portal accounts), `profile` (the expert's own profile and change requests); what they and
the spreadsheet import share (profile fields, search text) sits in `_common`.
"""

from __future__ import annotations

from ._common import PROFILE_FIELDS, search_text_for
from .identity import ID_PURPOSE, expert_id_number, expert_phone, expert_set_id_number, id_number_hash
from .nominations import (
    nomination_admit,
    nomination_create,
    nomination_eligibility,
    nomination_exception_decide,
    nomination_reject,
    nomination_return,
    nomination_submit,
    nomination_update,
)
from .profile import change_request_decide, expert_profile_update
from .users import expert_invite, institution_member_set

__all__ = [
    "ID_PURPOSE",
    "PROFILE_FIELDS",
    "change_request_decide",
    "expert_id_number",
    "expert_invite",
    "expert_phone",
    "expert_profile_update",
    "expert_set_id_number",
    "id_number_hash",
    "institution_member_set",
    "nomination_admit",
    "nomination_create",
    "nomination_eligibility",
    "nomination_exception_decide",
    "nomination_reject",
    "nomination_return",
    "nomination_submit",
    "nomination_update",
    "search_text_for",
]
