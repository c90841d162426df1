"""The audit log in words (issue 16 item 4): an audit event's action code (`paymentbatch.approved`), its
target (`subsidies.paymentbatch`, `5`) and its summary (`submitted → approved`) as a Chinese sentence —
who did what to which record. Presentation only: the stored event (and its hash chain) is unchanged.

- A state change written by `core.workflow.transition` has the action `<model_name>.<state>`: it reads
  “将<对象>改为“<状态>””, the state's label taken from the model's own choices.
- Every other action has its phrase in ACTIONS; an unknown one reads “进行了操作” (never the code).
- Codes inside a summary (states, kinds, roles, categories) are replaced by their labels.
"""

from __future__ import annotations

import re
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Phrases of the actions that are not state changes: a verb phrase, the record follows.
ACTIONS: dict[str, str] = {
    "access.denied": gettext_lazy("被拒绝访问"),
    "allowance.confirm": gettext_lazy("确认了企业配套支付"),
    "allowance.withdraw": gettext_lazy("撤回了生活补贴"),
    "appointment.allowances_withdraw": gettext_lazy("撤回了聘任的待发补贴"),
    "appointment.create": gettext_lazy("建立了聘任"),
    "appointment.extend": gettext_lazy("延长了聘期"),
    "appointment.terminate": gettext_lazy("终止了聘任"),
    "audit.export": gettext_lazy("导出了审计日志"),
    "audit.purge": gettext_lazy("清理了过期审计日志"),
    "awardapplication.confirm": gettext_lazy("确认了年度评选申报"),
    "awardapplication.create": gettext_lazy("创建了年度评选申报"),
    "awardapplication.update": gettext_lazy("修改了年度评选申报"),
    "awardcycle.assign": gettext_lazy("分配了年度评选评审专家"),
    "awardcycle.autofill": gettext_lazy("按名额自动拟定了获奖等次"),
    "awardcycle.create": gettext_lazy("创建了年度评选"),
    "awardcycle.decide": gettext_lazy("审定了年度评选结果"),
    "awardcycle.export": gettext_lazy("导出了年度评选结果"),
    "awardcycle.rubric": gettext_lazy("设置了年度评选评审指标"),
    "awardcycle.update": gettext_lazy("修改了年度评选"),
    "awardsheet.conflict": gettext_lazy("声明了年度评选回避"),
    "awardsheet.replace": gettext_lazy("更换了年度评选评审专家"),
    "awardsheet.save": gettext_lazy("暂存了年度评选评分表"),
    "awardsheet.submit": gettext_lazy("提交了年度评选评分表"),
    "bankaccount.save": gettext_lazy("保存了银行账户"),
    "bench.row": gettext_lazy("写入了测试记录"),
    "budget.commit": gettext_lazy("占用了预算"),
    "budget.override": gettext_lazy("超预算特批了预算占用"),
    "budget.save": gettext_lazy("保存了年度预算"),
    "comanagement.create": gettext_lazy("登记了共管记录"),
    "comanagement.follow_up_done": gettext_lazy("办结了共管跟进事项"),
    "completion.create": gettext_lazy("登记了结题"),
    "annualreport.create": gettext_lazy("新建了年度工作报告草稿"),
    "annualreport.download": gettext_lazy("下载了年度工作报告"),
    "annualreport.save": gettext_lazy("修改了年度工作报告草稿"),
    "consent.record": gettext_lazy("记录了个人信息处理同意"),
    "contact.create": gettext_lazy("添加了联系人"),
    "contact.delete": gettext_lazy("删除了联系人"),
    "contact.update": gettext_lazy("修改了联系人"),
    "creditobjection.create": gettext_lazy("对信用记录提出了异议"),
    "creditobjection.resolve": gettext_lazy("处理了信用记录异议"),
    "creditoverride.create": gettext_lazy("在信用提示下说明理由后继续办理"),
    "dashboard.report": gettext_lazy("导出了统计报表"),
    "demand.create": gettext_lazy("发布了需求草稿"),
    "demand.update": gettext_lazy("修改了需求"),
    "document.issue": gettext_lazy("签发了文书"),
    "document.verify_upload": gettext_lazy("上传文件核验签名"),
    "enterprise.member_add": gettext_lazy("添加了企业成员"),
    "enterprise.register": gettext_lazy("注册了企业"),
    "enterprise.update": gettext_lazy("修改了企业信息"),
    "evaluation.add_member": gettext_lazy("添加了考核评议组成员"),
    "evaluation.conflict": gettext_lazy("声明了考核评议回避"),
    "evaluation.create": gettext_lazy("发起了期满考核"),
    "evaluation.grade": gettext_lazy("提交了考核评议意见"),
    "evaluation.replace": gettext_lazy("更换了考核评议组成员"),
    "event.attendance": gettext_lazy("登记了对接会签到"),
    "event.create": gettext_lazy("创建了对接会"),
    "event.invite": gettext_lazy("邀请了对接会参会专家"),
    "event.link_intent": gettext_lazy("将对接意向关联到对接会"),
    "expert.admit": gettext_lazy("将专家纳入人才库"),
    "expert.change_request": gettext_lazy("提出了专家信息变更"),
    "expert.change_request_approve": gettext_lazy("批准了专家信息变更"),
    "expert.change_request_reject": gettext_lazy("驳回了专家信息变更"),
    "expert.data_export": gettext_lazy("下载了本人个人信息"),
    "expert.id_number_view": gettext_lazy("查看了专家身份证号"),
    "expert.invite": gettext_lazy("向专家发送了账号邀请"),
    "expert.phone_view": gettext_lazy("查看了专家手机号码"),
    "expert.profile_update": gettext_lazy("修改了专家资料"),
    "export.download": gettext_lazy("下载了导出文件"),
    "export.queued": gettext_lazy("提交了后台导出"),
    "export.xlsx": gettext_lazy("导出了表格"),
    "extensionrequest.submitted": gettext_lazy("提交了延期申请"),
    "institution.create": gettext_lazy("新增了推荐单位"),
    "institution.member_set": gettext_lazy("设置了推荐单位联系人"),
    "institution.update": gettext_lazy("修改了推荐单位"),
    "intent.enterprise_open": gettext_lazy("向专家发出了对接邀请"),
    "intent.expert_open": gettext_lazy("向企业提出了对接申请"),
    "intent.in_service": gettext_lazy("标记对接意向已进入服务"),
    "login.failure": gettext_lazy("登录失败"),
    "login.lockout": gettext_lazy("因多次登录失败被锁定"),
    "login.otp": gettext_lazy("通过了动态口令验证"),
    "login.otp_failure": gettext_lazy("动态口令验证失败"),
    "login.success": gettext_lazy("登录了系统"),
    "login.unlock": gettext_lazy("解除了登录锁定"),
    "logout": gettext_lazy("退出了系统"),
    "nomination.create": gettext_lazy("创建了专家推荐"),
    "nomination.exception_approve": gettext_lazy("批准了推荐的条件放宽"),
    "nomination.exception_refuse": gettext_lazy("拒绝了推荐的条件放宽"),
    "nomination.import": gettext_lazy("批量导入了专家推荐"),
    "nomination.submit": gettext_lazy("提交了专家推荐"),
    "nomination.update": gettext_lazy("修改了专家推荐"),
    "objection.create": gettext_lazy("提出了异议"),
    "objection.resolve": gettext_lazy("处理了异议"),
    "otp.enrol": gettext_lazy("绑定了动态口令"),
    "otp.reset": gettext_lazy("重置了动态口令"),
    "payment.create": gettext_lazy("生成了支付记录"),
    "payment.delete": gettext_lazy("删除了支付记录"),
    "payment.reverse": gettext_lazy("冲销了支付记录"),
    "payment.update": gettext_lazy("修改了支付记录"),
    "paymentbatch.add": gettext_lazy("向支付批次加入了支付"),
    "paymentbatch.create": gettext_lazy("创建了支付批次"),
    "paymentbatch.export": gettext_lazy("导出了支付批次"),
    "paymentbatch.remove": gettext_lazy("从支付批次移出了支付"),
    "project.create": gettext_lazy("创建了合作项目"),
    "project.expert_confirm": gettext_lazy("确认了合作项目"),
    "project.update": gettext_lazy("修改了合作项目"),
    "projectsubsidy.create": gettext_lazy("核定了项目补贴"),
    "projectsubsidy.instalments": gettext_lazy("安排了项目补贴分期"),
    "projectsubsidy.suspend": gettext_lazy("因聘任终止暂停了项目补贴"),
    "projectsubsidy.suspension_decide": gettext_lazy("决定了暂停的项目补贴"),
    "reviewassignment.conflict": gettext_lazy("声明了项目评审回避"),
    "reviewassignment.replace": gettext_lazy("更换了项目评审专家"),
    "reviewassignment.save": gettext_lazy("暂存了项目评分表"),
    "reviewassignment.submit": gettext_lazy("提交了项目评分表"),
    "reviewassignment.swap": gettext_lazy("调换了项目评审专家"),
    "reviewer.upsert": gettext_lazy("登记了评审专家"),
    "reviewround.assign": gettext_lazy("分配了项目评审专家"),
    "reviewround.create": gettext_lazy("创建了评审批次"),
    "reviewround.rubric": gettext_lazy("设置了项目评审指标"),
    "role.grant": gettext_lazy("授予了角色"),
    "role.revoke": gettext_lazy("收回了角色"),
    "session.end": gettext_lazy("结束了登录会话"),
    "session.expire": gettext_lazy("的登录会话已超时"),
    "supportrequest.submitted": gettext_lazy("提交了服务保障申请"),
    "termreport.save": gettext_lazy("保存了聘期总结"),
    "user.deactivate": gettext_lazy("停用了账号"),
    "user.password_change": gettext_lazy("修改了密码"),
    "user.password_reset": gettext_lazy("重置了密码"),
}

