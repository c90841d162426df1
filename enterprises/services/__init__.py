"""Writes: registration, verification, members, demands, the two-way choice and matchmaking events.

Every step checks its rules on locked rows, writes its transition/audit records and schedules
notifications and index refreshes after commit. A refused step raises EnterpriseError (or
core.workflow.TransitionError) with a message the user can read, and changes nothing.

The services live by sub-domain and are all importable from here: `enterprises` (registration,
verification, members), `demands`, `intents` (the two-way choice), `events` (matchmaking events); the
helpers they share sit in `_common`."""

from __future__ import annotations

from .demands import (
    DEMAND_FIELDS,
    demand_close,
    demand_close_past_deadline,
    demand_create,
    demand_publish,
    demand_update,
)
from .enterprises import (
    ENTERPRISE_FIELDS,
    check_uscc,
    enterprise_member_add,
    enterprise_register,
    enterprise_reject,
    enterprise_resubmit,
    enterprise_update,
    enterprise_verification_ground,
    enterprise_verify,
)
from .events import event_attendance, event_create, event_invite, event_link_intent
from .intents import (
    intent_accept,
    intent_apply,
    intent_decline,
    intent_expire_due,
    intent_expiry_days,
    intent_invite,
    intent_set_in_service,
    intent_withdraw,
)

__all__ = [
    "DEMAND_FIELDS",
    "ENTERPRISE_FIELDS",
    "check_uscc",
    "demand_close",
    "demand_close_past_deadline",
    "demand_create",
    "demand_publish",
    "demand_update",
    "enterprise_member_add",
    "enterprise_register",
    "enterprise_reject",
    "enterprise_resubmit",
    "enterprise_update",
    "enterprise_verification_ground",
    "enterprise_verify",
    "event_attendance",
    "event_create",
    "event_invite",
    "event_link_intent",
    "intent_accept",
    "intent_apply",
    "intent_decline",
    "intent_expire_due",
    "intent_expiry_days",
    "intent_invite",
    "intent_set_in_service",
    "intent_withdraw",
]
