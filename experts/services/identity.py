"""An expert's ID number (encrypted, with its blind index, masked form and birth date) and the audited
reveals of the full ID number and phone number.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.audit import audit
from core.crypto import blind_index, decrypt, encrypt
from core.identifiers import birth_date_from_id, is_valid_id_number, mask_id_number

from ..exceptions import NominationError
from ..models import Expert

ID_PURPOSE = "id_number"


def id_number_hash(id_number: str) -> str:
    return blind_index(id_number, purpose=ID_PURPOSE)


def expert_set_id_number(expert: Expert, id_number: str) -> None:
    """Set the encrypted number, its blind index, the masked form and the birth date (not saved)."""
    code = id_number.strip().upper()
    if not is_valid_id_number(code):
        raise NominationError(
            _("身份证号码“%(code)s”无效（位数、出生日期或校验位不正确）。") % {"code": mask_id_number(code)}
        )
    expert.id_number_encrypted = encrypt(code)
    expert.id_number_hash = id_number_hash(code)
    expert.id_number_masked = mask_id_number(code)
    expert.birth_date = birth_date_from_id(code)


def expert_id_number(expert: Expert, *, by) -> str:
    """The full ID number, for a role that needs it; every read is audited."""
    audit(by, "expert.id_number_view", expert)
    return decrypt(expert.id_number_encrypted)


def expert_phone(expert: Expert, *, by) -> str:
    """The full phone number shown to staff on the expert's page (core.phones); every reveal is audited."""
    audit(by, "expert.phone_view", expert)
    return expert.phone
