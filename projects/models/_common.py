"""Decimal sizes and the zero amount shared by the projects models."""

from decimal import Decimal

MONEY = {"max_digits": 14, "decimal_places": 2}
ZERO = Decimal("0.00")
