"""The expert's own profile: free fields change at once, core fields become a change request that
the commission approves or rejects.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import commission_users
from core.audit import audit
from core.notifications import Msg, UserText, notification_send

from ..enums import CORE_FIELDS, FREE_FIELDS, ChangeRequestState
from ..exceptions import NominationError
from ..models import Discipline, Expert, ExpertChangeRequest, Institution
from ._common import _achievements_replace, _check_dates, _refresh_search_text


def _display(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value.pk)
    return str(value)


@transaction.atomic
def expert_profile_update(
    *, expert: Expert, by, data: dict, achievements: list[dict] | None = None
) -> ExpertChangeRequest | None:
    """The expert keeps their profile: contact data, fields and keywords change at once; changes of
    core fields (CORE_FIELDS) become a change request that staff approve. Returns that request."""
    expert = Expert.objects.select_for_update().select_related("institution", "discipline").get(pk=expert.pk)
    _check_dates(data.get("work_start"), today=timezone.localdate())
    changed_free = []
    for field in FREE_FIELDS:
        if field in data and getattr(expert, field) != data[field]:
            setattr(expert, field, data[field])
            changed_free.append(field)
    _refresh_search_text(expert)
    expert.save()
    _achievements_replace(expert, achievements)
    if changed_free or achievements is not None:
        audit(by, "expert.profile_update", expert, data={"fields": changed_free})
    changes = {}
    for field in CORE_FIELDS:
        if field not in data:
            continue
        old, new = getattr(expert, field), data[field]
        if _display(old) != _display(new):
            changes[field] = {
                "old": _display(old),
                "new": _display(new),
                "old_label": str(old if old is not None else ""),
                "new_label": str(new if new is not None else ""),
                "field_label": str(Expert._meta.get_field(field).verbose_name),
            }
    if not changes:
        return None
    request = ExpertChangeRequest.objects.filter(expert=expert, state=ChangeRequestState.PENDING).first()
    if request is None:
        request = ExpertChangeRequest.objects.create(expert=expert, changes=changes, requested_by=by)
    else:
        request.changes = {**request.changes, **changes}
        request.save(update_fields=["changes"])
    audit(by, "expert.change_request", expert, data={"fields": sorted(changes)})
    for staff in commission_users():
        notification_send(
            recipient=staff,
            title=Msg(gettext_lazy("专家信息变更待审核：%(name)s"), name=expert.name),
            link=reverse("experts:changerequest-list"),
            email=False,
            dedupe_key=f"experts.changerequest.{request.pk}",
        )
    return request


def _parse(field: str, raw: str):
    if raw == "":
        return None if field in {"work_start", "birth_date"} else ""
    if field in {"work_start", "birth_date"}:
        return date.fromisoformat(raw)
    if field == "core_ip":
        return raw == "True"
    if field == "institution":
        return Institution.objects.get(pk=int(raw))
    if field == "discipline":
        return Discipline.objects.get(pk=int(raw))
    return raw


@transaction.atomic
def change_request_decide(
    *, request: ExpertChangeRequest, by, approve: bool, note: str = ""
) -> ExpertChangeRequest:
    request = ExpertChangeRequest.objects.select_for_update().get(pk=request.pk)
    if request.state != ChangeRequestState.PENDING:
        raise NominationError(_("该变更申请已处理。"))
    if not approve and not note.strip():
        raise NominationError(_("不予通过须填写理由。"))
    expert = Expert.objects.select_for_update().get(pk=request.expert_id)
    if approve:
        for field, change in request.changes.items():
            if field in CORE_FIELDS:
                setattr(expert, field, _parse(field, change["new"]))
        expert.institution = Institution.objects.get(pk=expert.institution_id)
        expert.discipline = Discipline.objects.get(pk=expert.discipline_id)
        _refresh_search_text(expert)
        expert.save()
    request.state = ChangeRequestState.APPROVED if approve else ChangeRequestState.REJECTED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    audit(
        by,
        "expert.change_request_" + ("approve" if approve else "reject"),
        expert,
        data={"fields": sorted(request.changes), "note": note},
    )
    if expert.user_id:
        notification_send(
            recipient=expert.user,
            title=gettext_lazy("信息变更申请已通过") if approve else gettext_lazy("信息变更申请未通过"),
            body=UserText(note or ""),
            link=reverse("experts:expert-me"),
        )
    return request
