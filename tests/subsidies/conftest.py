"""Users shared by the subsidies tests: a finance officer (the commission staff member is `staff` in
tests/conftest.py)."""

from __future__ import annotations

import pytest

from accounts.enums import Role
from tests.factories.accounts import UserFactory


@pytest.fixture
def finance():
    return UserFactory(roles=[Role.FINANCE])
