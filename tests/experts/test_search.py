"""Search finds what the pages show (issue 17): every write path keeps the talent pool's search text,
words mean AND, Chinese needs no spaces, results are ranked, and no query breaks a page."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.enums import Role
from core.search import bigrams, search_terms
from experts import services
from experts.models import Achievement, Discipline, Expert, Institution
from experts.selectors import pool_list
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.experts import InstitutionFactory, admitted_nomination, id_number, nominator, pool_expert

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    institution = Institution.objects.get(name="北京理工大学")
    Institution.objects.filter(pk=institution.pk).update(short_name="北理工")
    return nominator(institution)


def admit(member, staff, **kw) -> Expert:
    return admitted_nomination(member, staff, **kw).expert


def found(user, q: str) -> list[str]:
    return list(pool_list(user, q=q).order_by("name").values_list("name", flat=True))


# What a query means ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q, terms",
    [
        ("", []),
        ("   ", []),
        ("储能", ["储能"]),
        ("电池 安全", ["电池", "安全"]),
        ("罗静　储能", ["罗静", "储能"]),  # ideographic space
        ("储能材料；电池安全", ["储能材料", "电池安全"]),
        ("CO2驱油", ["co2驱油"]),
        ("储能 储能", ["储能"]),
        ("！？。，；……", []),
        ("储\x00能", ["储", "能"]),
        ("🔋储能🔋", ["储能"]),
        ("\u202e储能", ["储能"]),
        ("a b c d e f g", ["a", "b", "c", "d", "e"]),
        ("储" * 10_000, ["储" * 50]),
    ],
)
def test_search_terms(q, terms):
    assert search_terms(q) == terms


@pytest.mark.parametrize(
    "term, grams",
    [("储能", ["储能"]), ("电池安全", ["安全", "池安", "电池"]), ("油", ["油"]), ("CO2", ["co", "o2"])],
)
def test_bigrams(term, grams):
    assert bigrams(term) == sorted(grams)


def test_bigrams_agree_with_the_database_function():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL function")
    text = "储能材料；电池安全 CO2驱油 a 北理工"
    with connection.cursor() as cursor:
        cursor.execute("SELECT kjfz_bigrams(%s)", [text])
        db = set(cursor.fetchone()[0])
    python = {g for word in search_terms(text) for g in bigrams(word)}
    assert python == db


# Every write path keeps the search text ---------------------------------------------------------------


FIELDS = {
    "name": "罗静",
    "keywords": "热失控预警",
    "research_fields": "储能材料；电池安全",
    "department": "机电学院",
    "title": "研究员",
}


def _expect_found(user, expert: Expert):
    expert.refresh_from_db()
    assert expert.search_text, "search text empty"
    for q in [
        "罗静",
        "热失控",
        "储能",
        "电池安全",
        "电池 安全",
        "罗静 储能",
        "机电学院",
        "北京理工",
        "北理工",
        "材料科学与工程",
        "研究员",
    ]:
        assert expert.pk in set(pool_list(user, q=q).values_list("pk", flat=True)), q


def test_service_path_with_achievements_is_searchable(member, staff):
    expert = admit(
        member,
        staff,
        **FIELDS,
        discipline=Discipline.objects.get(name="材料科学与工程"),
        achievements=[{"kind": "patent", "title": "一种锂电池热失控预警装置", "year": 2023, "detail": ""}],
    )
    _expect_found(staff, expert)
    assert found(staff, "热失控预警装置") == ["罗静"]


def test_achievement_writes_of_any_kind_refresh_the_search_text(member, staff):
    expert = admit(member, staff, **FIELDS, discipline=Discipline.objects.get(name="材料科学与工程"))
    Achievement.objects.create(expert=expert, kind="paper", title="钠离子电池正极材料研究")
    assert found(staff, "钠离子") == ["罗静"]
    Achievement.objects.filter(expert=expert).update(title="固态电解质界面研究")
    assert found(staff, "钠离子") == [] and found(staff, "固态电解质") == ["罗静"]
    Achievement.objects.filter(expert=expert).delete()
    assert found(staff, "固态电解质") == []


def test_raw_sql_and_admin_style_writes_refresh_the_search_text(member, staff):
    """An UPDATE that does not mention search_text (the admin's save, a data fix in SQL) still refreshes
    it: the trigger is the one place it is computed."""
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists only on PostgreSQL")
    expert = admit(member, staff, **FIELDS, discipline=Discipline.objects.get(name="材料科学与工程"))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE experts_expert SET keywords = '氢燃料电池', search_text = '' WHERE id = %s", [expert.pk]
        )
    assert found(staff, "氢燃料") == ["罗静"]
    assert found(staff, "热失控") == []
    Institution.objects.filter(pk=expert.institution_id).update(short_name="北理")
    assert found(staff, "北理") == ["罗静"]
    Discipline.objects.filter(pk=expert.discipline_id).update(name="材料科学与工程学")
    assert found(staff, "工程学") == ["罗静"]


def test_admin_change_form_path_is_searchable(client, member, staff):
    expert = admit(member, staff, **FIELDS, discipline=Discipline.objects.get(name="材料科学与工程"))
    expert.keywords = "柔性电子"
    expert.search_text = ""
    expert.save()  # what ModelAdmin.save_model does
    assert found(staff, "柔性电子") == ["罗静"]


def test_bulk_insert_path_like_the_bench_generator_is_searchable(member, staff):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists only on PostgreSQL")
    from core.crypto import blind_index, encrypt
    from core.identifiers import mask_id_number

    institution = member.institution_membership.institution
    code = id_number(4242)
    Expert.objects.bulk_create(
        [
            pool_expert(
                name="唐批量",
                institution=institution,
                discipline=Discipline.objects.get(name="机械工程"),
                research_fields="精密装配；机器人",
                keywords="柔性装配",
                work_start=date(2005, 7, 1),
                id_number_encrypted=encrypt(code),
                id_number_hash=blind_index(code, purpose=services.ID_PURPOSE),
                id_number_masked=mask_id_number(code),
            )
        ]
    )
    assert found(staff, "精密装配") == ["唐批量"]
    assert found(staff, "机械工程 北理工") == ["唐批量"]


def test_import_path_is_searchable(member, staff):
    from experts.imports import import_apply, import_parse
    from tests.experts.test_imports import row, workbook

    institution = member.institution_membership.institution
    import_apply(
        import_parse(workbook([row(1, 关键词="海上风电")]), institution), institution=institution, by=member
    )
    expert = Expert.objects.get(id_number_hash=services.id_number_hash(id_number(1)))
    Expert.objects.filter(pk=expert.pk).update(in_pool=True, admitted_at=timezone.now())
    assert expert.pk in set(pool_list(staff, q="海上风电").values_list("pk", flat=True))


#: Words of research fields → the discipline categories (学科门类, the first two digits of the code in
#: experts/data/disciplines.csv) that such a field belongs to.
FIELD_CATEGORIES = {
    "油气": {"08"},
    "采收率": {"08"},
    "储能": {"08"},
    "电池": {"08"},
    "材料": {"08", "07"},
    "催化": {"08", "07"},
    "储运": {"08"},
    "管道": {"08"},
    "机器人": {"08"},
    "装配": {"08"},
    "视觉": {"08"},
    "焊接": {"08"},
    "数控": {"08"},
    "测量": {"08"},
    "并网": {"08"},
    "地震": {"08", "07"},
    "深度学习": {"08"},
    "石油": {"08"},
    "化工": {"08"},
    "有机合成": {"07", "08", "10"},
    "药": {"10"},
    "临床": {"10"},
    "抗体": {"10"},
    "免疫": {"10"},
    "诊断": {"10"},
    "影像": {"10"},
    "管理": {"12"},
}


def _field_categories(fields: str) -> set[str]:
    return set().union(*(cats for word, cats in FIELD_CATEGORIES.items() if word in fields))


def test_seed_experts_are_searchable_and_filed_under_the_right_discipline():
    """The demo's experts (seed_demo) are found by every field their page shows — 罗静 by 储能, 电池安全,
    "电池 安全" and "罗静 储能" (issue 17's report)."""
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    staff = UserFactory(roles=[Role.COMMISSION])
    assert "罗静" in found(staff, "储能")
    for q in ("电池安全", "电池 安全", "罗静 储能"):
        assert "罗静" in found(staff, q), q
    empty = Expert.objects.filter(search_text="")
    assert not empty.exists(), list(empty.values_list("name", flat=True))
    for expert in Expert.objects.filter(in_pool=True).select_related("institution", "discipline"):
        for value in (expert.name, expert.institution.name, expert.discipline.name):
            assert expert.pk in set(pool_list(staff, q=value).values_list("pk", flat=True)), value
    # The dashboard and the annual report count experts by discipline: each demo expert's discipline
    # belongs to the field of their research fields (none is a "philosopher" by default).
    wrong = []
    for expert in Expert.objects.select_related("discipline"):
        categories = _field_categories(expert.research_fields)
        assert categories, (
            f"{expert.name}: no known word in {expert.research_fields!r} — extend FIELD_CATEGORIES"
        )
        if expert.discipline.code[:2] not in categories:
            wrong.append((expert.name, expert.discipline.name, expert.research_fields))
    assert wrong == []


def test_the_index_shortcuts_find_exactly_what_a_case_insensitive_substring_finds(member, staff):
    """pool_list skips LIKE for a two-character Chinese word (the bigram index is exact for it) and
    drops UPPER for words without letter case: the rows are those of a plain case-insensitive substring
    match of the search text, word by word."""
    admit(member, staff, name="罗静", keywords="储能材料，CO2驱油", research_fields="电池安全；5G通信")
    admit(member, staff, name="王能", keywords="储 能", research_fields="锂电池")
    admit(member, staff, name="赵储", keywords="co2驱油", research_fields="能源储存")
    for q in ["储能", "储 能", "能储", "电池", "锂", "co2", "CO2驱油", "5g", "5G通信", "储能 co2", "北理工"]:
        expected = Expert.objects.filter(in_pool=True)
        for term in search_terms(q):
            expected = expected.filter(search_text__icontains=term)
        assert found(staff, q) == sorted(expected.values_list("name", flat=True)), q


# Ranking and pages ------------------------------------------------------------------------------------


def test_pool_ranks_a_name_match_above_a_field_match(client, member, staff):
    admit(member, staff, name="王储能", keywords="油气田开发", research_fields="油藏")
    admit(member, staff, name="李文博", keywords="储能材料", research_fields="储能材料；电池")
    admit(
        member,
        staff,
        name="赵志强",
        keywords="管道",
        research_fields="储运",
        achievements=[{"kind": "paper", "title": "储能电站安全", "year": 2022, "detail": ""}],
    )
    otp_login(client, staff)
    response = client.get(reverse("experts:expert-list"), {"q": "储能"})
    assert [e.name for e in response.context["experts"]] == ["王储能", "李文博", "赵志强"]


@pytest.mark.parametrize(
    "q",
    [
        "",
        "x" * 10_000,
        "！？。，；",
        "储\x00能",
        "🔋🔋",
        "\u202eשלום",
        "'; DROP TABLE experts_expert; --",
        "%_%",
        "储",
    ],
)
def test_pool_page_survives_any_query(client, member, staff, q):
    admit(member, staff, name="罗静", keywords="储能")
    otp_login(client, staff)
    response = client.get(reverse("experts:expert-list"), {"q": q})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert "experts" in response.context


def test_pool_search_runs_a_constant_number_of_queries(client, member, staff, django_assert_max_num_queries):
    for i in range(30):
        admit(member, staff, name=f"储能专家{i}", keywords="储能材料")
    otp_login(client, staff)
    client.get(reverse("experts:expert-list"), {"q": "储能 材料"})  # warm the filter options
    with django_assert_max_num_queries(14):
        response = client.get(reverse("experts:expert-list"), {"q": "储能 材料", "page_size": 20})
    assert len(response.context["experts"]) == 20
    nxt = response.context["page_obj"].next_params
    with django_assert_max_num_queries(14):
        page2 = client.get(reverse("experts:expert-list") + "?" + nxt)
    assert len(page2.context["experts"]) == 10
    names = {e.name for e in response.context["experts"]} | {e.name for e in page2.context["experts"]}
    assert len(names) == 30


# The other lists ----------------------------------------------------------------------------------------


def test_institution_list_words_mean_and(client, staff):
    InstitutionFactory(name="甲市测试工业研究院", short_name="甲工研")
    InstitutionFactory(name="甲市测试林业研究院", short_name="甲林研")
    otp_login(client, staff)
    response = client.get(reverse("experts:institution-list"), {"q": "甲市 工业"})
    assert [i.name for i in response.context["institutions"]] == ["甲市测试工业研究院"]
    response = client.get(reverse("experts:institution-list"), {"q": "甲林研"})
    assert [i.name for i in response.context["institutions"]] == ["甲市测试林业研究院"]


def test_enterprise_and_demand_lists_search_every_displayed_field(client, staff):
    from tests.factories.enterprises import DemandFactory, EnterpriseFactory

    a = EnterpriseFactory(name="北京昌能储能技术有限公司")
    b = EnterpriseFactory(name="北京未来智造装备有限公司")
    DemandFactory(enterprise=a, title="储能电池热失控预警", technical_field="电化学储能")
    DemandFactory(enterprise=b, title="焊缝缺陷视觉检测", technical_field="机器视觉")
    otp_login(client, staff)
    names = lambda r: [e.name for e in r.context["enterprises"]]  # noqa: E731
    assert names(client.get(reverse("enterprises:enterprise-list"), {"q": "储能 技术"})) == [a.name]
    assert names(client.get(reverse("enterprises:enterprise-list"), {"q": a.uscc.lower()})) == [a.name]
    url = reverse("enterprises:demand-list")
    titles = lambda q: [d.title for d in client.get(url, {"q": q}).context["demands"]]  # noqa: E731
    assert titles("机器视觉") == ["焊缝缺陷视觉检测"]
    assert titles("昌能 预警") == ["储能电池热失控预警"]
    assert titles("昌能 视觉") == []


def test_project_list_searches_title_enterprise_and_expert(client):
    from tests.factories import projects as pf

    first = pf.project(title="航空精密部件机器人柔性装配")
    second = pf.project(title="储能电池热失控预警系统")
    staff = pf.commission()
    otp_login(client, staff)
    titles = lambda r: [p.title for p in r.context["projects"]]  # noqa: E731
    assert titles(client.get(reverse("projects:project-list"), {"q": "柔性 装配"})) == [first.title]
    query = f"{second.expert.name} 预警"
    assert titles(client.get(reverse("projects:project-list"), {"q": query})) == [second.title]
    assert titles(client.get(reverse("projects:project-list"), {"q": first.enterprise.name})) == [first.title]
