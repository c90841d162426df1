from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Abstract bases for the bookkeeping fields most records carry (issue 22 item 4), with their usual names
# and labels. A model whose label differs (填报人, 登记时间 …) redeclares the field from the same factory,
# which Django allows for a field from an abstract base:
#     created_by = Authored.created_by_field(_("填报人"))
# The inherited fields keep their place at the end of every model's field list (see _listed_last), so
# nothing moves in forms, the admin or the personal-data download.

_LISTED_LAST = 1_000_000_000


def _listed_last(base: type[models.Model]) -> type[models.Model]:
    """Number the fields `base` declares after any field a model declares itself.

    Django orders a model's fields by the order their Field objects were created, and a field inherited
    from an abstract base is a copy that keeps its number: these bases' fields, created when core.models
    is imported, would otherwise come first in every model that inherits them.
    """
    for field in base._meta.local_fields:
        if field.creation_counter < _LISTED_LAST:
            field.creation_counter += _LISTED_LAST
    return base


def _created_by(verbose_name=None, **options) -> models.ForeignKey:
    options = {"null": True, "blank": True, **options}
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("创建人") if verbose_name is None else verbose_name, **options,
    )


def _created_at(verbose_name=None, **options) -> models.DateTimeField:
    return models.DateTimeField(
        _("创建时间") if verbose_name is None else verbose_name, auto_now_add=True, **options
    )


@_listed_last
class Authored(models.Model):
    """`created_by`: the signed-in user who created the record, empty for rows the system makes."""

    created_by = _created_by()
    # `created_by` under another label, with `options` (null=False …) changed.
    created_by_field = staticmethod(_created_by)

    class Meta:
        abstract = True


@_listed_last
class Created(models.Model):
    """`created_at`: when the record was created."""

    created_at = _created_at()
    # `created_at` under another label, with `options` (db_index=True …) added.
    created_at_field = staticmethod(_created_at)

    class Meta:
        abstract = True


@_listed_last
class Timestamped(Created):
    """`created_at` and `updated_at` (which `core.workflow.transition` saves with the state)."""

    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class StateTransition(models.Model):
    """Base of every workflow's transition record: who moved what from which state to which, when and why.

    Each workflow's table is made by `StateTransition.table_for(Project, _("合作项目"), _("项目流转记录"))`:
    `ProjectTransition`, with the foreign key `subject` to its entity (related_name "transitions", which
    `core.workflow.transition` writes through); one table per workflow, the same columns.
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
        from .templatetags.workflow import state_name

        return f"{state_name(self, 'from')} → {state_name(self)}"

    @staticmethod
    def subject_field(model, verbose_name) -> models.ForeignKey:
        return models.ForeignKey(
            model, on_delete=models.CASCADE, related_name="transitions", verbose_name=verbose_name
        )

    @classmethod
    def table_for(cls, model, subject_label, verbose_name) -> type["StateTransition"]:
        """The concrete transition table of `model`'s workflow: `<Model>Transition` in `model`'s module,
        with `subject` (labelled `subject_label`) and the table's `verbose_name` (also its plural), e.g.
        `ProjectTransition = StateTransition.table_for(Project, _("合作项目"), _("项目流转记录"))`."""
        name = f"{model.__name__}Transition"
        meta = type("Meta", (cls.Meta,), {"verbose_name": verbose_name, "verbose_name_plural": verbose_name})
        attrs = {"__module__": model.__module__, "__qualname__": name, "Meta": meta}
        return type(name, (cls,), {**attrs, "subject": cls.subject_field(model, subject_label)})


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
    # Hash chain (core.audit_chain): a gapless sequence number and SHA-256 over the canonical fields and
    # the previous record's hash, so a gap or an edit is detectable by `manage.py verify_audit`.
    seq = models.BigIntegerField(_("序号"), unique=True, editable=False)
    prev_hash = models.CharField(_("上一条哈希"), max_length=64, blank=True, editable=False)
    row_hash = models.CharField(_("哈希"), max_length=64, editable=False)
    # The HMAC key the row was hashed under (settings.AUDIT_HMAC_KEYS, by id; issue 18 item 4).
    key_id = models.CharField(_("密钥编号"), max_length=16, blank=True, default="", editable=False)

    class Meta:
        verbose_name = verbose_name_plural = _("审计日志")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class AuditChainHead(models.Model):
    """The one row (pk 1) holding the chain's last sequence number and hash. Locked (SELECT … FOR UPDATE)
    while a record is appended, so concurrent inserts are serialised; it also reveals a deleted tail."""

    seq = models.BigIntegerField(_("最后序号"), default=0)
    row_hash = models.CharField(_("最后哈希"), max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"{self.seq} {self.row_hash[:12]}"


class AuditAnchor(models.Model):
    """Written by `audit_purge`: the last purged record's sequence number and hash, from which the
    remaining chain is verified."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("操作人"),
    )
    purged_before = models.DateTimeField(_("清理截止时间"))
    through_seq = models.BigIntegerField(_("清理至序号"))
    through_hash = models.CharField(_("清理至哈希"), max_length=64)
    deleted = models.PositiveIntegerField(_("清理条数"))

    class Meta:
        verbose_name = verbose_name_plural = _("审计清理锚点")
        ordering = ["-through_seq"]

    def __str__(self) -> str:
        return f"≤ {self.through_seq}"


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
    # The untranslated message of title and body with their parameters (core.notifications), rendered in
    # the reader's language; empty on rows written before it was stored (they show title/body as stored).
    message = models.JSONField(_("消息"), default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], condition=~models.Q(dedupe_key=""),
                name="notification_unique_dedupe_key",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def title_display(self) -> str:
        """The title in the active language (the stored Chinese for rows without a message)."""
        from .notifications import message_render

        return message_render((self.message or {}).get("title"), self.title)

    @property
    def body_display(self) -> str:
        """The body in the active language; a user's own words (no message) as stored."""
        from .notifications import message_render

        return message_render((self.message or {}).get("body"), self.body)


