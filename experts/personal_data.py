"""The experts app's sections of an expert's personal-data download (privacy.registry, registered in
ExpertsConfig.ready): the profile with the ID number decrypted (it is their own) and the login account."""

from __future__ import annotations

from core.crypto import decrypt
from privacy.registry import row

# The account's flags that are not the person's data.
ACCOUNT_SKIP = frozenset({"is_superuser", "is_staff"})


def profile(expert) -> dict:
    return {**row(expert), "身份证号码 (id_number)": decrypt(expert.id_number_encrypted)}


def account(expert) -> dict | None:
    return row(expert.user, skip=ACCOUNT_SKIP) if expert.user_id else None
