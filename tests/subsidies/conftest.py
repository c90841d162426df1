"""Users shared by the subsidies tests: a commission staff member and a finance officer."""

from __future__ import annotations

import pytest

from accounts.enums import Role
from tests.factories.accounts import UserFactory


@pytest.fixture
def staff():
    return UserFactory(roles=[Role.COMMISSION])


@pytest.fixture
def finance():
    return UserFactory(roles=[Role.FINANCE])
