from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentKind(models.TextChoices):
    NOMINATION = "nomination", _("推荐单位代为取得同意")
    EXPERT = "expert", _("专家本人确认")


class ConsentRecord(models.Model):
    """Consent to the processing of an expert's personal information (PIPL art. 14): who gave it, for
    which version of the notice (its text kept as shown), when and from where."""

    expert = models.ForeignKey(
        "experts.Expert", on_delete=models.PROTECT, related_name="consents", verbose_name=_("专家")
    )
    kind = models.CharField(_("方式"), max_length=20, choices=ConsentKind.choices)
    notice_version = models.CharField(_("告知书版本"), max_length=30)
    purpose = models.TextField(_("处理目的"))
    collected = models.TextField(_("收集的信息"))
    recipients = models.TextField(_("可查看的人员"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("同意人")
    )
    given_at = models.DateTimeField(_("时间"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("个人信息处理同意记录")
        ordering = ["given_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["nomination", "expert"]), name="consentrecord_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert_id} {self.kind} {self.notice_version}"
