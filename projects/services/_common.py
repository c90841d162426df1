"""The private helpers the project services share: the rule check that raises ProjectError, enterprise
membership, the project transition through core.workflow, and the notifications to the enterprise, the expert,
the reviewers of a round (reviewers_notify, also for the award cycles) and the commission staff.
"""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.enums import Role
from core.notifications import Msg, UserText, notification_send
from core.workflow import transition

from ..enums import PROJECT_TRANSITIONS
from ..exceptions import ProjectError
from ..models import Project, Reviewer, ReviewRound


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ProjectError(message)


def _is_enterprise_member(user, enterprise_id) -> bool:
    membership = getattr(user, "enterprise_membership", None) if user.has_role(Role.ENTERPRISE) else None
    return membership is not None and membership.enterprise_id == enterprise_id


def _project_transition(project: Project, *, to: str, by, reason: str = "", changes=None) -> Project:
    return transition(project, to=to, by=by, allowed=PROJECT_TRANSITIONS, reason=reason, changes=changes)


def _notify_enterprise(project: Project, *, title: Msg, body: Msg | UserText = "") -> None:
    link = reverse("projects:project-detail", args=[project.pk])
    for member in project.enterprise.members.select_related("user"):
        notification_send(recipient=member.user, title=title, body=body, link=link)


def _notify_expert(project: Project, *, title: Msg, body: Msg | UserText = "") -> None:
    user = project.expert.user
    if user is not None:
        notification_send(
            recipient=user, title=title, body=body, link=reverse("projects:project-detail", args=[project.pk])
        )


def reviewers_notify(reviewer_ids: set[int], *, sheets, title: Msg, deadline, link: str, dedupe: str) -> None:
    """Tell each of the reviewers that score sheets await them before `deadline` (a review round's or an
    award cycle's). `sheets` are the round's or cycle's sheets: a reviewer's count of them ends the
    dedupe key (`dedupe`-reviewer-<id>-<count>, counted for all of them in one query), so that new sheets
    are told again."""
    counts = dict(
        sheets.filter(reviewer_id__in=reviewer_ids).values("reviewer_id").annotate(n=Count("pk"))
        .values_list("reviewer_id", "n")
    )
    for reviewer in Reviewer.objects.filter(pk__in=reviewer_ids).select_related("user"):
        count = counts.get(reviewer.pk, 0)
        notification_send(
            recipient=reviewer.user,
            title=title,
            body=Msg(
                gettext_lazy("请在 %(deadline)s 前完成评分。"),
                deadline=timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
            ),
            link=link,
            dedupe_key=f"{dedupe}-reviewer-{reviewer.pk}-{count}",
        )


def _notify_reviewers(round: ReviewRound, reviewer_ids: set[int]) -> None:
    reviewers_notify(
        reviewer_ids,
        sheets=round.assignments.all(),
        title=Msg(gettext_lazy("评审批次“%(name)s”有待评审的项目"), name=round.name),
        deadline=round.deadline,
        link=reverse("projects:review-list"),
        dedupe=f"round-{round.pk}",
    )