# Words other than codes that summaries carry.
_WORDS = {
    "True": "",
    "False": "",
    "indicators": gettext_lazy("项指标"),
    "others:": gettext_lazy("其他会话："),
}
_TRANSITION_SUMMARY = re.compile(r"^(?P<from>[a-z_]*|—) → (?P<to>[a-z_]+)$")


def _portal_apps():
    """The portal's own apps (in this checkout), not Django's or a library's."""
    from django.conf import settings

    base = str(settings.BASE_DIR)
    return [c for c in apps.get_app_configs() if str(c.path).startswith(base) and ".venv" not in str(c.path)]


@cache
def _models_by_name() -> dict[str, type]:
    """model_name → model of the portal's apps (the first part of an action code)."""
    return {m._meta.model_name: m for c in _portal_apps() for m in c.get_models()}


def _state_choices(model) -> dict[str, str] | None:
    try:
        return dict(model._meta.get_field("state").flatchoices)
    except FieldDoesNotExist:
        return None


@cache
def _all_codes() -> dict[str, object]:
    """Every lowercase code of the portal's TextChoices (states, kinds, roles, categories) → its label;
    for codes in a summary whose enum is not known."""
    import importlib

    codes: dict[str, object] = {}
    modules = []
    for config in _portal_apps():
        for part in ("enums", "models"):
            try:
                modules.append(importlib.import_module(f"{config.name}.{part}"))
            except ModuleNotFoundError:
                continue
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, TextChoices) and value is not TextChoices:
                for code, label in value.choices:
                    codes.setdefault(code, label)
    return codes


