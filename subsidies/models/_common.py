"""Decimal field sizes shared by the subsidies models."""

MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 5, "decimal_places": 4}
