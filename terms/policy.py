"""Pure rules of the service term (policy 三(二), 四(四), 五(一); SPEC §4, §9). No ORM.

Dates are counted from the appointment's `end_date`, which already includes approved extensions, so a
moved end date moves every reminder with it (the reminders' dedupe keys carry the end date).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from core.exceptions import PolicyError
from projects.policy import TERM_MONTHS, term_end
from subsidies.policy import payable_months

from .enums import Beneficiary, Grade, MedicalService, Party, ReminderKind

#: An extension request asks for whole months, 1..max_request_months; a term, extensions included,
#: never exceeds max_term_months service months. Both are PolicyVersion parameters (SPEC §4:
#: extension_request_max_months, term_max_months); these are policy 2.0's values, the defaults.
MAX_EXTENSION_MONTHS = 12
MAX_TERM_MONTHS = 36
#: Days before the end of the term when the "term ending" reminders go out, farthest first.
ENDING_REMINDER_DAYS = (90, 30, 7)
#: The term-end summary report may be drafted from this many days before the end of the term …
REPORT_OPENS_DAYS = 90
#: … and is due this many days after it.
REPORT_DUE_DAYS = 30
#: Staff are reminded to organise the evaluation when it is not finalised this many days after the end.
EVALUATION_DUE_DAYS = 31

#: The grade scale, best first.
GRADE_ORDER: tuple[Grade, ...] = (Grade.EXCELLENT, Grade.GOOD, Grade.PASS, Grade.FAIL)

_ENDING_KINDS = {
    90: ReminderKind.TERM_ENDING_90,
    30: ReminderKind.TERM_ENDING_30,
    7: ReminderKind.TERM_ENDING_7,
}

#: Who receives each reminder.
REMINDER_AUDIENCE: dict[str, frozenset[str]] = {
    ReminderKind.TERM_ENDING_90: frozenset({Party.STAFF, Party.ENTERPRISE, Party.EXPERT}),
    ReminderKind.TERM_ENDING_30: frozenset({Party.STAFF, Party.ENTERPRISE, Party.EXPERT}),
    ReminderKind.TERM_ENDING_7: frozenset({Party.STAFF, Party.ENTERPRISE, Party.EXPERT}),
    ReminderKind.REPORT_DUE: frozenset({Party.ENTERPRISE, Party.EXPERT}),
    ReminderKind.EVALUATION_DUE: frozenset({Party.STAFF}),
    ReminderKind.MATCHING_UNCONFIRMED: frozenset({Party.ENTERPRISE, Party.STAFF}),
}


@dataclass(frozen=True)
class TermFacts:
    """What the reminder schedule needs to know about one appointment."""

    end_date: date
    terminated: bool = False
    report_submitted: bool = False
    evaluation_finalised: bool = False


@dataclass(frozen=True)
class DueReminder:
    kind: ReminderKind
    #: the date the reminder is about (the end of the term it refers to, or a payment's due date)
    anchor: date

    def dedupe_key(self, subject_id: int | str, party: str = "") -> str:
        """The notification dedupe key: one reminder per appointment, kind and anchor date."""
        return f"terms:{self.kind}:{subject_id}:{self.anchor.isoformat()}"


def ending_window(end_date: date, days: int) -> tuple[date, date]:
    """(first, last) day on which the `days`-before-the-end reminder may go out.

    From end − days until the day before the next (nearer) reminder's window opens; the 7-day reminder's
    window closes on the last day of the term. A job that missed days still sends the reminder late within
    its window, but never a stale one once a nearer reminder is due.
    """
    if days not in _ENDING_KINDS:
        raise PolicyError("提醒天数须为90、30或7天")
    nearer = [d for d in ENDING_REMINDER_DAYS if d < days]
    last = end_date - timedelta(days=max(nearer)) - timedelta(days=1) if nearer else end_date
    return end_date - timedelta(days=days), last


def reminders_due(term: TermFacts, as_of: date) -> list[DueReminder]:
    """The reminders an appointment calls for on `as_of` (SPEC §9), in schedule order.

    - term ending in 90 / 30 / 7 days: inside `ending_window` of the current end date;
    - term-end report due: from the day after the end until the report is jointly submitted;
    - evaluation due: from EVALUATION_DUE_DAYS after the end until the evaluation is finalised.
    A terminated appointment calls for none of these. Sending each at most once is the caller's job
    (`DueReminder.dedupe_key`).
    """
    if term.terminated:
        return []
    due: list[DueReminder] = []
    for days in ENDING_REMINDER_DAYS:
        first, last = ending_window(term.end_date, days)
        if first <= as_of <= last:
            due.append(DueReminder(_ENDING_KINDS[days], term.end_date))
    if as_of > term.end_date and not term.report_submitted:
        due.append(DueReminder(ReminderKind.REPORT_DUE, term.end_date))
    if as_of >= term.end_date + timedelta(days=EVALUATION_DUE_DAYS) and not term.evaluation_finalised:
        due.append(DueReminder(ReminderKind.EVALUATION_DUE, term.end_date))
    return due


def report_due_date(end_date: date) -> date:
    return end_date + timedelta(days=REPORT_DUE_DAYS)


def is_term_over(end_date: date, as_of: date) -> bool:
    """The term is over on the day after its last day."""
    return as_of > end_date


def check_extension(
    *,
    active: bool,
    end_date: date,
    current_months: int,
    months: int,
    requested_on: date,
    max_request_months: int = MAX_EXTENSION_MONTHS,
    max_term_months: int = MAX_TERM_MONTHS,
) -> None:
    """An extension of `months` whole months may be requested (and approved) for this term, or PolicyError.
    The limits are the appointment's policy version's (extension_request_max_months, term_max_months)."""
    if not active:
        raise PolicyError("该服务期已结束或已终止，不能申请延期")
    if requested_on > end_date:
        raise PolicyError(f"服务期已于{end_date:%Y年%m月%d日}届满，不能再申请延期")
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= max_request_months:
        raise PolicyError(f"延期月数须为1至{max_request_months}之间的整月数")
    if current_months + months > max_term_months:
        raise PolicyError(
            f"延期后服务期为{current_months + months}个月，超过上限{max_term_months}个月"
            f"（目前为{current_months}个月）"
        )


def extended_end(start_date: date, current_months: int, months: int) -> tuple[int, date]:
    """(new number of months, new end date) after an approved extension, computed from the start date."""
    total = current_months + months
    return total, term_end(start_date, total)


def check_termination(
    *, active: bool, start_date: date, end_date: date, terminated_on: date, reason: str, today: date
) -> None:
    """Early termination (date and reason, entered by staff) is allowed, or PolicyError."""
    if not active:
        raise PolicyError("只能终止在聘的服务期")
    if terminated_on < start_date:
        raise PolicyError(f"终止日期不能早于服务期开始日期（{start_date:%Y年%m月%d日}）")
    if terminated_on > end_date:
        raise PolicyError(f"终止日期不能晚于服务期届满日期（{end_date:%Y年%m月%d日}），期满将自动结束")
    if terminated_on > today:
        raise PolicyError("终止日期不能晚于今天")
    if not (reason or "").strip():
        raise PolicyError("请填写提前终止的原因")


@dataclass(frozen=True)
class MonthSpan:
    """Service months first..last (numbers) running from `start` to `end`."""

    first: int
    last: int
    start: date
    end: date

    @property
    def count(self) -> int:
        return self.last - self.first + 1


@dataclass(frozen=True)
class TerminationMonths:
    """What a termination on `terminated_on` pays (SPEC §5: the termination date is the last day served;
    a month whose last day is on or before it is paid): the paid months, the month cut short (if any)
    and the months after it, which are not paid."""

    terminated_on: date
    paid: MonthSpan | None
    cut_short: MonthSpan | None
    after: MonthSpan | None

    @property
    def paid_count(self) -> int:
        return self.paid.count if self.paid else 0

    @property
    def unpaid_count(self) -> int:
        return (self.cut_short.count if self.cut_short else 0) + (self.after.count if self.after else 0)


def termination_months(*, start_date: date, months: int, terminated_on: date) -> TerminationMonths:
    """The months a termination on `terminated_on` pays and does not pay (shown before staff confirm)."""
    from subsidies.policy import service_month

    k = len(payable_months(start_date, months, terminated_on + timedelta(days=1), terminated_on))

    def span(first: int, last: int) -> MonthSpan | None:
        if first > last:
            return None
        return MonthSpan(first, last, service_month(start_date, first)[0], service_month(start_date, last)[1])

    cut = k + 1 if k < months and service_month(start_date, k + 1)[0] <= terminated_on else None
    return TerminationMonths(
        terminated_on=terminated_on,
        paid=span(1, k),
        cut_short=span(cut, cut) if cut else None,
        after=span((cut or k) + 1, months),
    )


def check_report_open(*, terminated: bool, end_date: date, as_of: date) -> None:
    """The term-end summary report may be drafted now, or PolicyError."""
    if terminated:
        raise PolicyError("服务期已提前终止，无需提交期满总结报告")
    opens = end_date - timedelta(days=REPORT_OPENS_DAYS)
    if as_of < opens:
        raise PolicyError(f"期满总结报告自{opens:%Y年%m月%d日}起方可填写")


def check_completion(*, ended: bool, end_date: date, accepted_on: date, today: date) -> None:
    """Staff may accept the term-end report (结题) on `accepted_on`, or PolicyError.

    The report is the term-end report (policy 四(四): 两年服务期满后), so completion follows the end of the
    term: the appointment has ended normally (not still serving, so a pending extension is decided first;
    a terminated term has no report), and the completion date lies after its last day, not in the future.
    """
    if not ended:
        raise PolicyError(f"服务期届满（{end_date:%Y年%m月%d日}）后方可验收结题")
    if accepted_on <= end_date:
        raise PolicyError(f"结题日期须晚于服务期届满日期（{end_date:%Y年%m月%d日}）")
    if accepted_on > today:
        raise PolicyError("结题日期不能晚于今天")


def check_evaluation_open(*, ended: bool, terminated: bool = False) -> None:
    """A term-end evaluation may be formed, or PolicyError. Policy 四(四): the evaluation is organised
    after the two-year term has been served (两年服务期满后); a terminated term did not reach it, so it gets
    no evaluation (the expert can still have the service certificate, 任职证明)."""
    if terminated:
        raise PolicyError(
            "服务期已提前终止：按实施意见，任职评价在服务期满后组织，提前终止的服务期不组织任职评价，"
            "可为专家开具任职证明"
        )
    if not ended:
        raise PolicyError("服务期届满后方可组织任职评价")


def check_medical_request(*, service: str, beneficiary: str, beneficiary_name: str) -> None:
    if service not in MedicalService.values:
        raise PolicyError("请选择医疗保障服务项目（就医绿色通道、专家会诊、三甲医院协调或转诊）")
    if beneficiary not in Beneficiary.values:
        raise PolicyError("医疗保障仅面向科技副总本人及其配偶、子女")
    if beneficiary != Beneficiary.SELF and not (beneficiary_name or "").strip():
        raise PolicyError("请填写就医人（配偶或子女）的姓名")


def check_housing_request(*, owns_housing_in_changping: bool, declared: bool) -> None:
    """Talent public rental housing is for a VP without own housing in Changping (policy 五(一)1(2))."""
    if owns_housing_in_changping:
        raise PolicyError("人才公租房仅面向在昌平区无自有住房的科技副总")
    if not declared:
        raise PolicyError("请勾选并确认“本人在昌平区无自有住房”的声明")


def check_grade(value: str) -> Grade:
    if value not in Grade.values:
        raise PolicyError("评价等级须为优秀、良好、合格或不合格")
    return Grade(value)


def panel_grade(grades: Iterable[str]) -> Grade:
    """The panel's grade: the median of the members' grades; with an even number of grades the lower
    (worse) of the two middle ones, so a split panel never rounds up. No grade raises PolicyError."""
    ranks = sorted(GRADE_ORDER.index(check_grade(g)) for g in grades)
    if not ranks:
        raise PolicyError("评价组尚无成员提交评价等级")
    return GRADE_ORDER[ranks[len(ranks) // 2]]


@dataclass(frozen=True)
class Timeline:
    start_date: date
    end_date: date
    months: int
    base_months: int
    extension_months: int
    months_served: int
    days_left: int
    ended_on: date | None

    @property
    def progress_percent(self) -> int:
        return min(100, round(100 * self.months_served / self.months)) if self.months else 0


def term_timeline(
    *,
    start_date: date,
    months: int,
    end_date: date,
    as_of: date,
    terminated_on: date | None = None,
    base_months: int = TERM_MONTHS,
) -> Timeline:
    """Start, months served (completed service months), end, extension and days left on `as_of`."""
    served = len(payable_months(start_date, months, as_of, terminated_on))
    last = terminated_on or end_date
    return Timeline(
        start_date=start_date,
        end_date=end_date,
        months=months,
        base_months=base_months,
        extension_months=max(0, months - base_months),
        months_served=served,
        days_left=max(0, (last - as_of).days + 1) if as_of <= last else 0,
        ended_on=terminated_on or (end_date if as_of > end_date else None),
    )
