"""The credit app's section of an expert's personal-data download (privacy.registry, registered in
CreditConfig.ready): the records about them as expert or reviewer, once notified, with their objections."""

from __future__ import annotations

from privacy.registry import row, rows

from .selectors import own_credit_records


def credit_records(expert) -> list[dict]:
    return [{**row(r), "objections": rows(r.objections.all())} for r in own_credit_records(expert=expert)]
