"""Pure rules of enterprises, demands and the two-way choice (no ORM; tested directly)."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from django.utils.translation import gettext_noop

from core.exceptions import PolicyError

#: Days an invitation or application stays open before the scheduled job marks it expired.
DEFAULT_INTENT_EXPIRY_DAYS = 14

_KEYWORD_SPLIT = re.compile(r"[,，、;；/\s]+")


def keyword_list(text: str) -> list[str]:
    """Keywords typed as "储能，电池管理系统、热管理" → ["储能", "电池管理系统", "热管理"]
    (order kept, no duplicates)."""
    seen: list[str] = []
    for word in _KEYWORD_SPLIT.split(text or ""):
        if word and word not in seen:
            seen.append(word)
    return seen


def is_past_deadline(deadline: date, today: date) -> bool:
    """A demand's deadline is the last day on which it can be published, applied to or invited for."""
    return today > deadline


def check_demand_open(deadline: date, today: date) -> None:
    """Raise PolicyError when the deadline has passed (nothing can be published or applied to then)."""
    if is_past_deadline(deadline, today):
        raise PolicyError(f"需求截止日期（{deadline:%Y-%m-%d}）已过，不能发布、邀请或申请。")


def intent_expires_at(created: datetime, days: int = DEFAULT_INTENT_EXPIRY_DAYS) -> datetime:
    """When a pending intent made at `created` expires: `days` full days later."""
    if days < 1:
        raise PolicyError("意向有效期至少为1天。")
    return created + timedelta(days=days)


def is_expired(expires_at: datetime, now: datetime) -> bool:
    return now >= expires_at


def month_key(value: date | datetime) -> str:
    """ "2026-03" for any date in March 2026 (the funnel's month buckets)."""
    return f"{value.year:04d}-{value.month:02d}"


# --- Changping enterprises only (SPEC §4 Enterprise) --------------------------------------------------------

#: 北京市昌平区's administrative-division code (GB/T 2260), characters 3–8 of a credit code registered there.
CHANGPING_DIVISION = "110114"
GROUND_DIVISION = "division_code"
GROUND_EVIDENCE = "changping_evidence"


def division_code(uscc: str) -> str:
    """The administrative-division code of a unified social credit code: its characters 3–8."""
    return (uscc or "").strip().upper()[2:8]


def is_changping_address(address: str) -> bool:
    """An address in 昌平区 (the district's name appears in it)."""
    return "昌平" in (address or "")


def verification_ground(*, uscc: str, changping_address: str, has_evidence: bool) -> str | None:
    """Which ground makes an enterprise a Changping enterprise that may be verified: GROUND_DIVISION (its
    credit code was issued in 昌平区), else GROUND_EVIDENCE (an operating address in 昌平 and an uploaded
    document — staff must still confirm it with a reason), else None (it may not be verified)."""
    if division_code(uscc) == CHANGPING_DIVISION:
        return GROUND_DIVISION
    if is_changping_address(changping_address) and has_evidence:
        return GROUND_EVIDENCE
    return None


# --- how a match is shown (issue 17 item 3) ----------------------------------------------------------

#: The legend of the 0–100 match score: (lowest score of the level, code, label), best first.
#: The labels are marked with gettext_noop (extracted, translated where shown: {% translate level.1 %}).
MATCH_LEVELS = (
    (80, "high", gettext_noop("高度匹配")),
    (60, "good", gettext_noop("较好匹配")),
    (40, "fair", gettext_noop("一般匹配")),
    (0, "weak", gettext_noop("较弱匹配")),
)


def match_percent(score: float, max_score: float) -> int:
    """A ranker score (0 … max_score) on the 0–100 scale shown to users, rounded half up, clamped."""
    if max_score <= 0:
        raise PolicyError("匹配度满分必须大于0。")
    value = int(max(0.0, min(float(score), max_score)) * 100 / max_score + 0.5)
    return min(100, value)


def match_level(percent: int) -> tuple[str, str]:
    """(code, label) of a 0–100 score: 80+ 高度匹配, 60–79 较好匹配, 40–59 一般匹配, below 40 较弱匹配."""
    for lowest, code, label in MATCH_LEVELS:
        if percent >= lowest:
            return code, label
    return MATCH_LEVELS[-1][1], MATCH_LEVELS[-1][2]


def reason_terms(terms, source_text: str) -> list[str]:
    """The matched terms as a reader of `source_text` (the demand) wrote them: distinct, longest first,
    none that is only a part of a longer one shown ("co2驱油" and "驱油" → ["CO2驱油"]); a term not found
    in the text (an expert-side token) is kept as it is."""
    unique = sorted(dict.fromkeys(t for t in terms if t), key=lambda t: -len(t))
    kept: list[str] = []
    for term in unique:
        if not any(term.lower() in longer.lower() for longer in kept):
            kept.append(term)
    text = source_text or ""
    lower = text.lower()
    same_length = len(lower) == len(text)
    shown: list[str] = []
    for term in kept:
        at = lower.find(term.lower()) if same_length else -1
        word = text[at : at + len(term)] if at >= 0 else term
        if word not in shown:
            shown.append(word)
    return shown
