"""The pure rules of the service term: reminder schedule, extension, termination, grades, timeline."""

from datetime import date, timedelta

import pytest

from core.exceptions import PolicyError
from terms.enums import Beneficiary, Grade, MedicalService, ReminderKind
from terms.policy import (
    DueReminder,
    TermFacts,
    check_extension,
    check_grade,
    check_housing_request,
    check_medical_request,
    check_report_open,
    check_termination,
    ending_window,
    extended_end,
    is_term_over,
    panel_grade,
    reminders_due,
    term_timeline,
)

END = date(2027, 2, 28)  # the last day of a term that started on 2025-03-01


def _kinds(facts, as_of):
    return [r.kind for r in reminders_due(facts, as_of)]


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 11, 29), []),  # 91 days before the end
        (date(2026, 11, 30), [ReminderKind.TERM_ENDING_90]),  # end − 90
        (date(2027, 1, 28), [ReminderKind.TERM_ENDING_90]),  # end − 31: still the 90-day window
        (date(2027, 1, 29), [ReminderKind.TERM_ENDING_30]),  # end − 30
        (date(2027, 2, 20), [ReminderKind.TERM_ENDING_30]),  # end − 8
        (date(2027, 2, 21), [ReminderKind.TERM_ENDING_7]),  # end − 7
        (date(2027, 2, 28), [ReminderKind.TERM_ENDING_7]),  # last day of the term
        (date(2027, 3, 1), [ReminderKind.REPORT_DUE]),  # the day after the end
        (date(2027, 3, 30), [ReminderKind.REPORT_DUE]),  # end + 30
        (date(2027, 3, 31), [ReminderKind.REPORT_DUE, ReminderKind.EVALUATION_DUE]),  # end + 31
        (date(2025, 3, 1), []),  # first day of the term
    ],
)
def test_reminders_due_schedule(as_of, expected):
    assert _kinds(TermFacts(end_date=END), as_of) == expected


def test_evaluation_due_starts_31_days_after_end():
    assert _kinds(TermFacts(end_date=END, report_submitted=True), END + timedelta(days=30)) == []
    assert _kinds(TermFacts(end_date=END, report_submitted=True), END + timedelta(days=31)) == [
        ReminderKind.EVALUATION_DUE
    ]


@pytest.mark.parametrize(
    ("facts", "as_of", "expected"),
    [
        (TermFacts(end_date=END, terminated=True), date(2027, 2, 21), []),
        (TermFacts(end_date=END, terminated=True), date(2027, 5, 1), []),
        (TermFacts(end_date=END, report_submitted=True), date(2027, 3, 1), []),
        (TermFacts(end_date=END, report_submitted=True, evaluation_finalised=True), date(2027, 6, 1), []),
        (TermFacts(end_date=END, evaluation_finalised=True), date(2027, 6, 1), [ReminderKind.REPORT_DUE]),
    ],
)
def test_reminders_due_stop_when_done_or_terminated(facts, as_of, expected):
    assert _kinds(facts, as_of) == expected


def test_reminders_follow_moved_end_date():
    extended = date(2027, 8, 31)  # six months later
    assert _kinds(TermFacts(end_date=extended), date(2027, 2, 21)) == []
    due = reminders_due(TermFacts(end_date=extended), extended - timedelta(days=90))
    assert due == [DueReminder(ReminderKind.TERM_ENDING_90, extended)]
    assert due[0].dedupe_key(7) == "terms:ending90:7:2027-08-31"


@pytest.mark.parametrize(
    ("days", "window"),
    [
        (90, (date(2026, 11, 30), date(2027, 1, 28))),
        (30, (date(2027, 1, 29), date(2027, 2, 20))),
        (7, (date(2027, 2, 21), date(2027, 2, 28))),
    ],
)
def test_ending_window(days, window):
    assert ending_window(END, days) == window


def test_ending_window_rejects_other_days():
    with pytest.raises(PolicyError, match="90、30或7"):
        ending_window(END, 60)


