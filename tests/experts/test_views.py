from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.enums import Role
from experts import services
from experts.models import Expert, Nomination
from experts.selectors import expert_list, nomination_list
from tests.factories.accounts import UserFactory, otp_login
from tests.factories.experts import (
    PDF,
    PNG,
    InstitutionFactory,
    admitted_nomination,
    id_number,
    make_nomination,
    nominator,
    profile_edit_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_member():
    return nominator(InstitutionFactory(name="甲大学"))


@pytest.fixture
def b_member():
    return nominator(InstitutionFactory(name="乙大学"))


def form_post(**overrides):
    data = {
        "name": "李储能",
        "gender": "male",
        "id_number": id_number(501),
        "phone": "13800001111",
        "email": "li@example.cn",
        "department": "材料学院",
        "discipline": "",
        "research_fields": "储能材料",
        "keywords": "固态电池",
        "degree": "doctorate",
        "title": "副教授",
        "title_level": "associate_senior",
        "work_start": "2015-07-01",
        "declaration": "on",
        "personal_data_consent": "on",
        "ach-TOTAL_FORMS": "1",
        "ach-INITIAL_FORMS": "0",
        "ach-MIN_NUM_FORMS": "0",
        "ach-MAX_NUM_FORMS": "50",
        "ach-0-kind": "patent",
        "ach-0-title": "一种固态电解质",
        "ach-0-year": "2022",
        "ach-0-detail": "ZL2022",
    }
    from experts.models import Discipline

    data["discipline"] = str(Discipline.objects.get(name="材料科学与工程").pk)
    data.update(overrides)
    return data


# Object-level access --------------------------------------------------------------------------------------


def test_nominator_gets_404_on_other_institutions_nomination(client, a_member, b_member):
    theirs = make_nomination(by=b_member)
    otp_login(client, a_member)
    for name in ("experts:nomination-detail", "experts:nomination-update", "experts:nomination-letter"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client.post(reverse("experts:nomination-submit", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("experts:expert-detail", args=[theirs.expert_id])).status_code == 404
    assert client.get(reverse("experts:expert-file", args=[theirs.expert_id, "resume"])).status_code == 404


def test_nominator_lists_never_leak_other_institutions_rows(client, a_member, b_member, staff):
    mine = admitted_nomination(a_member, staff, name="甲专家")
    admitted_nomination(b_member, staff, name="乙专家")
    make_nomination(by=b_member, name="乙草稿")
    otp_login(client, a_member)
    body = client.get(reverse("experts:nomination-list") + "?state=").content.decode()
    assert "甲专家" in body and "乙专家" not in body and "乙草稿" not in body
    body = client.get(reverse("experts:expert-list")).content.decode()
    assert "甲专家" in body and "乙专家" not in body
    assert list(nomination_list(a_member)) == [mine]
    assert list(expert_list(a_member)) == [mine.expert]


def test_selectors_agree_with_rules(a_member, b_member, staff):
    mine, theirs = make_nomination(by=a_member), make_nomination(by=b_member)
    for user in (a_member, b_member, staff):
        visible = set(nomination_list(user))
        for n in (mine, theirs):
            assert (n in visible) == user.has_perm("experts.view_nomination", n)
            assert (n.expert in set(expert_list(user))) == user.has_perm("experts.view_expert", n.expert)


def test_expert_sees_only_themself(client, a_member, staff):
    me = admitted_nomination(a_member, staff, name="我自己")
    other = admitted_nomination(a_member, staff, name="别人")
    user = UserFactory(roles=[Role.EXPERT])
    Expert.objects.filter(pk=me.expert_id).update(user=user)
    otp_login(client, user)
    assert client.get(reverse("experts:expert-detail", args=[me.expert_id])).status_code == 200
    assert client.get(reverse("experts:expert-detail", args=[other.expert_id])).status_code == 404
    assert client.get(reverse("experts:nomination-detail", args=[me.pk])).status_code == 404
    assert client.get(reverse("experts:expert-list")).status_code == 404
    assert client.get(reverse("experts:expert-me")).url == reverse(
        "experts:expert-detail", args=[me.expert_id]
    )


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.FINANCE, Role.REVIEWER])
def test_other_roles_get_404(client, a_member, role):
    nomination = make_nomination(by=a_member)
    otp_login(client, UserFactory(roles=[role]))
    assert client.get(reverse("experts:nomination-detail", args=[nomination.pk])).status_code == 404
    assert client.get(reverse("experts:expert-detail", args=[nomination.expert_id])).status_code == 404
    assert client.get(reverse("experts:nomination-list")).status_code == 404
    assert client.get(reverse("experts:expert-list")).status_code == 404


def test_nominator_without_institution_gets_404(client):
    otp_login(client, UserFactory(roles=[Role.NOMINATOR]))
    assert client.get(reverse("experts:nomination-create")).status_code == 404


# Portal pages ------------------------------------------------------------------------------------------


def test_create_submit_and_see_eligibility(client, a_member):
    otp_login(client, a_member)
    letter = SimpleUploadedFile("推荐函.pdf", PDF, content_type="application/pdf")
    response = client.post(reverse("experts:nomination-create"), form_post(recommendation_letter=letter))
    assert response.status_code == 302, response.content.decode()[:3000]
    nomination = Nomination.objects.get()
    assert nomination.expert.achievements.get().title == "一种固态电解质"
    response = client.post(reverse("experts:nomination-submit", args=[nomination.pk]), follow=True)
    body = response.content.decode()
    assert "符合条件" in body
    nomination.refresh_from_db()
    assert nomination.state == "submitted"
    assert client.get(reverse("experts:nomination-update", args=[nomination.pk])).status_code == 302


def test_create_with_bad_id_number_keeps_input(client, a_member):
    otp_login(client, a_member)
    response = client.post(reverse("experts:nomination-create"), form_post(id_number="110108198001010010"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "身份证号码无效" in body
    assert 'value="李储能"' in body and "储能材料" in body
    assert Nomination.objects.count() == 0


def test_create_with_future_work_start_is_refused(client, a_member):
    otp_login(client, a_member)
    response = client.post(reverse("experts:nomination-create"), form_post(work_start="2099-01-01"))
    assert "日期不能晚于今天" in response.content.decode()
    assert Nomination.objects.count() == 0


def test_upload_that_is_not_what_it_claims_is_refused(client, a_member):
    otp_login(client, a_member)
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    response = client.post(reverse("experts:nomination-create"), form_post(recommendation_letter=fake))
    body = response.content.decode()
    assert "文件内容不是允许的类型" in body
    assert 'value="李储能"' in body
    assert Nomination.objects.count() == 0


def test_png_named_pdf_is_refused(client, a_member):
    otp_login(client, a_member)
    fake = SimpleUploadedFile("letter.pdf", PNG, content_type="application/pdf")
    response = client.post(reverse("experts:nomination-create"), form_post(recommendation_letter=fake))
    assert "与文件内容（PNG）不符" in response.content.decode()


def test_oversize_upload_is_refused(client, a_member, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    otp_login(client, a_member)
    big = SimpleUploadedFile("letter.pdf", PDF + b"0" * 2000, content_type="application/pdf")
    response = client.post(reverse("experts:nomination-create"), form_post(recommendation_letter=big))
    assert "文件过大" in response.content.decode()
    assert Nomination.objects.count() == 0


def test_uploaded_file_is_served_only_through_the_permission_check(
    client, a_member, b_member, staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    nomination = make_nomination(by=a_member)
    assert str(tmp_path) in nomination.recommendation_letter.path
    otp_login(client, a_member)
    response = client.get(reverse("experts:nomination-letter", args=[nomination.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    otp_login(client, staff)
    assert client.get(reverse("experts:nomination-letter", args=[nomination.pk])).status_code == 200
    otp_login(client, b_member)
    assert client.get(reverse("experts:nomination-letter", args=[nomination.pk])).status_code == 404


def test_staff_queue_filters_and_decides(client, a_member, b_member, staff):
    n1 = make_nomination(by=a_member, name="甲一")
    services.nomination_submit(nomination=n1, by=a_member)
    n2 = make_nomination(by=b_member, name="乙一", degree="master", title_level="none")
    services.nomination_submit(nomination=n2, by=b_member)
    otp_login(client, staff)
    body = client.get(reverse("experts:nomination-list")).content.decode()
    assert "甲一" in body and "乙一" in body
    body = client.get(reverse("experts:nomination-list"), {"eligibility": "ineligible"}).content.decode()
    assert "乙一" in body and "甲一" not in body
    body = client.get(reverse("experts:nomination-list"), {"institution": n1.institution_id}).content.decode()
    assert "甲一" in body and "乙一" not in body
    detail = client.get(reverse("experts:nomination-detail", args=[n2.pk])).content.decode()
    assert "专家既无博士学位" in detail
    response = client.post(reverse("experts:nomination-return", args=[n2.pk]), {"reason": ""})
    assert "须填写理由" in response.content.decode()
    client.post(reverse("experts:nomination-return", args=[n2.pk]), {"reason": "请补充职称证明"})
    n2.refresh_from_db()
    assert n2.state == "returned"
    otp_login(client, b_member)
    assert "请补充职称证明" in client.get(reverse("experts:nomination-detail", args=[n2.pk])).content.decode()


def test_staff_queue_query_count_is_constant(client, a_member, staff, django_assert_max_num_queries):
    for i in range(15):
        services.nomination_submit(nomination=make_nomination(by=a_member, name=f"专家{i}"), by=a_member)
    otp_login(client, staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("experts:nomination-list"))
    assert response.status_code == 200


# Talent pool ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [20, 50, 100])
def test_pool_list_runs_a_constant_number_of_queries(
    client, a_member, staff, size, django_assert_max_num_queries
):
    for i in range(size + 5):
        admitted_nomination(a_member, staff, name=f"在库{i}")
    otp_login(client, staff)
    # session, user, OTP device, roles, count, unread notifications, 2 filter choices, page, session save …
    # (+2 when the filter options are cold: core.filters rebuilds a select's options once its rows change)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("experts:expert-list"), {"page_size": size})
    assert len(response.context["experts"]) == size


def test_pool_search_and_export_exactly_the_filtered_rows(client, a_member, staff):
    admitted_nomination(a_member, staff, name="赵储能", keywords="储能材料，固态电池")
    admitted_nomination(a_member, staff, name="钱油气", keywords="油气田开发")
    admitted_nomination(
        a_member, staff, name="孙抗体", keywords="抗体药物", degree="master", title_level="senior"
    )
    make_nomination(by=a_member, name="草稿储能", keywords="储能材料")  # not in the pool
    otp_login(client, staff)
    response = client.get(reverse("experts:expert-list"), {"q": "储能"})
    assert [e.name for e in response.context["experts"]] == ["赵储能"]
    response = client.get(reverse("experts:expert-list"), {"degree": "doctorate", "o": "name"})
    names = [e.name for e in response.context["experts"]]
    assert sorted(names) == sorted(["赵储能", "钱油气"])
    export = client.get(reverse("experts:expert-export"), {"degree": "doctorate"})
    ws = load_workbook(io.BytesIO(export.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("编号", "姓名")  # core.exports: the record number first
    assert sorted(r[1] for r in rows[1:]) == sorted(["赵储能", "钱油气"])
    assert all("*" not in str(c) for r in rows for c in r if c)  # no ID numbers exported


@pytest.mark.parametrize(
    "q, index, like",
    [
        # a two-character Chinese word is its own one bigram: the index's answer is exact, no LIKE
        ("储能", True, None),
        # longer words: the index picks candidates, LIKE confirms (case-sensitive when case cannot matter)
        ("储能材料", True, '"experts_expert"."search_text"::text LIKE %s'),
        ("co2驱油", True, 'UPPER("experts_expert"."search_text"::text) LIKE UPPER(%s)'),
        ("5g", True, 'UPPER("experts_expert"."search_text"::text) LIKE UPPER(%s)'),
        # one character: no bigram, LIKE alone
        ("锂", False, '"experts_expert"."search_text"::text LIKE %s'),
    ],
)
def test_pool_search_is_served_by_the_bigram_index(db, q, index, like):
    """A two-character Chinese word (which a trigram index cannot serve) is looked up in the GIN index
    of the search text's bigrams (experts migration 0005); LIKE confirms longer words."""
    from django.db import connection

    from experts.selectors import pool_list

    if connection.vendor != "postgresql":
        pytest.skip("the bigram index exists only on PostgreSQL")
    user = UserFactory(roles=[Role.COMMISSION])
    sql, _params = pool_list(user, q=q).order_by().values("pk").query.sql_with_params()
    assert ('"experts_expert"."search_grams" @>' in sql) is index
    if like is None:
        assert "search_text" not in sql
    else:
        assert like in sql
        if not like.startswith("UPPER"):
            assert "UPPER" not in sql.split("WHERE", 1)[1]
    # On a table of a few rows the planner prefers the in_pool index; what is checked here is that the
    # bigram condition the pool emits is one the GIN index serves (bench_pool measures it at scale).
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT id FROM experts_expert WHERE search_grams @> %s::text[]", [["储能"]])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Bitmap Index Scan on experts_expert_search_grams" in plan


def test_expert_page_shows_history(client, a_member, staff):
    nomination = admitted_nomination(a_member, staff, name="历史专家")
    otp_login(client, staff)
    body = client.get(reverse("experts:expert-detail", args=[nomination.expert_id])).content.decode()
    assert "草稿 → 已提交" in body and "已提交 → 已入库" in body
    assert nomination.expert.id_number_masked in body


def test_expert_profile_edit_sends_core_changes_for_approval(client, a_member, staff):
    nomination = admitted_nomination(a_member, staff)
    user = UserFactory(roles=[Role.EXPERT])
    Expert.objects.filter(pk=nomination.expert_id).update(user=user)
    expert = Expert.objects.get(pk=nomination.expert_id)
    otp_login(client, user)
    data = profile_edit_data(expert, phone="13700000000", title="二级教授")
    response = client.post(reverse("experts:expert-profile-edit"), data)
    assert response.status_code == 302
    expert.refresh_from_db()
    assert expert.phone == "13700000000" and expert.title == "教授"
    assert expert.change_requests.get().changes["title"]["new"] == "二级教授"
    otp_login(client, staff)
    body = client.get(reverse("experts:changerequest-list")).content.decode()
    assert "二级教授" in body and "专业技术职称：教授" in body


def test_landing_panels_render(client, a_member, staff):
    make_nomination(by=a_member)
    otp_login(client, a_member)
    assert "本单位专家推荐" in client.get(reverse("core:role-home", args=["nominator"])).content.decode()
    otp_login(client, staff)
    assert "待审核推荐" in client.get(reverse("core:role-home", args=["commission"])).content.decode()


def test_institution_management_is_staff_only(client, a_member, staff):
    otp_login(client, a_member)
    assert client.get(reverse("experts:institution-list")).status_code == 404
    otp_login(client, staff)
    response = client.post(
        reverse("experts:institution-create"),
        {"name": "北京新型研究院", "category": "research", "is_new_rd": "on", "active": "on"},
    )
    assert response.status_code == 302
    from experts.models import Institution

    assert Institution.objects.get(name="北京新型研究院").kinds == {"new_rd"}


def test_birth_date_check(client, a_member):
    otp_login(client, a_member)
    response = client.post(
        reverse("experts:nomination-create"),
        form_post(id_number=id_number(3, born=date(1990, 5, 5)), work_start="1989-01-01"),
    )
    assert "不能早于出生日期" in response.content.decode()


def test_staff_may_reveal_the_full_id_number_and_it_is_audited(client, a_member, staff):
    from core.models import AuditEvent

    code = id_number(77)
    nomination = make_nomination(by=a_member, id_no=code)
    otp_login(client, staff)
    page = client.get(reverse("experts:expert-detail", args=[nomination.expert_id])).content.decode()
    assert code not in page and "查看完整身份证号码" in page
    page = client.post(reverse("experts:expert-id-number", args=[nomination.expert_id])).content.decode()
    assert code in page
    assert AuditEvent.objects.filter(action="expert.id_number_view", actor=staff).count() == 1
    otp_login(client, a_member)
    assert client.post(reverse("experts:expert-id-number", args=[nomination.expert_id])).status_code == 404
    page = client.get(reverse("experts:expert-detail", args=[nomination.expert_id])).content.decode()
    assert code not in page and "查看完整身份证号码" not in page


def test_import_view_names_missing_columns(client, a_member):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["姓名", "身份证"])
    buffer = io.BytesIO()
    wb.save(buffer)
    otp_login(client, a_member)
    response = client.post(
        reverse("experts:nomination-import"),
        {"file": SimpleUploadedFile("x.xlsx", buffer.getvalue()), "personal_data_consent": "on"},
    )
    body = response.content.decode()
    assert "缺少列：性别、身份证号码" in body
    assert "无法识别的列：身份证" in body
    assert Nomination.objects.count() == 0


def test_nominator_list_query_count_is_constant(client, a_member, django_assert_max_num_queries):
    for i in range(25):
        make_nomination(by=a_member, name=f"草稿{i}")
    otp_login(client, a_member)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("experts:nomination-list"))
    assert len(response.context["nominations"]) == 20


def test_institution_sees_eligibility_reasons_and_kind_filter_works(client, a_member, staff):
    nomination = make_nomination(by=a_member, name="经历不足", work_start=date.today().replace(day=1))
    services.nomination_submit(nomination=nomination, by=a_member)
    otp_login(client, a_member)
    body = client.get(reverse("experts:nomination-detail", args=[nomination.pk])).content.decode()
    assert "不符合条件" in body and "工作经历不足2年" in body
    otp_login(client, staff)
    qs = {"state": "submitted", "institution_kind": "211"}
    assert "经历不足" in client.get(reverse("experts:nomination-list"), qs).content.decode()
    qs["institution_kind"] = "985"
    assert "经历不足" not in client.get(reverse("experts:nomination-list"), qs).content.decode()
