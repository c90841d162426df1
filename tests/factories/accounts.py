import factory
from django.utils import timezone

from accounts.models import User, UserRole
from accounts.seed import DEMO_PASSWORD


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)
    # A fresh password: staff-side users are not sent to the 90-day password change.
    password_changed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or ():
            UserRole.objects.get_or_create(user=self, role=role)
        self.__dict__.pop("role_set", None)


def otp_device_for(user):
    """A confirmed TOTP device of `user` (created when missing)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def otp_login(client, user):
    """Log `user` in on the test `client` with the second factor passed, as django_otp.login does after
    a verified code: a confirmed TOTP device and its id in the session. Returns the device."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = otp_device_for(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def role_login(client, user, role):
    """Log `user` in on the test `client` as one of `role`'s users: with the second factor passed when
    the role needs it (OTP_REQUIRED_ROLES), by `force_login` alone otherwise. Returns the client."""
    from accounts.enums import OTP_REQUIRED_ROLES

    if role in OTP_REQUIRED_ROLES:
        otp_login(client, user)
    else:
        client.force_login(user)
    return client
