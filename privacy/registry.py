"""The sections of an expert's personal-data download (PIPL art. 45, privacy.services.personal_data_export).
Privacy reads no other app's tables: each app that holds data about the person registers the section it
contributes, in its AppConfig.ready:

    from privacy import registry

    registry.register("credit_records", CreditRecord._meta.verbose_name_plural, 100, collect=credit_records)
    registry.register_rows("bank_accounts", BankAccount, 70)  # the rows whose `expert` is the person

`collect(expert)` returns plain JSON values — `row(obj)` / `rows(objects)` turn model rows into
{"<verbose name> (<field>)": value} — and the download holds each section under its `key`, lowest `order`
first. The sections today: profile 10, account 20, achievements 30, nominations 40, change_requests 50
(experts), consents 60 (privacy), bank_accounts 70 (subsidies), appointments 80 (projects), payments 90
(subsidies), credit_records 100 (credit).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone

# Internal columns that are not the person's data (keys, digests, stored copies of other columns): left out
# of every section.
SKIP = frozenset(
    {"id_number_encrypted", "id_number_hash", "id_number_masked", "account_number_hash", "password"}
)


@dataclass(frozen=True)
class Section:
    key: str
    title: Any  # a (lazy) translated name of what the section holds, e.g. the model's verbose_name_plural
    order: int
    collect: Callable[[Any], Any]


_sections: dict[str, Section] = {}


def register(key: str, title, order: int, *, collect: Callable[[Any], Any]) -> None:
    """Add the section `key` (registering the same key again replaces it); two sections may not share an
    order."""
    clash = next((s for s in _sections.values() if s.order == order and s.key != key), None)
    if clash is not None:
        raise ImproperlyConfigured(f"personal-data order {order}: both {clash.key} and {key}")
    _sections[key] = Section(key, title, order, collect)


def register_rows(key: str, model: type[models.Model], order: int) -> None:
    """The section of `model`'s rows about the expert (its foreign key `expert`), titled by the model's
    verbose_name_plural."""
    register(
        key,
        model._meta.verbose_name_plural,
        order,
        collect=lambda expert: rows(model._default_manager.filter(expert=expert)),
    )


def sections() -> list[Section]:
    """The registered sections, lowest order first."""
    return sorted(_sections.values(), key=lambda s: s.order)


def collect(expert) -> dict:
    """Every section's data about `expert`, keyed and ordered as registered."""
    return {section.key: section.collect(expert) for section in sections()}


def _plain(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "name") and hasattr(value, "storage"):  # a stored file: its name only
        return value.name.rsplit("/", 1)[-1] if value else ""
    return value


def row(obj: models.Model, skip: frozenset = frozenset()) -> dict:
    """`obj`'s columns as {"<verbose name> (<field>)": plain value}: choices by their label, foreign keys
    by id, files by name; SKIP and `skip` left out."""
    data = {}
    for f in obj._meta.concrete_fields:
        if f.name in SKIP or f.name in skip:
            continue
        key = f.attname if f.is_relation else f.name
        label = str(f.verbose_name)
        value = getattr(obj, f.name if not f.is_relation else f.attname)
        if f.choices and not f.is_relation:
            value = getattr(obj, f"get_{f.name}_display")()
        data[f"{label} ({key})"] = _plain(value)
    return data


def rows(objects: Iterable[models.Model], skip: frozenset = frozenset()) -> list[dict]:
    return [row(obj, skip) for obj in objects]