class DocumentKind(models.TextChoices):
    """The official documents of SPEC §8."""

    DISTRICT_LETTER = "district_letter", _("科技副总聘书")
    ENTERPRISE_LETTER = "enterprise_letter", _("企业任职聘书")
    EVALUATION_OPINION = "evaluation_opinion", _("任职评价意见")
    SERVICE_CERTIFICATE = "service_certificate", _("任职证明")
    AWARD_CERTIFICATE = "award_certificate", _("获奖证书")
    BATCH_STATEMENT = "batch_statement", _("支付批次清单")
    ANNUAL_REPORT = "annual_report", _("年度工作报告")


# Short codes used in serial numbers: KJFZ-PS-2026-000001.
DOCUMENT_SERIAL_CODES = {
    DocumentKind.DISTRICT_LETTER: "PS",
    DocumentKind.ENTERPRISE_LETTER: "QP",
    DocumentKind.EVALUATION_OPINION: "PJ",
    DocumentKind.SERVICE_CERTIFICATE: "ZM",
    DocumentKind.AWARD_CERTIFICATE: "JZ",
    DocumentKind.BATCH_STATEMENT: "ZF",
    DocumentKind.ANNUAL_REPORT: "BG",
}


class DocumentSerialCounter(models.Model):
    """The last serial number issued per document kind and year (locked while a number is drawn)."""

    kind = models.CharField(_("文书类型"), max_length=30, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("最后编号"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = _("文书编号计数器")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="serialcounter_unique_kind_year"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.year}: {self.last}"


def _document_path(instance: "IssuedDocument", filename: str) -> str:
    return f"documents/{instance.issued_at:%Y}/{instance.serial}.pdf"


class IssuedDocument(models.Model):
    """An official PDF the portal issued: serial number, verification token, stored file and its hash."""

    kind = models.CharField(_("文书类型"), max_length=30, choices=DocumentKind.choices)
    serial = models.CharField(_("编号"), max_length=40, unique=True)
    token = models.CharField(_("核验码"), max_length=64, unique=True)
    subject_type = models.CharField(_("对象类型"), max_length=60)
    subject_id = models.CharField(_("对象编号"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    issued_at = models.DateTimeField(_("出具时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("出具人"),
    )
    issuer_name = models.CharField(_("出具单位"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("文件"), upload_to=_document_path, max_length=200)
    superseded_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("已出具文书")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_type", "subject_id"], condition=models.Q(superseded_at__isnull=True),
                name="issueddocument_one_current_per_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=DocumentKind.values), name="issueddocument_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.serial} {self.title}"

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    def open(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()
