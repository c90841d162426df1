"""Who sees a phone number in full (SPEC §2, §7; issue 18 item 5). Every phone number is stored encrypted
(core.crypto.EncryptedPhoneField) and shown masked ("138****5678", core.identifiers.mask_phone) unless
a rule below says otherwise; a view passes `full_phones` to its template, which writes
`{{ number|phone_shown:full_phones }}` ({% load privacy %}).

An expert's own number (Expert.phone) is treated like the ID number:
- the expert sees it in full on their own page and in their profile form;
- the nominating institution types it and sees it in full in the draft's form and on the draft's page
  while it may edit it, masked afterwards;
- commission staff see it masked, reveal it on the expert's page with a button (POST, audited
  `expert.phone_view`, like `expert.id_number_view`), and get it in full in the talent pool export
  (audited `export.xlsx`); the export masks it for nominators;
- nobody else sees it (the public profile has no phone).

A contact person's number (Enterprise.contact_phone, Institution.contact_phone, an appointment's
AppointmentContact.phone, an objection's contact) is there to be called:
- in full to commission staff (FULL_PHONE_ROLES: they run the programme, SPEC §2 "all programme data")
  and to the organisation it belongs to (an enterprise's own page);
- on an appointment's page, in full to its parties (its expert, enterprise and nominating institution),
  who co-manage the term; masked to the talent office, which reads every appointment but calls nobody.

A user account's number (User.phone) shows on no page; the admin lists it masked, the system
administrator's change form holds it in full, the person's privacy download (PIPL) in full.
Finance, the working group, reviewers and the administrators see no phone numbers.
"""

from __future__ import annotations

from .identifiers import mask_phone

#: Roles that see every phone number they can reach in full: commission staff. Core knows no role: the app
#: that defines the roles fills this set in its AppConfig.ready (accounts.apps), in place, so that a module
#: holding a reference to it (experts.views.POOL_PHONE_ROLES) sees the same set.
FULL_PHONE_ROLES: set[str] = set()


def sees_full_phones(user, *, owner: bool = False) -> bool:
    """True when `user` may see the phone numbers on a page in full: the owner, or a FULL_PHONE_ROLES role."""
    return owner or bool(getattr(user, "is_authenticated", False) and user.has_role(*FULL_PHONE_ROLES))


def phone_shown(number: str, full: bool) -> str:
    """`number` as the page shows it: in full when `full`, else masked ("" stays "")."""
    if not number:
        return ""
    return str(number) if full else mask_phone(str(number))
