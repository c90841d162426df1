from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from experts.models import Discipline, Institution
from experts.reference import DATA_DIR, load_reference_data

pytestmark = pytest.mark.django_db


def test_reference_data_is_loaded_by_the_migration():
    assert Discipline.objects.count() == 118  # 117 first-level disciplines of 2022 + 风景园林学 (2011)
    assert Institution.objects.filter(category="university").count() == 147
    assert Institution.objects.filter(category="research").count() == 8
    assert Institution.objects.filter(category="hospital").count() == 5
    assert Institution.objects.filter(is_985=True).count() == 39
    assert Institution.objects.filter(is_211=True).count() == 115
    assert Institution.objects.filter(category="university", in_changping=True).count() == 9


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        ("中国石油大学（北京）", {"211", "double_first_class", "changping_local"}),
        ("北京大学", {"985", "211", "double_first_class"}),
        ("首都师范大学", {"double_first_class"}),
        ("昌平实验室", {"research_national", "changping_local"}),
        ("北京生命科学研究所", {"research_national", "new_rd", "changping_local"}),
        ("北京量子信息科学研究院", {"new_rd"}),
        ("北京清华长庚医院", {"changping_local"}),
    ],
)
def test_reference_institution_kinds(name, kinds):
    assert Institution.objects.get(name=name).kinds == kinds


def test_double_first_class_disciplines_are_linked():
    cup = Institution.objects.get(name="中国石油大学（北京）")
    assert set(cup.double_first_class_disciplines.values_list("name", flat=True)) == {
        "地质资源与地质工程",
        "石油与天然气工程",
    }
    assert Institution.objects.get(name="北京大学").dfc_self_determined
    # 2011 names are mapped to their 2022 successors.
    assert Institution.objects.filter(double_first_class_disciplines__name="艺术学").exists()


def test_loader_never_overwrites_staff_edits_and_is_idempotent():
    cup = Institution.objects.get(name="中国石油大学（北京）")
    cup.contact_name = "刘建国"
    cup.is_985 = True  # a (wrong) staff edit is still the staff's to make
    cup.save()
    before = (Discipline.objects.count(), Institution.objects.count())
    report = load_reference_data(Discipline, Institution)
    assert (report.disciplines, report.institutions, report.double_first_class_links) == (0, 0, 0)
    assert (Discipline.objects.count(), Institution.objects.count()) == before
    cup.refresh_from_db()
    assert cup.contact_name == "刘建国" and cup.is_985


def test_load_reference_data_command():
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "新增：学科 0 个、推荐单位 0 个" in out.getvalue()


def test_reference_data_is_inside_the_project():
    assert DATA_DIR.parent.name == "experts"
    assert (DATA_DIR / "universities.csv").exists()
    assert "shared" not in str(DATA_DIR)


def test_seed_is_idempotent_and_links_demo_users():
    from accounts.seed import seed as seed_accounts
    from experts.models import Expert, Nomination
    from experts.seed import seed as seed_experts

    out = io.StringIO()
    seed_accounts(out)
    seed_experts(out)
    seed_experts(out)
    states = set(Nomination.objects.values_list("state", flat=True))
    assert states == {"draft", "submitted", "returned", "admitted", "rejected"}
    zhang = Expert.objects.get(user__username="zj_zhang")
    assert (zhang.name, zhang.in_pool) == ("张明远", True)
    from accounts.models import User

    assert (
        User.objects.get(username="tj_cup").institution_membership.institution.name == "中国石油大学（北京）"
    )
    assert Nomination.objects.filter(eligibility="exception", exception_decision="pending").count() == 1
    assert Nomination.objects.count() == 9
