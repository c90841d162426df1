"""Errors raised by the pure business rules (the apps' `policy.py` modules, SPEC §6).

These modules stay importable without Django settings, so messages are plain Chinese strings,
written for the user who entered the data (a form shows `str(error)` as it is).
"""

from __future__ import annotations


class PolicyError(ValueError):
    """Input that a programme rule rejects: negative funding, a month number below 1, a fee over 5 % …"""
