"""The credit override of a decision page (信用提示): the deciding user and the reason the page posted
(`credit_reason`, blank when none was asked for)."""

from __future__ import annotations

from . import services


def posted_override(request, *, decision: str, target, **parties):
    """`services.credit_override` by `request.user`, with the posted `credit_reason`; `parties`: the
    experts / enterprises / reviewers / institutions the decision concerns."""
    return services.credit_override(
        decision=decision,
        target=target,
        by=request.user,
        reason=request.POST.get("credit_reason", ""),
        **parties,
    )
