"""Context of the award certificate (获奖证书; template awards/pdf/certificate.html)."""

from __future__ import annotations

from core.money import to_chinese_capital


def certificate_context(award) -> dict:
    """Dated the day the results were published (the decision), whenever the certificate is printed."""
    from django.utils import timezone

    from core.documents import ISSUER_NAME, seal

    application = award.application
    return {
        "seals": [seal(ISSUER_NAME, award.cycle.published_on or timezone.localdate())],
        "award": award,
        "cycle": award.cycle,
        "expert": award.expert,
        "enterprise": award.enterprise,
        "project": application.project,
        "institution": award.expert.institution,
        "level_label": award.get_level_display(),
        "amount_display": f"{award.amount:,.2f}",
        "amount_capital": to_chinese_capital(award.amount),
    }
