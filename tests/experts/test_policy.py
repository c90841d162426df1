"""SPEC §3 and §6: eligibility of a nominated expert (policy section 二), no database."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from core.exceptions import PolicyError
from experts.policy import (
    DEGREES,
    EXPERIENCE,
    INSTITUTION,
    INSTITUTION_KINDS,
    QUALIFICATION,
    RULES,
    TITLE_LEVELS,
    Eligibility,
    check_eligibility,
)

AS_OF = date(2025, 6, 1)
# Every rule holds: a 985 university, a doctorate, ten years of work.
BASE = {
    "institution_kinds": {"985"},
    "discipline": "计算机科学与技术",
    "double_first_class": set(),
    "degree": "doctorate",
    "title_level": "none",
    "work_start": date(2015, 9, 1),
    "as_of": AS_OF,
    "core_ip": False,
}
# One change each that makes exactly one rule fail.
FAIL = {
    INSTITUTION: {"institution_kinds": set()},
    QUALIFICATION: {"degree": "master", "title_level": "intermediate"},
    EXPERIENCE: {"work_start": date(2024, 6, 2)},
}


def check(**changes) -> Eligibility:
    return check_eligibility(**{**BASE, **changes})


def failing(*codes: str, **changes) -> Eligibility:
    merged: dict = {}
    for code in codes:
        merged |= FAIL[code]
    return check(**merged, **changes)


def test_constants():
    assert RULES == ("institution", "qualification", "experience")
    assert INSTITUTION_KINDS == (
        "985",
        "211",
        "double_first_class",
        "hospital_3a",
        "research_national",
        "research_beijing",
        "new_rd",
        "changping_local",
    )
    assert DEGREES == ("doctorate", "master", "bachelor", "other")
    assert TITLE_LEVELS == ("senior", "associate_senior", "intermediate", "junior", "none")


def test_check_eligibility_all_rules_hold():
    result = check()
    assert result == Eligibility(eligible=True, failures=(), needs_exception=False, reasons={})


@pytest.mark.parametrize(
    "kind",
    ["985", "211", "hospital_3a", "research_national", "research_beijing", "new_rd", "changping_local"],
)
def test_check_eligibility_institution_kind_alone_qualifies(kind):
    assert check(institution_kinds={kind}).eligible


@pytest.mark.parametrize(
    ("kinds", "discipline", "dfc", "eligible"),
    [
        ({"double_first_class"}, "化学", {"化学", "物理学"}, True),
        ({"double_first_class"}, "计算机科学与技术", {"化学", "物理学"}, False),
        ({"double_first_class"}, "化学", set(), False),
        ({"double_first_class"}, "", {"化学", ""}, False),  # no discipline given
        ({"double_first_class", "211"}, "计算机科学与技术", {"化学"}, True),  # 211 suffices alone
        ({"double_first_class", "changping_local"}, "历史学", set(), True),
        (frozenset({"double_first_class"}), "化学", frozenset({"化学"}), True),
    ],
)
def test_check_eligibility_double_first_class_needs_the_discipline(kinds, discipline, dfc, eligible):
    result = check(institution_kinds=kinds, discipline=discipline, double_first_class=dfc)
    assert result.eligible is eligible
    assert result.failures == (() if eligible else (INSTITUTION,))


def test_check_eligibility_double_first_class_reason_names_the_discipline():
    result = check(institution_kinds={"double_first_class"}, discipline="化学", double_first_class={"物理学"})
    assert "“化学”" in result.reasons[INSTITUTION]
    assert "双一流" in result.reasons[INSTITUTION]
    assert result.reasons[INSTITUTION].endswith("此条件不可放宽。")


def test_check_eligibility_institution_reason_without_any_kind():
    result = check(institution_kinds=set())
    assert result.reasons[INSTITUTION] == (
        "推荐单位不属于985、211高校、“双一流”学科所在高校、知名三甲医院、国家级或北京市级科研机构、"
        "新型研发机构或驻昌单位；此条件不可放宽。"
    )


@pytest.mark.parametrize(
    ("degree", "title_level", "holds"),
    [
        ("doctorate", "none", True),
        ("doctorate", "junior", True),
        ("master", "senior", True),
        ("master", "associate_senior", True),
        ("bachelor", "associate_senior", True),
        ("other", "senior", True),
        ("master", "intermediate", False),
        ("bachelor", "junior", False),
        ("other", "none", False),
    ],
)
def test_check_eligibility_qualification(degree, title_level, holds):
    result = check(degree=degree, title_level=title_level)
    assert result.failures == (() if holds else (QUALIFICATION,))


@pytest.mark.parametrize(
    ("work_start", "as_of", "holds"),
    [
        (date(2023, 6, 1), date(2025, 6, 1), True),  # exactly two years
        (date(2023, 6, 1), date(2025, 5, 31), False),  # one day short
        (date(2023, 6, 1), date(2023, 6, 1), False),  # started on the nomination date
        (date(2020, 2, 29), date(2022, 2, 28), True),  # 29 February + 2 years = 28 February
        (date(2020, 2, 29), date(2022, 2, 27), False),
        (date(2022, 2, 28), date(2024, 2, 28), True),  # into a leap year
        (date(2022, 2, 28), date(2024, 2, 27), False),
        (date(2023, 12, 31), date(2025, 12, 31), True),
    ],
)
def test_check_eligibility_experience_boundary(work_start, as_of, holds):
    result = check(work_start=work_start, as_of=as_of)
    assert result.failures == (() if holds else (EXPERIENCE,))


def test_check_eligibility_experience_reason_gives_the_dates():
    result = check(work_start=date(2023, 6, 2), as_of=date(2025, 6, 1))
    assert "2023年6月2日" in result.reasons[EXPERIENCE]
    assert "2025年6月1日" in result.reasons[EXPERIENCE]
    assert "2025年6月2日方满2年" in result.reasons[EXPERIENCE]


@pytest.mark.parametrize("code", RULES)
def test_check_eligibility_each_rule_failing_alone(code):
    result = failing(code)
    assert result.eligible is False
    assert result.failures == (code,)
    assert set(result.reasons) == {code}
    assert result.needs_exception is False


@pytest.mark.parametrize(
    ("codes", "failures"),
    [
        ((EXPERIENCE, INSTITUTION), (INSTITUTION, EXPERIENCE)),
        ((EXPERIENCE, QUALIFICATION), (QUALIFICATION, EXPERIENCE)),
        ((QUALIFICATION, INSTITUTION), (INSTITUTION, QUALIFICATION)),
        ((EXPERIENCE, QUALIFICATION, INSTITUTION), (INSTITUTION, QUALIFICATION, EXPERIENCE)),
    ],
)
def test_check_eligibility_failures_in_rule_order(codes, failures):
    result = failing(*codes)
    assert result.failures == failures
    assert tuple(result.reasons) == failures


@pytest.mark.parametrize(
    ("codes", "core_ip", "needs_exception"),
    [
        ((), True, False),  # eligible: nothing to relax
        ((QUALIFICATION,), True, True),
        ((EXPERIENCE,), True, True),
        ((QUALIFICATION, EXPERIENCE), True, True),
        ((INSTITUTION,), True, False),  # the institution rule is never relaxed
        ((INSTITUTION, QUALIFICATION), True, False),
        ((INSTITUTION, EXPERIENCE), True, False),
        ((INSTITUTION, QUALIFICATION, EXPERIENCE), True, False),
        ((QUALIFICATION,), False, False),  # no core IP: no exception
        ((EXPERIENCE,), False, False),
        ((QUALIFICATION, EXPERIENCE), False, False),
        ((INSTITUTION,), False, False),
    ],
)
def test_check_eligibility_exception(codes, core_ip, needs_exception):
    result = failing(*codes, core_ip=core_ip)
    assert result.needs_exception is needs_exception
    assert result.eligible is (codes == ())


def test_check_eligibility_institution_never_relaxed_with_core_ip():
    result = failing(INSTITUTION, QUALIFICATION, core_ip=True)
    assert result.eligible is False
    assert result.needs_exception is False
    assert result.reasons[QUALIFICATION].endswith("推荐单位条件不符合，不能放宽。")


@pytest.mark.parametrize(
    ("core_ip", "ending"),
    [
        (True, "经区科委批准可放宽此条件。"),
        (False, "仅对拥有核心知识产权或成熟科技成果、昌平区企业急需紧缺的人才可适当放宽。"),
    ],
)
def test_check_eligibility_relaxable_reasons_say_whether_relaxation_applies(core_ip, ending):
    result = failing(QUALIFICATION, EXPERIENCE, core_ip=core_ip)
    assert result.reasons[QUALIFICATION].endswith(ending)
    assert result.reasons[EXPERIENCE].endswith(ending)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"institution_kinds": {"985", "private_college"}}, "未知的推荐单位类别：private_college"),
        ({"degree": "phd"}, "未知的学位：phd"),
        ({"title_level": "professor"}, "未知的职称级别：professor"),
        ({"work_start": date(2025, 6, 2)}, "首次参加工作日期不能晚于推荐日期"),
    ],
)
def test_check_eligibility_invalid_input(changes, message):
    with pytest.raises(PolicyError) as excinfo:
        check(**changes)
    assert str(excinfo.value) == message


def test_eligibility_is_frozen():
    result = check()
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.eligible = False
