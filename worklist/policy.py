"""Processing time limits (办理时限) of the work list: how many calendar days each kind of task may take,
counted from the day it reached the person who acts. Pure rules, no ORM.

The policy text fixes no processing times; these are the district's working targets (the days a careful
office would promise an applicant) and live here, in one table, so they are changed in one place.
"""

from __future__ import annotations

from datetime import date, timedelta

from core.exceptions import PolicyError

#: kind → calendar days from the start of the task (submission, registration, due date …)
TIME_LIMIT_DAYS: dict[str, int] = {
    "nomination-decide": 15,  # 区科委审核专家推荐
    "nomination-revise": 15,  # 推荐单位修改退回的推荐
    "changerequest-decide": 10,
    "enterprise-verify": 10,
    "project-check": 10,  # 形式审查
    "project-revise": 15,  # 企业修改退回的项目
    "project-confirm": 7,  # 专家确认申报内容
    "round-decide": 10,  # 评审结束后作出立项决定
    "objection-resolve": 10,
    "project-file": 15,  # 区人才办备案
    "agreement-upload": 30,  # 备案后签订并上传合作协议
    "extension-decide": 15,
    "support-arrange": 5,
    "report-accept": 20,
    "report-confirm": 7,  # 专家确认总结报告
    "report-draft": 30,  # 服务期满后企业起草总结报告
    "evaluation-organise": 60,  # 服务期满后组织任职评价
    "batch-submit": 5,
    "batch-approve": 5,
    "batch-pay": 10,
    "payment-batch": 10,  # 到期款项编入支付批次
    "matching-confirm": 30,  # 企业确认配套生活补助（到期后一个月）
    "award-check": 10,
    "bank-account": 30,
    "credit-check": 15,  # 核实待核实的信用记录（告知主体或不予记录）
    "credit-confirm": 10,  # 异议期满后确认信用记录
    "credit-objection": 10,  # 处理主体对信用记录的异议
}


def time_limit(kind: str, start: date) -> date:
    """The last day of the processing time of a task of `kind` that started on `start` (a local date)."""
    if kind not in TIME_LIMIT_DAYS:
        raise PolicyError(f"unknown task kind: {kind}")
    return start + timedelta(days=TIME_LIMIT_DAYS[kind])


def is_overdue(deadline: date | None, today: date) -> bool:
    """A task is overdue the day after its last day."""
    return deadline is not None and deadline < today
