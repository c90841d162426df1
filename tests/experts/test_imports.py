from __future__ import annotations

import io
import time
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from experts.exceptions import ImportFileError
from experts.imports import HEADERS, MAX_ROWS, import_apply, import_parse
from experts.models import Expert, Nomination, NominationTransition
from experts.services import id_number_hash
from privacy.models import ConsentRecord
from tests.factories.accounts import otp_login
from tests.factories.experts import InstitutionFactory, id_number, make_nomination, nominator

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def row(n: int, **overrides) -> list:
    values = {
        "姓名": f"专家{n}",
        "性别": "男" if n % 2 else "女",
        "身份证号码": id_number(n),
        "手机号码": "13800000000",
        "电子邮箱": f"e{n}@example.cn",
        "所在院系/部门": "石油工程学院",
        "学科": "石油与天然气工程",
        "研究领域": "油气田开发",
        "关键词": "提高采收率",
        "最高学位": "博士",
        "专业技术职称": "教授",
        "职称级别": "正高级",
        "首次参加工作日期": "2010-07-01",
        "拥有核心知识产权或成熟成果": "否",
        "核心知识产权/成果说明": "",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


def workbook(rows, headers=HEADERS) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    if headers is not None:
        ws.append(list(headers))
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


@pytest.fixture
def member():
    return nominator(InstitutionFactory(name="导入大学"))


@pytest.fixture
def institution(member):
    return member.institution_membership.institution


def upload(client, data: io.BytesIO, name="推荐.xlsx", **extra):
    return client.post(
        reverse("experts:nomination-import"),
        {
            "file": SimpleUploadedFile(name, data.getvalue(), content_type=XLSX),
            "personal_data_consent": "on",
            **extra,
        },
    )


# Whole-file errors -----------------------------------------------------------------------------------


def test_template_download_has_the_columns(client, member):
    otp_login(client, member)
    response = client.get(reverse("experts:nomination-import-template"))
    assert response["Content-Type"] == XLSX
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == HEADERS


def test_template_filled_in_imports(client, member, institution):
    """The downloaded template's example row is itself a valid row."""
    otp_login(client, member)
    template = client.get(reverse("experts:nomination-import-template")).content
    report = import_parse(io.BytesIO(template), institution)
    assert [r.errors for r in report.rows] == [[]]


def test_missing_and_renamed_columns_are_named(institution):
    headers = [h for h in HEADERS if h != "学科"]
    headers[0] = "名字"
    with pytest.raises(ImportFileError) as exc:
        import_parse(workbook([], headers=headers), institution)
    message = str(exc.value)
    assert "缺少列：姓名、学科" in message
    assert "无法识别的列：名字" in message


def test_empty_file_is_refused(institution):
    with pytest.raises(ImportFileError, match="文件是空的"):
        import_parse(workbook([], headers=None), institution)


def test_header_only_file_is_refused(institution):
    with pytest.raises(ImportFileError, match="没有数据行"):
        import_parse(workbook([]), institution)


def test_not_a_workbook_is_refused_with_message(client, member):
    otp_login(client, member)
    response = client.post(
        reverse("experts:nomination-import"),
        {
            "file": SimpleUploadedFile("a.xlsx", b"not a zip at all", content_type=XLSX),
            "personal_data_consent": "on",
        },
    )
    assert "文件内容不是允许的类型" in response.content.decode()


def test_too_many_rows_is_refused(institution, monkeypatch):
    monkeypatch.setattr("experts.imports.MAX_ROWS", 3)
    with pytest.raises(ImportFileError, match="超过 3 行上限"):
        import_parse(workbook([row(i) for i in range(4)]), institution)


# Row errors ------------------------------------------------------------------------------------------


def test_each_bad_row_is_reported_with_its_reason(institution, member):
    other = nominator()
    taken = id_number(900)
    make_nomination(by=other, id_no=taken)
    bad_check = id_number(2)[:-1] + ("0" if id_number(2)[-1] != "0" else "1")
    rows = [
        row(1),
        row(2, 身份证号码=bad_check),
        row(3, 学科="炼金术"),
        row(4, 身份证号码=id_number(1)),
        row(5, 首次参加工作日期="2099-01-01"),
        row(6, 最高学位="博士后"),
        row(7, 身份证号码=taken),
        row(8, 身份证号码="12345"),
        row(9, 电子邮箱="not-an-email", 姓名=""),
    ]
    report = import_parse(workbook(rows), institution)
    errors = {r.number: r.errors for r in report.rows}
    assert errors[2] == []
    assert errors[3] == [
        f"身份证号码无效（出生日期或校验码错误）：{bad_check[:3]}***********{bad_check[-4:]}"
    ]
    assert errors[4] == ["未知学科：“炼金术”（请填写一级学科名称，见模板“填写说明”）"]
    assert errors[5] == ["身份证号码与第2行重复"]
    assert errors[6] == ["“首次参加工作日期”不能晚于今天：2099-01-01"]
    assert errors[7] == ["“最高学位”的取值“博士后”无法识别，应为：博士、硕士、学士、其他"]
    assert errors[8] == ["该身份证号码的专家已由其他推荐单位推荐"]
    assert errors[9] == ["身份证号码应为18位，实为5位"]
    assert errors[10] == ["“姓名”未填写", "电子邮箱格式不正确：not-an-email"]


def test_file_with_errors_imports_nothing_unless_user_chooses_valid_rows(client, member):
    otp_login(client, member)
    data = workbook([row(1), row(2, 学科="炼金术"), row(3)])
    response = upload(client, data)
    body = response.content.decode()
    assert "未导入任何数据" in body
    assert "未知学科" in body
    assert Nomination.objects.count() == 0
    token = response.context["token"]
    response = client.post(reverse("experts:nomination-import"), {"confirm": "1", "token": token})
    assert "新建推荐草稿 2 条" in response.content.decode()
    assert sorted(Expert.objects.values_list("name", flat=True)) == ["专家1", "专家3"]
    # The stored file is used once.
    response = client.post(
        reverse("experts:nomination-import"), {"confirm": "1", "token": token}, follow=True
    )
    assert "导入文件已失效" in response.content.decode()
    assert Nomination.objects.count() == 2


def test_clean_file_imports_all_rows_as_drafts(client, member, institution):
    otp_login(client, member)
    response = upload(client, workbook([row(1), row(2)]))
    assert "新建推荐草稿 2 条，更新草稿 0 条" in response.content.decode()
    assert Nomination.objects.filter(institution=institution, state="draft").count() == 2
    assert NominationTransition.objects.filter(to_state="draft").count() == 2


def test_reimport_same_id_number_updates_the_draft(member, institution):
    import_apply(import_parse(workbook([row(1), row(2)]), institution), institution=institution, by=member)
    report = import_parse(workbook([row(1, 姓名="专家一改", 关键词="页岩油"), row(3)]), institution)
    import_apply(report, institution=institution, by=member)
    assert (report.created, report.updated) == (1, 1)
    assert Expert.objects.count() == 3
    assert Nomination.objects.count() == 3
    expert = Expert.objects.get(id_number_hash=id_number_hash(id_number(1)))
    assert expert.name == "专家一改"
    assert "页岩油" in expert.search_text


def test_reimport_of_submitted_nomination_is_refused(member, institution):
    from experts import services

    nomination = make_nomination(by=member, id_no=id_number(1))
    services.nomination_submit(nomination=nomination, by=member)
    report = import_parse(workbook([row(1)]), institution)
    assert report.rows[0].errors == ["该专家的推荐已提交审核，不能通过导入修改"]


def test_excel_date_cells_are_accepted(institution):
    report = import_parse(workbook([row(1, 首次参加工作日期=date(2011, 9, 1))]), institution)
    assert report.rows[0].errors == []
    assert report.rows[0].values["work_start"] == date(2011, 9, 1)


def test_import_10000_rows(member, institution):
    """Issue 3: a 10,000-row import (parse, validate, write) finishes in under 30 s on this machine.
    The time is printed (run with -s), not asserted."""
    data = workbook([row(i) for i in range(MAX_ROWS)])
    started = time.perf_counter()
    report = import_parse(data, institution)
    parsed = time.perf_counter()
    import_apply(report, institution=institution, by=member)
    done = time.perf_counter()
    print(
        f"\n10,000-row import: parse+validate {parsed - started:.1f} s, write {done - parsed:.1f} s, "
        f"total {done - started:.1f} s"
    )
    assert report.invalid == []
    assert report.created == MAX_ROWS
    assert Expert.objects.filter(institution=institution).count() == MAX_ROWS
    assert Nomination.objects.filter(institution=institution, state="draft").count() == MAX_ROWS
    assert NominationTransition.objects.filter(subject__institution=institution).count() == MAX_ROWS
    consents = ConsentRecord.objects.filter(expert__institution=institution, kind="nomination")
    assert consents.count() == MAX_ROWS
    last = Expert.objects.get(id_number_hash=id_number_hash(id_number(MAX_ROWS - 1)))
    assert last.name == f"专家{MAX_ROWS - 1}"
    assert last.id_number_masked == id_number(MAX_ROWS - 1)[:3] + "*" * 11 + id_number(MAX_ROWS - 1)[-4:]
    # Re-importing the same 10,000 people updates their drafts instead of duplicating them.
    report = import_parse(workbook([row(i, 关键词="储能") for i in range(MAX_ROWS)]), institution)
    import_apply(report, institution=institution, by=member)
    assert (report.created, report.updated) == (0, MAX_ROWS)
    assert Nomination.objects.filter(institution=institution).count() == MAX_ROWS
    assert ConsentRecord.objects.filter(expert__institution=institution).count() == MAX_ROWS  # not twice
