from datetime import UTC, date, datetime, timedelta

import pytest

from core.exceptions import PolicyError
from enterprises import policy


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("储能，电池管理系统、热管理", ["储能", "电池管理系统", "热管理"]),
        ("AI; 5G  储能/储能", ["AI", "5G", "储能"]),
        ("", []),
        ("，、", []),
    ],
)
def test_keyword_list_splits_on_chinese_and_latin_separators(text, expected):
    assert policy.keyword_list(text) == expected


@pytest.mark.parametrize(
    ("deadline", "today", "past"),
    [
        (date(2026, 3, 31), date(2026, 3, 30), False),
        (date(2026, 3, 31), date(2026, 3, 31), False),  # the deadline day itself is still open
        (date(2026, 3, 31), date(2026, 4, 1), True),
    ],
)
def test_is_past_deadline(deadline, today, past):
    assert policy.is_past_deadline(deadline, today) is past


def test_check_demand_open_names_the_deadline():
    with pytest.raises(PolicyError, match="2026-03-31"):
        policy.check_demand_open(date(2026, 3, 31), date(2026, 4, 1))
    policy.check_demand_open(date(2026, 3, 31), date(2026, 3, 31))


def test_intent_expires_after_the_given_days():
    made = datetime(2026, 1, 31, 9, 30, tzinfo=UTC)
    assert policy.intent_expires_at(made, 14) == datetime(2026, 2, 14, 9, 30, tzinfo=UTC)
    assert policy.intent_expires_at(made) == made + timedelta(days=policy.DEFAULT_INTENT_EXPIRY_DAYS)


def test_intent_expiry_below_one_day_is_refused():
    with pytest.raises(PolicyError):
        policy.intent_expires_at(datetime(2026, 1, 1, tzinfo=UTC), 0)


@pytest.mark.parametrize(
    ("expires", "now", "expired"),
    [
        (datetime(2026, 2, 14, 9, 30, tzinfo=UTC), datetime(2026, 2, 14, 9, 29, tzinfo=UTC), False),
        (datetime(2026, 2, 14, 9, 30, tzinfo=UTC), datetime(2026, 2, 14, 9, 30, tzinfo=UTC), True),
    ],
)
def test_is_expired(expires, now, expired):
    assert policy.is_expired(expires, now) is expired


def test_month_key():
    assert policy.month_key(date(2026, 3, 9)) == "2026-03"
