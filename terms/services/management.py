"""Day-to-day management of a term: the co-management records (思想、工作、生活) with their follow-up
actions, and the contact persons of both sides.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit
from core.identifiers import mask_phone

from ..exceptions import TermsError
from ..models import AppointmentContact, CoManagementRecord
from ._common import _today


def comanagement_record_create(
    *,
    appointment,
    by,
    held_on: date,
    form: str,
    participants: str,
    topic_thoughts: bool,
    topic_work: bool,
    topic_life: bool,
    summary: str,
    follow_up: str = "",
    follow_up_due: date | None = None,
) -> CoManagementRecord:
    if not (topic_thoughts or topic_work or topic_life):
        raise TermsError(_("请至少选择一项沟通内容：思想、工作或生活"))
    if held_on < appointment.start_date:
        raise TermsError(_("记录日期不能早于服务期开始日期"))
    if held_on > _today():
        raise TermsError(_("记录日期不能晚于今天"))
    with transaction.atomic():
        record = CoManagementRecord.objects.create(
            appointment=appointment,
            held_on=held_on,
            form=form,
            participants=participants.strip(),
            topic_thoughts=topic_thoughts,
            topic_work=topic_work,
            topic_life=topic_life,
            summary=summary.strip(),
            follow_up=follow_up.strip(),
            follow_up_due=follow_up_due,
            recorded_by=by,
        )
        audit(by, "comanagement.create", record, summary=f"{appointment.pk} {held_on}")
    return record


def comanagement_follow_up_done(*, record: CoManagementRecord, by) -> CoManagementRecord:
    """Staff close the follow-up action of a co-management record (once; audited)."""
    if not record.follow_up:
        raise TermsError(_("该记录没有后续事项"))
    with transaction.atomic():
        updated = CoManagementRecord.objects.filter(pk=record.pk, follow_up_done=False).update(
            follow_up_done=True
        )
        if not updated:
            raise TermsError(_("该后续事项已办结"))
        audit(by, "comanagement.follow_up_done", record, summary=record.follow_up[:100])
    record.follow_up_done = True
    return record


def contact_create(
    *, appointment, by, side: str, name: str, position: str, phone: str, email: str = ""
) -> AppointmentContact:
    with transaction.atomic():
        contact = AppointmentContact.objects.create(
            appointment=appointment,
            side=side,
            name=name.strip(),
            position=position.strip(),
            phone=phone.strip(),
            email=email.strip(),
        )
        audit(by, "contact.create", contact, summary=f"{side} {name}")
    return contact


CONTACT_FIELDS = ("side", "name", "position", "phone", "email")


def contact_update(
    *, contact: AppointmentContact, by, side: str, name: str, position: str, phone: str, email: str = ""
) -> AppointmentContact:
    """Staff correct a contact person; the audit row keeps what changed (old → new)."""
    if not (name or "").strip() or not (phone or "").strip():
        raise TermsError(_("请填写联系人姓名和联系电话"))
    new = {
        "side": side,
        "name": name.strip(),
        "position": (position or "").strip(),
        "phone": phone.strip(),
        "email": (email or "").strip(),
    }
    with transaction.atomic():
        locked = AppointmentContact.objects.select_for_update().get(pk=contact.pk)
        changed = {k: [getattr(locked, k), v] for k, v in new.items() if getattr(locked, k) != v}
        if changed:
            for field, (_old, value) in changed.items():
                setattr(locked, field, value)
            locked.save(update_fields=list(changed))
            if "phone" in changed:  # the audit log is kept for years: the numbers only masked (SPEC §7)
                changed["phone"] = [mask_phone(number) for number in changed["phone"]]
            audit(by, "contact.update", locked, summary=f"{locked.side} {locked.name}", data=changed)
    return locked


def contact_delete(*, contact: AppointmentContact, by) -> None:
    with transaction.atomic():
        audit(by, "contact.delete", contact.appointment, summary=f"{contact.side} {contact.name}")
        contact.delete()
