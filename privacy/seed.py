"""Demo consent records: every demo expert's nomination consent (given by their nominating institution's
user, or the commission's when imported), and the demo expert's own confirmation. Idempotent."""

from __future__ import annotations

from accounts.models import User

from .models import ConsentKind, ConsentRecord
from .services import consent_record, expert_model


def seed(stdout) -> None:
    staff = User.objects.filter(username="kw_wang").first()
    made = 0
    for expert in expert_model().objects.prefetch_related("nominations"):
        if ConsentRecord.objects.filter(expert=expert, kind=ConsentKind.NOMINATION).exists():
            continue
        nomination = expert.nominations.order_by("id").first()
        by = (nomination.created_by if nomination and nomination.created_by_id else None) or staff
        if by is None:
            continue
        consent_record(expert=expert, kind=ConsentKind.NOMINATION, by=by, ip_address="10.10.1.20")
        made += 1
    me = expert_model().objects.filter(user__username="zj_zhang").first()
    if me is not None and not ConsentRecord.objects.filter(expert=me, kind=ConsentKind.EXPERT).exists():
        consent_record(expert=me, kind=ConsentKind.EXPERT, by=me.user, ip_address="10.10.1.21")
        made += 1
    stdout.write(f"  privacy: {made} consent records")
