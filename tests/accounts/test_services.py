import pytest
from django.db import IntegrityError

from accounts.enums import ADMIN_ROLES, Role
from accounts.exceptions import RoleError
from accounts.models import UserRole
from accounts.services import role_grant, role_revoke
from core.models import AuditEvent
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_user_may_hold_several_roles():
    user = UserFactory()
    role_grant(user=user, role=Role.REVIEWER, by=None)
    role_grant(user=user, role=Role.EXPERT, by=None)
    assert user.role_set == {Role.REVIEWER, Role.EXPERT}
    assert user.primary_role == Role.REVIEWER


def test_granting_a_held_role_twice_changes_nothing():
    user = UserFactory()
    role_grant(user=user, role=Role.EXPERT, by=None)
    role_grant(user=user, role=Role.EXPERT, by=None)
    assert UserRole.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("first", sorted(ADMIN_ROLES))
@pytest.mark.parametrize("second", sorted(ADMIN_ROLES))
def test_three_administrators_are_separate_people(first, second):
    user = UserFactory()
    role_grant(user=user, role=first, by=None)
    if first == second:
        role_grant(user=user, role=second, by=None)
        assert user.roles.count() == 1
    else:
        with pytest.raises(RoleError, match="三员分立"):
            role_grant(user=user, role=second, by=None)
        assert list(user.roles.values_list("role", flat=True)) == [first]


def test_database_refuses_two_admin_roles_even_without_the_service():
    user = UserFactory()
    UserRole.objects.create(user=user, role=Role.SYSTEM_ADMIN)
    with pytest.raises(IntegrityError):
        UserRole.objects.create(user=user, role=Role.AUDIT_ADMIN)


def test_grant_and_revoke_are_audited():
    staff = UserFactory(roles=[Role.SECURITY_ADMIN])
    user = UserFactory()
    role_grant(user=user, role=Role.FINANCE, by=staff)
    role_revoke(user=user, role=Role.FINANCE, by=staff)
    actions = list(AuditEvent.objects.filter(target_id=str(user.pk)).values_list("action", "actor"))
    assert actions == [("role.revoke", staff.pk), ("role.grant", staff.pk)]
    assert not user.roles.exists()