def _transition(code: str) -> tuple[type, str] | None:
    """(model, state label) when `code` is a state change `<model_name>.<state>`."""
    name, _sep, state = code.partition(".")
    model = _models_by_name().get(name)
    if model is None:
        return None
    choices = _state_choices(model)
    if not choices or state not in choices:
        return None
    return model, str(choices[state])


def action_label(code: str) -> str:
    """The action alone, for the filter: “登录了系统”, “支付批次改为“已审批””."""
    if code in ACTIONS:
        return str(ACTIONS[code])
    found = _transition(code)
    if found:
        model, label = found
        return _("%(model)s改为“%(state)s”") % {"model": model._meta.verbose_name, "state": label}
    return _("其他操作")


def action_choices() -> list[tuple[str, str]]:
    """Every known action, labelled and sorted by label: the phrases and every model's state changes."""
    choices = {code: action_label(code) for code in ACTIONS}
    for model in _models_by_name().values():
        if not hasattr(model, "transitions"):
            continue
        for state in _state_choices(model) or {}:
            code = f"{model._meta.model_name}.{state}"
            choices.setdefault(code, action_label(code))
    return sorted(choices.items(), key=lambda c: c[1])


def target_label(target_type: str, target_id: str) -> str:
    """“支付批次 #5” for `subsidies.paymentbatch`, `5`; empty without a target."""
    if not target_type:
        return ""
    try:
        name = str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        name = _("记录")
    return f"{name} #{target_id}" if target_id else name


