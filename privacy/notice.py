"""The personal-information notice shown when an expert's personal data is first entered (PIPL art. 14,
17, 29: separate consent for sensitive personal information). A change of wording is a new version;
each consent record keeps the version and the text it was given for."""

from django.utils.translation import gettext_lazy as _

NOTICE_VERSION = "2026-11-v1"

PURPOSE = _(
    "用于“科技副总”专家入库资格审核、企业对接与项目评审、聘任管理、任职证明与证书出具，以及人才生活补贴等资金的核算与拨付。"
)
COLLECTED = _(
    "姓名、性别、身份证号码（敏感个人信息，加密保存）、手机号码、电子邮箱、所在单位与院系、学历学位、职称、"
    "参加工作时间、研究方向、成果与知识产权、简历；聘任后另收集银行账户（敏感个人信息，加密保存）。"
)
RECIPIENTS = _(
    "区科委工作人员；推荐单位（仅本单位推荐的专家）；对接企业（仅与其合作的专家的公开资料）；"
    "被指派的评审专家；区财政局（仅拨付时的收款账户）。不向其他第三方提供，法律法规另有规定的除外。"
)
RETENTION = _("入库及聘任期间保存；审计记录依法保存。专家可随时在“我的个人信息”页下载本人数据。")