def test_each_ending_reminder_due_on_exactly_its_window_across_a_term():
    start = date(2025, 3, 1)
    seen: dict[str, list[date]] = {}
    day = start
    while day <= END + timedelta(days=60):
        for reminder in reminders_due(TermFacts(end_date=END), day):
            seen.setdefault(reminder.kind, []).append(day)
        day += timedelta(days=1)
    assert seen[ReminderKind.TERM_ENDING_90][0] == date(2026, 11, 30)
    assert len(seen[ReminderKind.TERM_ENDING_90]) == 60
    assert len(seen[ReminderKind.TERM_ENDING_30]) == 23
    assert len(seen[ReminderKind.TERM_ENDING_7]) == 8
    assert seen[ReminderKind.REPORT_DUE][0] == date(2027, 3, 1)
    assert seen[ReminderKind.EVALUATION_DUE][0] == date(2027, 3, 31)


@pytest.mark.parametrize(
    ("as_of", "over"), [(date(2027, 2, 27), False), (date(2027, 2, 28), False), (date(2027, 3, 1), True)]
)
def test_is_term_over(as_of, over):
    assert is_term_over(END, as_of) is over


EXT = {"active": True, "end_date": END, "current_months": 24, "months": 6, "requested_on": date(2027, 1, 10)}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"active": False}, "已结束或已终止"),
        ({"requested_on": date(2027, 3, 1)}, "2027年02月28日届满"),
        ({"months": 0}, "1至12之间的整月数"),
        ({"months": 13}, "1至12之间的整月数"),
        ({"months": -2}, "1至12之间的整月数"),
        ({"months": 2.5}, "1至12之间的整月数"),
        ({"months": True}, "1至12之间的整月数"),
        ({"current_months": 30, "months": 7}, "延期后服务期为37个月，超过上限36个月（目前为30个月）"),
    ],
)
def test_check_extension_rejects(changes, message):
    with pytest.raises(PolicyError, match=message.replace("（", r"\（").replace("）", r"\）")):
        check_extension(**{**EXT, **changes})


@pytest.mark.parametrize(
    "changes", [{}, {"months": 1}, {"months": 12}, {"requested_on": END}, {"current_months": 30, "months": 6}]
)
def test_check_extension_accepts(changes):
    assert check_extension(**{**EXT, **changes}) is None


@pytest.mark.parametrize(
    ("start", "current", "months", "expected"),
    [
        (date(2025, 3, 1), 24, 6, (30, date(2027, 8, 31))),
        (date(2025, 1, 31), 24, 1, (25, date(2027, 2, 27))),  # computed from the start, clamped
        (date(2025, 1, 31), 25, 1, (26, date(2027, 3, 30))),
    ],
)
def test_extended_end(start, current, months, expected):
    assert extended_end(start, current, months) == expected


TERM = {
    "active": True,
    "start_date": date(2025, 3, 1),
    "end_date": END,
    "terminated_on": date(2026, 5, 10),
    "reason": "企业经营调整，双方协商一致",
    "today": date(2026, 5, 12),
}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"active": False}, "只能终止在聘的服务期"),
        ({"terminated_on": date(2025, 2, 28)}, "不能早于服务期开始日期"),
        ({"terminated_on": date(2027, 3, 1), "today": date(2027, 3, 5)}, "不能晚于服务期届满日期"),
        ({"terminated_on": date(2026, 5, 13)}, "不能晚于今天"),
        ({"reason": "  "}, "请填写提前终止的原因"),
    ],
)
def test_check_termination_rejects(changes, message):
    with pytest.raises(PolicyError, match=message):
        check_termination(**{**TERM, **changes})


@pytest.mark.parametrize(
    "changes", [{}, {"terminated_on": date(2025, 3, 1)}, {"terminated_on": END, "today": END}]
)
def test_check_termination_accepts(changes):
    assert check_termination(**{**TERM, **changes}) is None


