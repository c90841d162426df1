"""The personal-data download's registry (issue 22 item 3): each app registers the section it contributes
in its AppConfig.ready, and the download holds every registered section, in order."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from privacy import registry
from privacy.services import personal_data_export
from tests.factories.experts import make_nomination

SECTIONS = [
    "profile", "account", "achievements", "nominations", "change_requests",  # experts
    "consents",  # privacy
    "bank_accounts",  # subsidies
    "appointments",  # projects
    "payments",  # subsidies
    "credit_records",  # credit
]  # fmt: skip


@pytest.fixture
def sections(monkeypatch):
    """The registry's sections, restored after the test."""
    monkeypatch.setattr(registry, "_sections", dict(registry._sections))
    return registry._sections


def test_the_apps_register_their_sections_in_order():
    assert [s.key for s in registry.sections()] == SECTIONS
    assert all(str(s.title) for s in registry.sections())


def test_two_sections_may_not_share_an_order_and_a_key_registered_again_is_replaced(sections):
    with pytest.raises(ImproperlyConfigured, match="order 60"):
        registry.register("other", "其他", 60, collect=lambda expert: [])
    registry.register("consents", "同意记录", 60, collect=lambda expert: "replaced")
    assert [s.key for s in registry.sections()] == SECTIONS
    assert sections["consents"].collect(None) == "replaced"


@pytest.mark.django_db
def test_the_download_holds_every_registered_section(sections):
    registry.register("extra", "其他", 55, collect=lambda expert: {"name": expert.name})
    expert = make_nomination().expert
    data = personal_data_export(expert=expert, by=None)
    keys = [*SECTIONS[:5], "extra", *SECTIONS[5:]]
    assert list(data) == ["generated_at", "notice_version", *keys]
    assert data["extra"] == {"name": expert.name}
    assert data["profile"]["身份证号码 (id_number)"]  # decrypted: their own
