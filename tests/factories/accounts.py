import factory

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

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or ():
            UserRole.objects.get_or_create(user=self, role=role)
        self.__dict__.pop("role_set", None)
