"""Who sees a phone number in full (SPEC §2, §7; issue 18 item 5).

Phone numbers are stored encrypted (core.crypto.EncryptedPhoneField) and shown masked ("138****5678",
core.identifiers.mask_phone) to everyone except:

- the person or organisation the number belongs to, editing or viewing their own record (an expert's
  own profile, an enterprise's own page, a nominator's own draft in its form);
- commission staff (区科委), who contact experts, enterprises, institutions and objectors as part of
  running the programme (SPEC §2: "all programme data");
- on an appointment's page, the parties of that appointment (its expert, enterprise and nominating
  institution): the contact persons are listed for them to reach each other (co-management).

The talent office, finance, the working group, reviewers and the three administrators never need a
phone number and see it masked; the talent pool export masks it for nominators.
"""

from __future__ import annotations

from accounts.enums import Role

from .identifiers import mask_phone

#: Roles that see every phone number they can reach in full.
FULL_PHONE_ROLES = frozenset({Role.COMMISSION})


def sees_full_phones(user, *, owner: bool = False) -> bool:
    """True when `user` may see the phone numbers on a page in full: the owner, or a FULL_PHONE_ROLES role."""
    return owner or bool(getattr(user, "is_authenticated", False) and user.has_role(*FULL_PHONE_ROLES))


def phone_shown(number: str, full: bool) -> str:
    """`number` as the page shows it: in full when `full`, else masked ("" stays "")."""
    if not number:
        return ""
    return str(number) if full else mask_phone(str(number))
