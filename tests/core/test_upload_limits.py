"""Issue 16 item 9: every upload field states the accepted types and the size limit."""

from __future__ import annotations

import pytest
from django.template.defaultfilters import filesizeformat

from tests.app_forms import form_classes

pytestmark = pytest.mark.django_db


def _upload_forms():
    from awards.forms import ApplicationForm
    from enterprises.forms import EnterpriseForm, EnterpriseRegisterForm
    from experts.forms import ImportForm, NominationForm, ProfileForm
    from projects.forms import AgreementForm, ProjectForm
    from terms.forms import ExtensionRequestForm, HousingRequestForm, TermReportForm

    return [
        ApplicationForm,
        EnterpriseForm,
        EnterpriseRegisterForm,
        ImportForm,
        NominationForm,
        ProfileForm,
        AgreementForm,
        ProjectForm,
        ExtensionRequestForm,
        HousingRequestForm,
        TermReportForm,
    ]


def test_every_upload_field_states_the_size_limit(settings):
    from django import forms

    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    limit = str(filesizeformat(settings.UPLOAD_MAX_BYTES))
    seen = 0
    for form_class in _upload_forms():
        for name, field in form_class().fields.items():
            if isinstance(field, forms.FileField):
                seen += 1
                assert f"不超过 {limit}" in str(field.help_text), (form_class.__name__, name)
    assert seen >= 11


def test_every_file_field_of_every_form_module_is_covered():
    """A new form with a file field that forgets UploadLimitsMixin fails here."""
    from django import forms

    covered = set(_upload_forms())
    apps = ("accounts", "awards", "enterprises", "experts", "privacy", "projects", "subsidies", "terms")
    for cls in form_classes(apps):
        if any(isinstance(f, forms.FileField) for f in cls.base_fields.values()):
            assert cls in covered, cls


def test_only_xlsx_is_stated_for_the_import():
    from experts.forms import ImportForm

    text = str(ImportForm().fields["file"].help_text)
    assert "Excel（XLSX）" in text and "PDF" not in text
