"""The work list (待办) of each role: one selector per role, each a handful of queries (one per kind of
task, the count coming from a window function in the same query), feeding one landing-page partial.

Each selector returns `core.navigation.WorkGroup`s, only those with something to do; an item is gone the
moment its task is done because the lists are read live from the records' states. The selectors live by
role group — `commission`, `offices` (talent office, finance, working group), `parties` (nominators,
experts, enterprises, reviewers), `admins` (三员) — with the outcome groups several roles share in
`outcomes` and the query helpers in `_common`; `WORKLISTS` maps each role to its selector.
"""

from __future__ import annotations

from accounts.enums import Role

from ._common import LIMIT
from .admins import audit_admin_worklist, security_admin_worklist, system_admin_worklist
from .commission import commission_worklist
from .offices import finance_worklist, talent_office_worklist, working_group_worklist
from .outcomes import outcome_groups
from .parties import enterprise_worklist, expert_worklist, nominator_worklist, reviewer_worklist

WORKLISTS = {
    Role.COMMISSION: commission_worklist,
    Role.TALENT_OFFICE: talent_office_worklist,
    Role.FINANCE: finance_worklist,
    Role.NOMINATOR: nominator_worklist,
    Role.EXPERT: expert_worklist,
    Role.ENTERPRISE: enterprise_worklist,
    Role.REVIEWER: reviewer_worklist,
    Role.WORKING_GROUP: working_group_worklist,
    Role.SECURITY_ADMIN: security_admin_worklist,
    Role.AUDIT_ADMIN: audit_admin_worklist,
    Role.SYSTEM_ADMIN: system_admin_worklist,
}

__all__ = [
    "LIMIT",
    "WORKLISTS",
    "audit_admin_worklist",
    "commission_worklist",
    "enterprise_worklist",
    "expert_worklist",
    "finance_worklist",
    "nominator_worklist",
    "outcome_groups",
    "reviewer_worklist",
    "security_admin_worklist",
    "system_admin_worklist",
    "talent_office_worklist",
    "working_group_worklist",
]
