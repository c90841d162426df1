"""The service term (聘任) of the expert in the enterprise, from an approved, filed project."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import Authored, StateTransition, Timestamped
from enterprises.enums import Position

from ..enums import AppointmentState
from .project import Project


class Appointment(Authored, Timestamped):
    """The service term (聘任) of the expert in the enterprise (contract in /work/contracts.md)."""

    project = models.OneToOneField(
        Project, on_delete=models.PROTECT, related_name="appointment", verbose_name=_("合作项目")
    )
    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.PROTECT, related_name="appointments", verbose_name=_("专家")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="appointments",
        verbose_name=_("企业"),
    )
    position = models.CharField(_("聘任岗位"), max_length=20, choices=Position.choices, default=Position.VP)
    state = models.CharField(
        _("状态"), max_length=20, choices=AppointmentState.choices, default=AppointmentState.ACTIVE,
        db_index=True,
    )
    start_date = models.DateField(_("聘期开始日期"))
    months = models.PositiveSmallIntegerField(_("服务期（月）"), default=24)
    end_date = models.DateField(_("聘期结束日期"))
    terminated_on = models.DateField(_("终止日期"), null=True, blank=True)
    created_by = Authored.created_by_field(_("聘任操作人"))

    class Meta:
        verbose_name = verbose_name_plural = _("聘任")
        ordering = ["-start_date", "-id"]
        # the appointment list (terms.selectors.appointment_list) pages down this order (issue 11)
        indexes = [models.Index(fields=["start_date", "id"], name="appointment_start_id_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=AppointmentState.values), name="appointment_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="appointment_end_after_start"
            ),
            models.CheckConstraint(condition=Q(months__gte=1), name="appointment_months_positive"),
            models.UniqueConstraint(
                fields=["expert"], condition=Q(state=AppointmentState.ACTIVE),
                name="appointment_one_active_per_expert",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.enterprise}（{self.start_date} 至 {self.end_date}）"


AppointmentTransition = StateTransition.table_for(Appointment, _("聘任"), _("聘任流转记录"))
