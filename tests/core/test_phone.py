"""SPEC §7 phone numbers (issue 16 item 9): mainland mobile 1[3-9] + 9 digits, or a landline with its area
code; every form with a phone field uses core.forms.PhoneField."""

from __future__ import annotations

import pytest
from django import forms

from core.forms import PHONE_ERROR, PhoneField, validate_phone
from core.identifiers import is_valid_phone, normalize_phone


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("13812345678", True),
        ("19912345678", True),
        ("010-80112233", True),
        ("01080112233", True),
        ("0755-2345678", True),
        ("010-80112233-8021", True),
        ("010-80112233转8021", True),
        ("(010)80112233", True),
        ("138 1234 5678", True),
        ("１３８１２３４５６７８", True),
        ("+8613812345678", True),
        ("1381234567", False),  # 10 digits: the number the issue found accepted
        ("12812345678", False),  # second digit 2
        ("138123456789", False),  # 12 digits
        ("80112233", False),  # landline without area code
        ("010-01122334", False),  # local number starting with 0
        ("abc", False),
        ("", False),
        ("13812345678\x00", False),
    ],
)
def test_is_valid_phone(number, valid):
    assert is_valid_phone(number) is valid


def test_normalize_phone():
    assert normalize_phone(" (010) 8011 2233 ") == "010-80112233"
    assert normalize_phone("+86 138 1234 5678") == "13812345678"
    assert normalize_phone("０１０－８０１１２２３３") == "010-80112233"


def test_validator_message_is_the_rule():
    with pytest.raises(forms.ValidationError) as exc:
        validate_phone("1381234567")
    assert exc.value.messages == [str(PHONE_ERROR)]
    validate_phone("")  # blank is the field's `required` business


def test_phone_field_tidies_states_the_format_and_refuses_ten_digits():
    class F(forms.Form):
        phone = PhoneField(label="电话")

    assert F({"phone": "138 1234 5678"}).is_valid()
    form = F({"phone": "1381234567"})
    assert not form.is_valid() and "1 开头的 11 位数字" in form.errors["phone"][0]
    assert "010-12345678" in str(F().fields["phone"].help_text)
    assert 'inputmode="tel"' in str(F()["phone"])


def _phone_fields():
    from enterprises.forms import EnterpriseForm, EnterpriseRegisterForm, MemberAddForm
    from experts.forms import InstitutionForm, NominationForm, ProfileForm
    from terms.forms import AppointmentContactForm

    return [
        (EnterpriseForm, "contact_phone"),
        (EnterpriseRegisterForm, "phone"),
        (EnterpriseRegisterForm, "contact_phone"),
        (MemberAddForm, "phone"),
        (NominationForm, "phone"),
        (ProfileForm, "phone"),
        (InstitutionForm, "contact_phone"),
        (AppointmentContactForm, "phone"),
    ]


@pytest.mark.django_db
def test_every_form_with_a_phone_validates_it():
    for form_class, name in _phone_fields():
        form = form_class(data={name: "1381234567"})
        form.is_valid()
        assert name in form.errors, (form_class.__name__, name)
        assert str(PHONE_ERROR) in form.errors[name], (form_class.__name__, name)
        good = form_class(data={name: "13812345678"})
        good.is_valid()
        assert name not in good.errors, (form_class.__name__, name, good.errors.get(name))


@pytest.mark.django_db
def test_objection_contact_is_a_phone_or_an_email():
    from projects.forms import ObjectionForm

    base = {"name": "张三", "content": "有异议"}
    assert ObjectionForm({**base, "contact": "zhang@example.cn"}).is_valid()
    assert ObjectionForm({**base, "contact": "010-80112233"}).is_valid()
    assert not ObjectionForm({**base, "contact": "1381234567"}).is_valid()
