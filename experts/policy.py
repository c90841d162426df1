"""Eligibility of a nominated expert (policy section 二; SPEC §3 and §6).

Three rules, each with a code:
- "institution": the nominating institution is in the range of policy 二(一); never relaxed.
- "qualification": a doctorate or an associate-senior title or higher (policy 二(二)1).
- "experience": at least 2 years of work, from the first employment date to the nomination date
  (policy 二(二)2).
An expert with core intellectual property or mature achievements urgently needed by Changping
enterprises may be admitted although "qualification" or "experience" fails (policy 二(二), last
paragraph: 可适当放宽工作年限、学历等条件要求) — only with staff's explicit approval.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta

from core.exceptions import PolicyError

INSTITUTION = "institution"
QUALIFICATION = "qualification"
EXPERIENCE = "experience"
#: The rules' codes, in the order failures are reported.
RULES = (INSTITUTION, QUALIFICATION, EXPERIENCE)
#: Short Chinese names of the rules, for headings beside the reasons.
RULE_LABELS = {INSTITUTION: "推荐单位", QUALIFICATION: "学位或职称", EXPERIENCE: "工作经历"}

INSTITUTION_KINDS = (
    "985",
    "211",
    "double_first_class",  # 双一流 university: qualifies only for its 双一流 disciplines
    "hospital_3a",  # 知名三甲医院
    "research_national",  # 国家级科研机构
    "research_beijing",  # 北京市级科研机构
    "new_rd",  # 新型研发机构
    "changping_local",  # 驻昌高校、科研机构、医疗卫生机构
)
#: Kinds that satisfy the institution rule whatever the expert's discipline.
QUALIFYING_KINDS = frozenset(INSTITUTION_KINDS) - {"double_first_class"}
DEGREES = ("doctorate", "master", "bachelor", "other")
TITLE_LEVELS = ("senior", "associate_senior", "intermediate", "junior", "none")
#: 副高级及以上: 副教授, 副研究员, 副主任医师, 高级工程师 and above.
QUALIFYING_TITLE_LEVELS = frozenset({"senior", "associate_senior"})
MIN_EXPERIENCE = relativedelta(years=2)


@dataclass(frozen=True)
class Eligibility:
    """The outcome of check_eligibility.

    eligible: every rule holds. failures: codes of the failed rules, in RULES order. needs_exception:
    not eligible, the institution rule holds and the expert has core IP — admissible only with staff
    approval. reasons: code → the Chinese sentence shown to the institution and staff, for every failure.
    """

    eligible: bool
    failures: tuple[str, ...]
    needs_exception: bool
    reasons: dict[str, str] = field(default_factory=dict, hash=False)


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _check_choice(value: str, choices: tuple[str, ...], label: str) -> None:
    if value not in choices:
        raise PolicyError(f"未知的{label}：{value}")


def check_eligibility(
    *,
    institution_kinds: Set[str],
    discipline: str,
    double_first_class: Set[str],
    degree: str,
    title_level: str,
    work_start: date,
    as_of: date,
    core_ip: bool,
) -> Eligibility:
    """Check a nomination against the three rules of policy 二 (see the module docstring).

    institution_kinds: the kinds of the nominating institution (a subset of INSTITUTION_KINDS).
    discipline: the expert's discipline; double_first_class: the institution's 双一流 disciplines,
    compared with `discipline` exactly. Institution rule: any kind in QUALIFYING_KINDS, or
    "double_first_class" with `discipline` among the institution's 双一流 disciplines.
    Qualification: degree "doctorate" or title_level in QUALIFYING_TITLE_LEVELS.
    Experience: as_of >= work_start + 2 years (relativedelta: a start on 29 February reaches two years
    on 28 February). Unknown kinds, degrees or title levels and a work start after as_of raise
    PolicyError.
    """
    kinds = set(institution_kinds)
    unknown = sorted(kinds - set(INSTITUTION_KINDS))
    if unknown:
        raise PolicyError(f"未知的推荐单位类别：{'、'.join(unknown)}")
    _check_choice(degree, DEGREES, "学位")
    _check_choice(title_level, TITLE_LEVELS, "职称级别")
    if work_start > as_of:
        raise PolicyError("首次参加工作日期不能晚于推荐日期")

    reasons: dict[str, str] = {}
    dfc_discipline = bool(discipline) and discipline in double_first_class
    if not (kinds & QUALIFYING_KINDS or ("double_first_class" in kinds and dfc_discipline)):
        if "double_first_class" in kinds and discipline:
            reasons[INSTITUTION] = (
                f"推荐单位仅为“双一流”建设高校，但专家所在学科“{discipline}”不是该校的“双一流”建设学科；"
                "此条件不可放宽。"
            )
        elif "double_first_class" in kinds:
            reasons[INSTITUTION] = (
                "推荐单位仅为“双一流”建设高校，但未填写专家所在学科，无法认定属于该校“双一流”建设学科；"
                "此条件不可放宽。"
            )
        else:
            reasons[INSTITUTION] = (
                "推荐单位不属于985、211高校、“双一流”学科所在高校、知名三甲医院、国家级或北京市级科研机构、"
                "新型研发机构或驻昌单位；此条件不可放宽。"
            )
    if not (degree == "doctorate" or title_level in QUALIFYING_TITLE_LEVELS):
        reasons[QUALIFICATION] = (
            "专家既无博士学位，也无副高级及以上职称（副教授、副研究员、副主任医师、高级工程师及以上）"
        )
    two_years_on = work_start + MIN_EXPERIENCE
    if as_of < two_years_on:
        reasons[EXPERIENCE] = (
            f"工作经历不足2年：自首次参加工作（{_cn_date(work_start)}）至推荐日期（{_cn_date(as_of)}）"
            f"不满2年，{_cn_date(two_years_on)}方满2年"
        )

    failures = tuple(code for code in RULES if code in reasons)
    needs_exception = bool(failures) and INSTITUTION not in reasons and bool(core_ip)
    if needs_exception:
        note = "；专家拥有核心知识产权或成熟科技成果，经区科委批准可放宽此条件。"
    elif core_ip:
        note = "；推荐单位条件不符合，不能放宽。"
    else:
        note = "；仅对拥有核心知识产权或成熟科技成果、昌平区企业急需紧缺的人才可适当放宽。"
    for code in (QUALIFICATION, EXPERIENCE):
        if code in reasons:
            reasons[code] += note
    return Eligibility(
        eligible=not failures,
        failures=failures,
        needs_exception=needs_exception,
        reasons=reasons,  # filled in RULES order
    )
