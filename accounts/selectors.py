"""Reads of users by role, for the apps that notify or list them."""

from __future__ import annotations

from .enums import Role
from .models import User


def users_with_role(role: str):
    """The active users who hold `role`, each once."""
    return User.objects.filter(roles__role=role, is_active=True).distinct()


def commission_users():
    """The district science commission's active staff (区科委): whom a new submission is announced to."""
    return users_with_role(Role.COMMISSION)
