"""A logging filter that masks personal numbers (issue 9 item 11; PIPL art. 51, 等保 8.1.4.11 b): an ID
number, a phone number (mobile, or a landline with its area code; issue 18 item 5) or a bank account that
reaches a log line — in the message, its arguments or an exception's traceback — is written masked as
the portal displays it (core.identifiers). Installed on every handler of settings.LOGGING; code should not
log these numbers in the first place."""

from __future__ import annotations

import logging
import re

from .identifiers import mask_bank_account, mask_id_number, mask_phone

# An 18-character resident ID (17 digits and a digit or X), a mainland mobile number, then any other
# run of 12–19 digits (a bank card or account). Digits touching other digits are not matched.
_ID = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
_PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
# A landline: area code, hyphen, local number as core.identifiers.normalize_phone writes it (010-60712345,
# 0571-87654321), or "(010)60712345"; without the hyphen, 11–12 digits starting 0 (longer runs: accounts).
_LANDLINE = re.compile(
    r"(?<![0-9*.-])0[1-9][0-9]{1,2}-[2-9][0-9]{6,7}(?![0-9])|\(0[1-9][0-9]{1,2}\)-?[2-9][0-9]{6,7}(?![0-9])"
    r"|(?<![0-9*.])0[1-9][0-9]{9,10}(?![0-9.])"
)
_BANK = re.compile(r"(?<![0-9*])[0-9]{12,19}(?![0-9])")


def mask_personal_numbers(text: str) -> str:
    text = _ID.sub(lambda m: mask_id_number(m.group(0)), text)
    text = _BANK.sub(lambda m: mask_bank_account(m.group(0)), text)
    text = _LANDLINE.sub(lambda m: mask_phone(m.group(0)), text)
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text)


class PersonalNumberFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_personal_numbers(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info:
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text = mask_personal_numbers(formatted)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = mask_personal_numbers(record.exc_text)
        return True