def summary_label(event) -> str:
    """The summary with its codes in words: a state change's “已提交 → 已审批”, a role's name."""
    text = event.summary or ""
    m = _TRANSITION_SUMMARY.match(text)
    found = _transition(event.action)
    if m and found:
        choices = _state_choices(found[0]) or {}
        before = m["from"]
        before = choices.get(before, before) if before and before != "—" else "—"
        return f"{before} → {choices.get(m['to'], m['to'])}"
    codes = _all_codes()
    out = []
    for token in text.split(" "):
        if token in _WORDS:
            out.append(str(_WORDS[token]))
        elif token in codes:
            out.append(str(codes[token]))
        else:
            out.append(token)
    return " ".join(t for t in out if t)


def event_sentence(event) -> str:
    """Who did what to which record: “赵敏（czj_zhao）将支付批次 #5改为“已支付””."""
    if event.actor_id:
        actor = event.actor
        who = f"{actor.full_name}（{actor.username}）" if actor.full_name else actor.username
    else:
        who = _("系统")
    target = target_label(event.target_type, event.target_id)
    found = _transition(event.action)
    if found and event.action not in ACTIONS:
        return _("%(who)s将%(target)s改为“%(state)s”") % {"who": who, "target": target, "state": found[1]}
    what = action_label(event.action)
    if target:
        return _("%(who)s%(what)s：%(target)s") % {"who": who, "what": what, "target": target}
    return f"{who}{what}"


# Groups of the action filter: every action of one kind (a prefix ending in ".").
_GROUPS = {
    "login.": gettext_lazy("登录"),
    "session.": gettext_lazy("登录会话"),
    "otp.": gettext_lazy("动态口令"),
    "role.": gettext_lazy("角色"),
    "user.": gettext_lazy("账号"),
    "export.": gettext_lazy("导出"),
    "audit.": gettext_lazy("审计日志"),
    "budget.": gettext_lazy("预算"),
}


def action_group_choices() -> list[tuple[str, str]]:
    """“登录：全部操作”, “支付批次：全部操作” …: one entry per prefix of the known actions."""
    prefixes = {code.partition(".")[0] + "." for code, _label in action_choices() if "." in code}
    out = []
    for prefix in sorted(prefixes):
        if prefix in _GROUPS:
            name = str(_GROUPS[prefix])
        elif prefix[:-1] in _models_by_name():
            name = str(_models_by_name()[prefix[:-1]]._meta.verbose_name)
        else:
            continue
        out.append((prefix, _("%(name)s：全部操作") % {"name": name}))
    return sorted(out, key=lambda c: c[1])


def target_type_choices() -> list[tuple[str, str]]:
    """The portal's models by their names (the record types an audit event names)."""
    portal = {c.label for c in _portal_apps()}
    models = [m for m in apps.get_models() if m._meta.app_label in portal]
    return sorted(((m._meta.label_lower, str(m._meta.verbose_name)) for m in models), key=lambda c: c[1])
