"""Issue 16 item 4, the English UI: the reference data's names (industries, disciplines and their
categories) are shown through gettext, so each is marked for translation (reference_names) and has its
English in a glossary; the 发布需求 button and the 发布需求 figure are two messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from enterprises.models import Industry
from enterprises.reference_names import INDUSTRY_NAMES
from experts.models import Discipline
from experts.reference_names import DISCIPLINE_NAMES

pytestmark = pytest.mark.django_db


def _glossary() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(Path(settings.BASE_DIR, "locale").glob("en_glossary*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def test_every_reference_industry_and_discipline_is_marked_and_has_its_english():
    glossary = _glossary()
    industries = set(Industry.objects.values_list("name", flat=True))
    disciplines = set(Discipline.objects.values_list("name", flat=True))
    categories = set(Discipline.objects.values_list("category_name", flat=True)) - {""}
    assert len(industries) >= 9 and len(disciplines) >= 100 and len(categories) >= 10
    assert industries <= set(INDUSTRY_NAMES), industries - set(INDUSTRY_NAMES)
    names = disciplines | categories
    assert names <= set(DISCIPLINE_NAMES), names - set(DISCIPLINE_NAMES)
    missing = sorted(n for n in (*INDUSTRY_NAMES, *DISCIPLINE_NAMES) if not glossary.get(n))
    assert not missing, missing
    assert glossary["医药健康"] == "Medicine and health"


def test_names_are_shown_in_the_readers_language():
    industry = Industry.objects.get(name="医药健康")
    discipline = Discipline.objects.get(name="临床医学")
    with translation.override("zh-hans"):
        assert str(industry) == ("医药健康（主导产业）" if industry.is_leading else "医药健康")
        assert discipline.label == "临床医学" and str(discipline) == f"{discipline.code} 临床医学"


def test_the_publish_button_and_the_published_figure_are_two_messages():
    glossary = _glossary()
    assert glossary["发布需求"] == "Publish a demand"
    assert glossary["figure\u0004发布需求"] == "Demands published"
