"""The rows of the bulk nomination import (experts.imports): the template's columns and the values
its choice columns accept, and the check of one spreadsheet row (required cells, ID number, choices,
discipline, e-mail, phone, dates, lengths) into an `ImportRow` with its values and readable errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from core.identifiers import (
    birth_date_from_id,
    is_valid_id_number,
    is_valid_phone,
    mask_id_number,
    normalize_phone,
)

from .enums import Degree, Gender, TitleLevel
from .models import Discipline, Expert, Nomination
from .services import id_number_hash

# (header, key, required)
COLUMNS = [
    ("姓名", "name", True),
    ("性别", "gender", True),
    ("身份证号码", "id_number", True),
    ("手机号码", "phone", True),
    ("电子邮箱", "email", True),
    ("所在院系/部门", "department", False),
    ("学科", "discipline", True),
    ("研究领域", "research_fields", True),
    ("关键词", "keywords", False),
    ("最高学位", "degree", True),
    ("专业技术职称", "title", False),
    ("职称级别", "title_level", True),
    ("首次参加工作日期", "work_start", True),
    ("拥有核心知识产权或成熟成果", "core_ip", False),
    ("核心知识产权/成果说明", "core_ip_description", False),
]
HEADERS = [c[0] for c in COLUMNS]
CHOICES = {
    "gender": {str(label): value for value, label in Gender.choices},
    "degree": {str(label): value for value, label in Degree.choices},
    "title_level": {str(label): value for value, label in TitleLevel.choices},
}
YES = {"是", "有", "Y", "YES", "TRUE", "1"}
NO = {"否", "无", "N", "NO", "FALSE", "0", ""}
DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


@dataclass
class ImportRow:
    number: int  # the spreadsheet row number, as the user sees it
    values: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    id_hash: str = ""
    existing: Expert | None = None
    open_nomination: Nomination | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def action(self) -> str:
        return _("更新草稿") if self.open_nomination is not None else _("新建草稿")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value, label: str, errors: list[str], today: date) -> date | None:
    if value in (None, ""):
        errors.append(_("“%(col)s”未填写") % {"col": label})
        return None
    if isinstance(value, datetime):
        parsed = value.date()
    elif isinstance(value, date):
        parsed = value
    else:
        match = DATE_RE.match(_text(value))
        try:
            parsed = date(*map(int, match.groups())) if match else None
        except ValueError:
            parsed = None
        if parsed is None:
            errors.append(
                _("“%(col)s”不是有效日期：%(value)s（格式应为 YYYY-MM-DD）")
                % {"col": label, "value": _text(value)}
            )
            return None
    if parsed > today:
        errors.append(_("“%(col)s”不能晚于今天：%(value)s") % {"col": label, "value": parsed.isoformat()})
        return None
    return parsed


def _disciplines() -> dict[str, Discipline]:
    table = {}
    for d in Discipline.objects.filter(active=True):
        table[d.name] = d
        table[d.code] = d
        table[f"{d.code} {d.name}"] = d
        table[f"{d.code}{d.name}"] = d
    return table


def _validate_row(number: int, raw: dict, disciplines, today: date) -> ImportRow:
    row = ImportRow(number=number)
    errors = row.errors
    values = row.values
    for header, key, required in COLUMNS:
        text = _text(raw.get(key))
        if required and not text and key != "work_start":
            errors.append(_("“%(col)s”未填写") % {"col": header})
        values[key] = text
    code = values["id_number"].upper()
    if code:
        if not is_valid_id_number(code, today=today):
            if len(code) != 18:
                errors.append(_("身份证号码应为18位，实为%(n)d位") % {"n": len(code)})
            else:
                errors.append(
                    _("身份证号码无效（出生日期或校验码错误）：%(code)s") % {"code": mask_id_number(code)}
                )
        else:
            values["id_number"] = code
            row.id_hash = id_number_hash(code)
    for key in ("gender", "degree", "title_level"):
        text = values[key]
        if text:
            if text in CHOICES[key]:
                values[key] = CHOICES[key][text]
            elif text in CHOICES[key].values():
                pass
            else:
                header = next(h for h, k, _r in COLUMNS if k == key)
                errors.append(
                    _("“%(col)s”的取值“%(value)s”无法识别，应为：%(choices)s")
                    % {"col": header, "value": text, "choices": "、".join(CHOICES[key])}
                )
    if values["discipline"]:
        discipline = disciplines.get(values["discipline"]) or disciplines.get(
            re.sub(r"\s+", " ", values["discipline"])
        )
        if discipline is None:
            errors.append(
                _("未知学科：“%(value)s”（请填写一级学科名称，见模板“填写说明”）")
                % {"value": values["discipline"]}
            )
        values["discipline"] = discipline
    else:
        values["discipline"] = None
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.append(_("电子邮箱格式不正确：%(value)s") % {"value": values["email"]})
    values["phone"] = normalize_phone(values["phone"]) if values["phone"] else values["phone"]
    if values["phone"] and not is_valid_phone(values["phone"]):
        errors.append(_("手机号码格式不正确：%(value)s") % {"value": values["phone"]})
    core_ip = values["core_ip"].upper()
    if core_ip in YES:
        values["core_ip"] = True
    elif core_ip in NO:
        values["core_ip"] = False
    else:
        errors.append(
            _("“拥有核心知识产权或成熟成果”应填“是”或“否”：%(value)s") % {"value": values["core_ip"]}
        )
    values["work_start"] = _date(raw.get("work_start"), "首次参加工作日期", errors, today)
    if values["work_start"] and row.id_hash:
        born = birth_date_from_id(values["id_number"])
        if values["work_start"] <= born:
            errors.append(_("首次参加工作日期早于身份证上的出生日期"))
    for key, limit in (("name", 60), ("department", 100), ("title", 40), ("phone", 20)):
        if len(values[key]) > limit:
            header = next(h for h, k, _r in COLUMNS if k == key)
            errors.append(_("“%(col)s”超过%(n)d个字") % {"col": header, "n": limit})
    return row
