"""States and kinds of the annual awards (年度评选, SPEC §4–5, policy 五(二)3)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CycleState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("award cycle state", "筹备中")
    OPEN = "open", pgettext_lazy("award cycle state", "申报中")
    REVIEW = "review", pgettext_lazy("award cycle state", "评审中")
    CLOSED = "closed", pgettext_lazy("award cycle state", "评审结束")
    DECIDED = "decided", pgettext_lazy("award cycle state", "结果已审定")
    PUBLISHED = "published", pgettext_lazy("award cycle state", "结果已公布")


CYCLE_TRANSITIONS = {
    CycleState.DRAFT: {CycleState.OPEN},
    CycleState.OPEN: {CycleState.REVIEW},
    CycleState.REVIEW: {CycleState.CLOSED},
    CycleState.CLOSED: {CycleState.DECIDED},
    CycleState.DECIDED: {CycleState.PUBLISHED},
    CycleState.PUBLISHED: set(),
}


class ApplicationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("award application state", "草稿")
    SUBMITTED = "submitted", pgettext_lazy("award application state", "已提交")
    RETURNED = "returned", pgettext_lazy("award application state", "退回修改")
    UNDER_REVIEW = "under_review", pgettext_lazy("award application state", "评审中")
    AWARDED = "awarded", pgettext_lazy("award application state", "获奖")
    NOT_AWARDED = "not_awarded", pgettext_lazy("award application state", "未获奖")


A = ApplicationState
APPLICATION_TRANSITIONS = {
    A.DRAFT: {A.SUBMITTED},
    A.RETURNED: {A.SUBMITTED},
    A.SUBMITTED: {A.RETURNED, A.UNDER_REVIEW},
    A.UNDER_REVIEW: {A.AWARDED, A.NOT_AWARDED},
    A.AWARDED: set(),
    A.NOT_AWARDED: set(),
}
#: The enterprise (with the expert) may change the application only in these states.
EDITABLE_STATES = frozenset({A.DRAFT, A.RETURNED})
del A


class ApplicationSource(models.TextChoices):
    JOINT = "joint", pgettext_lazy("award application source", "企业与专家联合申报")
    NOMINATED = "nominated", pgettext_lazy("award application source", "区科委提名")


class PrizeLevel(models.IntegerChoices):
    FIRST = 1, pgettext_lazy("prize", "一等奖")
    SECOND = 2, pgettext_lazy("prize", "二等奖")
    THIRD = 3, pgettext_lazy("prize", "三等奖")


class SheetState(models.TextChoices):
    ASSIGNED = "assigned", pgettext_lazy("award sheet state", "待评分")
    SUBMITTED = "submitted", pgettext_lazy("award sheet state", "已提交")
    CONFLICT = "conflict", pgettext_lazy("award sheet state", "已声明回避")


#: Sheets that count towards an application's N reviewers and a reviewer's load.
ACTIVE_SHEET_STATES = frozenset({SheetState.ASSIGNED, SheetState.SUBMITTED})

#: Default rubric of an award cycle: criterion, maximum points (total 100).
DEFAULT_RUBRIC = (
    (_("成果创新性与技术水平"), Decimal("30")),
    (_("经济效益"), Decimal("25")),
    (_("知识产权与标准"), Decimal("20")),
    (_("社会效益与示范带动"), Decimal("15")),
    (_("校企合作成效"), Decimal("10")),
)