@pytest.mark.parametrize(
    ("grades", "expected"),
    [
        (["excellent"], Grade.EXCELLENT),
        (["excellent", "good", "good"], Grade.GOOD),
        (["excellent", "excellent", "pass"], Grade.EXCELLENT),
        (["excellent", "good"], Grade.GOOD),  # even: the lower of the middle two
        (["good", "pass", "pass", "fail"], Grade.PASS),
        (["fail", "excellent", "pass"], Grade.PASS),
        (["pass", "fail"], Grade.FAIL),
    ],
)
def test_panel_grade(grades, expected):
    assert panel_grade(grades) == expected


@pytest.mark.parametrize("grades", [[], ["good", "great"], ["A"]])
def test_panel_grade_rejects(grades):
    with pytest.raises(PolicyError):
        panel_grade(grades)


def test_check_grade():
    assert check_grade("pass") is Grade.PASS
    with pytest.raises(PolicyError, match="优秀、良好、合格或不合格"):
        check_grade("very good")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"service": "massage", "beneficiary": "self", "beneficiary_name": ""}, "请选择医疗保障服务项目"),
        ({"service": "referral", "beneficiary": "parent", "beneficiary_name": "张父"}, "配偶、子女"),
        ({"service": "referral", "beneficiary": "child", "beneficiary_name": " "}, "就医人"),
    ],
)
def test_check_medical_request_rejects(kwargs, message):
    with pytest.raises(PolicyError, match=message):
        check_medical_request(**kwargs)


def test_check_medical_request_accepts():
    assert (
        check_medical_request(
            service=MedicalService.CONSULTATION, beneficiary=Beneficiary.SELF, beneficiary_name=""
        )
        is None
    )
    assert (
        check_medical_request(
            service=MedicalService.REFERRAL, beneficiary=Beneficiary.SPOUSE, beneficiary_name="李华"
        )
        is None
    )


@pytest.mark.parametrize(
    ("owns", "declared", "message"),
    [(True, True, "无自有住房的科技副总"), (False, False, "请勾选并确认")],
)
def test_check_housing_request_rejects(owns, declared, message):
    with pytest.raises(PolicyError, match=message):
        check_housing_request(owns_housing_in_changping=owns, declared=declared)


def test_check_housing_request_accepts():
    assert check_housing_request(owns_housing_in_changping=False, declared=True) is None


@pytest.mark.parametrize(
    ("terminated", "as_of", "message"),
    [(True, date(2027, 1, 1), "提前终止"), (False, date(2026, 11, 29), "2026年11月30日起")],
)
def test_check_report_open_rejects(terminated, as_of, message):
    with pytest.raises(PolicyError, match=message):
        check_report_open(terminated=terminated, end_date=END, as_of=as_of)


def test_check_report_open_from_90_days_before_end():
    assert check_report_open(terminated=False, end_date=END, as_of=date(2026, 11, 30)) is None


@pytest.mark.parametrize(
    ("as_of", "terminated_on", "months", "end", "served", "ext", "days_left", "ended_on"),
    [
        (date(2025, 3, 1), None, 24, END, 0, 0, 730, None),
        (date(2025, 4, 1), None, 24, END, 1, 0, 699, None),
        (date(2027, 2, 28), None, 24, END, 23, 0, 1, None),
        (date(2027, 3, 1), None, 24, END, 24, 0, 0, END),
        (date(2027, 3, 1), None, 30, date(2027, 8, 31), 24, 6, 184, None),
        (date(2026, 6, 1), date(2026, 5, 10), 24, END, 14, 0, 0, date(2026, 5, 10)),
    ],
)
def test_term_timeline(as_of, terminated_on, months, end, served, ext, days_left, ended_on):
    t = term_timeline(
        start_date=date(2025, 3, 1), months=months, end_date=end, as_of=as_of, terminated_on=terminated_on
    )
    assert (t.months_served, t.extension_months, t.days_left, t.ended_on) == (
        served,
        ext,
        days_left,
        ended_on,
    )
