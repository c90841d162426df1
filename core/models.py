from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StateTransition(models.Model):
    """Base of every workflow's transition record: who moved what from which state to which, when and why.

    Concrete subclasses add a foreign key named `subject` to their entity (related_name="transitions").
    """

    from_state = models.CharField(_("原状态"), max_length=30, blank=True)
    to_state = models.CharField(_("新状态"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("操作人"),
    )
    reason = models.TextField(_("理由/说明"), blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '—'} → {self.to_state}"


class AuditEvent(models.Model):
    """Append-only audit log (who did what to which record, from where)."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class Notification(models.Model):
    """An in-portal notification (the list beside every email the portal sends)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("接收人"),
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    # A reminder key makes the same reminder impossible to send twice.
    dedupe_key = models.CharField(_("去重键"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_unique_dedupe_key",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title
