"""Bulk nomination import from an .xlsx file (issue 3, item 4).

`import_template()` builds the workbook the portal offers for download. `import_parse(file, institution)`
reads a filled-in workbook and validates every row (ImportFileError when the file as a whole is
unusable: not a workbook, missing or renamed columns, no data rows, too many rows). `import_apply`
writes the valid rows in bulk: a new person becomes a draft nomination, a person already in one of the
institution's drafts (same ID number) updates that draft. The template's columns and the check of one
row live in experts.import_rows.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineWorkbook

from core.audit import audit
from core.crypto import encrypt
from core.identifiers import birth_date_from_id, make_id_check_digit, mask_id_number
from core.spreadsheets import WorkbookRefused, workbook_guard
from privacy.models import ConsentKind
from privacy.services import consent_record_many

from .enums import EDITABLE_STATES, OPEN_STATES, NominationState
from .exceptions import ImportFileError
from .import_rows import CHOICES, COLUMNS, HEADERS, ImportRow, _disciplines, _text, _validate_row
from .models import Discipline, Expert, Institution, Nomination, NominationTransition
from .services import PROFILE_FIELDS, search_text_for

MAX_ROWS = 10_000
# The workbook guard's bounds (core.spreadsheets): the used range may hold some blank rows and extra
# columns beyond the template's; the row cap itself is checked while reading (MAX_ROWS).
GUARD_SLACK_ROWS = 1_000
GUARD_MAX_COLS = 64


@dataclass
class ImportReport:
    rows: list[ImportRow]
    created: int = 0
    updated: int = 0
    applied: bool = False

    @property
    def valid(self) -> list[ImportRow]:
        return [r for r in self.rows if r.ok]

    @property
    def invalid(self) -> list[ImportRow]:
        return [r for r in self.rows if not r.ok]


def import_template() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "专家推荐"
    ws.append(HEADERS)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    example_id = "11010519800101003" + make_id_check_digit("11010519800101003")
    ws.append(
        [
            "张三",
            "男",
            example_id,
            "13800000000",
            "zhangsan@example.edu.cn",
            "石油工程学院",
            "石油与天然气工程",
            "油气田开发",
            "提高采收率，CO2驱油",
            "博士",
            "教授",
            "正高级",
            "2008-07-01",
            "否",
            "",
        ]
    )
    for r in range(2, MAX_ROWS + 2):
        ws.cell(row=r, column=3).number_format = "@"  # ID numbers as text: 18 digits exceed Excel's precision
    for i, width in enumerate([10, 6, 22, 14, 26, 18, 18, 24, 24, 10, 14, 10, 16, 14, 30]):
        ws.column_dimensions[chr(ord("A") + i)].width = width
    lists = wb.create_sheet("填写说明")
    lists.append(["列", "说明"])
    lists.append(
        [
            "所有列",
            f"请勿修改第一行列名；第2行为示例，导入前请删除或覆盖。每行一位专家，最多 {MAX_ROWS} 行。",
        ]
    )
    lists.append(["性别", "男 / 女"])
    lists.append(["最高学位", " / ".join(CHOICES["degree"])])
    lists.append(["职称级别", " / ".join(CHOICES["title_level"])])
    lists.append(["首次参加工作日期", "YYYY-MM-DD，例如 2008-07-01"])
    lists.append(["拥有核心知识产权或成熟成果", "是 / 否"])
    lists.append(["学科", "下列一级学科名称之一（或学科代码）"])
    for d in Discipline.objects.filter(active=True).order_by("code"):
        lists.append(["", f"{d.code} {d.name}"])
    for key, col in (("gender", "B"), ("degree", "J"), ("title_level", "L")):
        dv = DataValidation(type="list", formula1='"{}"'.format(",".join(CHOICES[key])), allow_blank=False)
        ws.add_data_validation(dv)
        dv.add(f"{col}2:{col}{MAX_ROWS + 1}")
    dv = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add(f"N2:N{MAX_ROWS + 1}")
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def import_parse(uploaded, institution: Institution) -> ImportReport:
    """Read and validate every row; nothing is written."""
    # A spreadsheet bomb (a small file that expands to hundreds of MB, or a sheet whose used range is
    # huge) is refused before the parser, which builds the whole sheet in memory.
    try:
        workbook_guard(uploaded, max_rows=MAX_ROWS + GUARD_SLACK_ROWS, max_cols=GUARD_MAX_COLS)
    except WorkbookRefused as exc:
        raise ImportFileError(str(exc)) from exc
    try:
        uploaded.seek(0)
        # python-calamine (Rust) reads a 10,000-row sheet in well under a second; openpyxl needs ~10 s.
        sheet = CalamineWorkbook.from_filelike(uploaded).get_sheet_by_index(0)
        rows = sheet.iter_rows()
    except Exception as exc:  # a broken or foreign file raises many kinds of errors
        raise ImportFileError(_("无法读取该文件：请上传用平台模板填写的 Excel（.xlsx）文件。")) from exc
    header = next(rows, None)
    if header is None or not any(_text(h) for h in header):
        raise ImportFileError(_("文件是空的：第一行应为模板的列名，第二行起每行一位专家。"))
    names = [_text(h) for h in header]
    while names and not names[-1]:
        names.pop()
    missing = [h for h in HEADERS if h not in names]
    unknown = [h or _("（空列名）") for h in names if h not in HEADERS]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("缺少列：%(cols)s") % {"cols": "、".join(missing)})
        if unknown:
            parts.append(_("无法识别的列：%(cols)s") % {"cols": "、".join(unknown)})
        raise ImportFileError(
            _("列名与模板不一致（%(detail)s）。请下载最新模板，不要修改第一行列名。")
            % {"detail": "；".join(parts)}
        )
    index = {name: i for i, name in enumerate(names)}
    keys = [(key, index[h]) for h, key, _r in COLUMNS]
    raw_rows = []
    for number, values in enumerate(rows, start=2):
        if not any(_text(v) for v in values):
            continue
        if len(raw_rows) >= MAX_ROWS:
            raise ImportFileError(_("数据行超过 %(max)d 行上限，请拆分为多个文件导入。") % {"max": MAX_ROWS})
        raw_rows.append((number, {key: values[i] if i < len(values) else None for key, i in keys}))
    if not raw_rows:
        raise ImportFileError(_("文件中没有数据行：请从第二行起每行填写一位专家。"))

    today = timezone.localdate()
    disciplines = _disciplines()
    report = ImportReport(rows=[_validate_row(n, raw, disciplines, today) for n, raw in raw_rows])

    seen: dict[str, int] = {}
    for row in report.rows:
        if not row.id_hash:
            continue
        if row.id_hash in seen:
            row.errors.append(_("身份证号码与第%(n)d行重复") % {"n": seen[row.id_hash]})
        else:
            seen[row.id_hash] = row.number
    existing = {
        e.id_number_hash: e
        for e in Expert.objects.filter(id_number_hash__in=list(seen)).only(
            "pk", "id_number_hash", "institution_id", "in_pool", "name"
        )
    }
    open_nominations = {
        n.expert_id: n
        for n in Nomination.objects.filter(expert__in=existing.values(), state__in=OPEN_STATES).only(
            "pk", "expert_id", "state"
        )
    }
    for row in report.rows:
        expert = existing.get(row.id_hash) if row.id_hash else None
        if expert is None or row.errors:
            continue
        nomination = open_nominations.get(expert.pk)
        if expert.institution_id != institution.pk:
            row.errors.append(_("该身份证号码的专家已由其他推荐单位推荐"))
        elif expert.in_pool:
            row.errors.append(_("该专家已入库，无需再次推荐"))
        elif nomination is not None and nomination.state not in EDITABLE_STATES:
            row.errors.append(_("该专家的推荐已提交审核，不能通过导入修改"))
        else:
            row.existing, row.open_nomination = expert, nomination
    return report


def _update_rows(experts: list[Expert], names: list[str]) -> None:
    """UPDATE … WHERE id = %s for each expert, sent with executemany (pipelined by psycopg 3): linear,
    unlike bulk_update's CASE expressions, which grow with rows × batch size."""
    fields = [Expert._meta.get_field(name) for name in names]
    qn = connection.ops.quote_name
    # Identifiers are the model's own columns through quote_name; every value is a parameter.
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # nosec B608
        qn(Expert._meta.db_table), ", ".join(f"{qn(f.column)} = %s" for f in fields), qn("id")
    )
    params = [
        [f.get_db_prep_save(getattr(e, f.attname), connection) for f in fields] + [e.pk] for e in experts
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _insert_drafts(expert_ids: list[int], *, institution: Institution, by, now) -> int:
    """Draft nominations of the given experts, and their "" → draft transition records, as
    INSERT … SELECT statements (two per 1,000 experts): building 20,000 model instances for
    bulk_create took most of a 10,000-row import."""
    qn = connection.ops.quote_name
    nomination_fields = {
        "institution": institution.pk,
        "state": NominationState.DRAFT,
        "declaration": False,
        "recommendation_letter": "",
        "exception_justification": "",
        "eligibility": "",
        "eligibility_failures": [],
        "eligibility_reasons": {},
        "exception_decision": "",
        "exception_decision_note": "",
        "created_by": getattr(by, "pk", None),
        "created_at": now,
        "updated_at": now,
    }
    columns, values = [], []
    for name, value in nomination_fields.items():
        field = Nomination._meta.get_field(name)
        columns.append(qn(field.column))
        values.append(field.get_db_prep_save(value, connection))
    transition_fields = {
        "from_state": "",
        "to_state": NominationState.DRAFT,
        "actor": getattr(by, "pk", None),
        "reason": str(_("Excel 批量导入创建草稿")),
        "created_at": now,
    }
    t_columns, t_values = [], []
    for name, value in transition_fields.items():
        field = NominationTransition._meta.get_field(name)
        t_columns.append(qn(field.column))
        t_values.append(field.get_db_prep_save(value, connection))
    nomination_table = qn(Nomination._meta.db_table)
    transition_table = qn(NominationTransition._meta.db_table)
    expert_table = qn(Expert._meta.db_table)
    created = 0
    with connection.cursor() as cursor:
        for start in range(0, len(expert_ids), 1000):
            chunk = expert_ids[start : start + 1000]
            marks = ", ".join(["%s"] * len(chunk))
            # Identifiers are the models' own columns through quote_name; values are parameters.
            cursor.execute(
                f"INSERT INTO {nomination_table} ({qn('expert_id')}, {', '.join(columns)}) "  # nosec B608
                f"SELECT {qn('id')}, {', '.join(['%s'] * len(values))} FROM {expert_table} "
                f"WHERE {qn('id')} IN ({marks})",
                [*values, *chunk],
            )
            created += cursor.rowcount
            # Same: quoted model columns, values as parameters.
            cursor.execute(
                f"INSERT INTO {transition_table} ({qn('subject_id')}, {', '.join(t_columns)}) "  # nosec B608
                f"SELECT {qn('id')}, {', '.join(['%s'] * len(t_values))} FROM {nomination_table} "
                f"WHERE {qn('expert_id')} IN ({marks}) AND {qn('state')} = %s AND {qn('created_at')} = %s",
                [*t_values, *chunk, NominationState.DRAFT, values[columns.index(qn("created_at"))]],
            )
    return created


def import_apply(
    report: ImportReport, *, institution: Institution, by, ip_address: str | None = None
) -> ImportReport:
    """Write the report's valid rows (call only with rows the user chose to import, after the
    institution confirmed it told every expert in the file and obtained their consent): in the same
    transaction, a PIPL consent record (kind "nomination", as the nomination form writes) for each
    imported expert who has none for the current notice."""
    rows = report.valid
    now = timezone.now()
    with transaction.atomic():
        new_experts, updated_experts, new_nominations = [], [], []
        for row in rows:
            v = row.values
            expert = row.existing or Expert(institution=institution)
            for key in PROFILE_FIELDS:
                if key in v:
                    setattr(expert, key, v[key])
            code = v["id_number"]
            expert.id_number_encrypted = encrypt(code)
            expert.id_number_hash = row.id_hash
            expert.id_number_masked = mask_id_number(code)
            expert.birth_date = birth_date_from_id(code)
            expert.search_text = search_text_for(expert, institution, v["discipline"])
            expert.updated_at = now
            if row.existing is None:
                new_experts.append(expert)
            else:
                updated_experts.append(expert)
            if row.open_nomination is None:
                new_nominations.append((row, expert))
        Expert.objects.bulk_create(new_experts, batch_size=1000)
        if updated_experts:
            _update_rows(
                updated_experts,
                [
                    *PROFILE_FIELDS,
                    "id_number_encrypted",
                    "id_number_masked",
                    "birth_date",
                    "search_text",
                    "updated_at",
                ],
            )
            Nomination.objects.filter(
                pk__in=[r.open_nomination.pk for r in rows if r.open_nomination is not None]
            ).update(updated_at=now)
        created = _insert_drafts(
            [expert.pk for _row, expert in new_nominations], institution=institution, by=by, now=now
        )
        consent_record_many(
            experts=[*new_experts, *updated_experts],
            kind=ConsentKind.NOMINATION,
            by=by,
            ip_address=ip_address,
            target=institution,
        )
        report.created = created
        report.updated = len(rows) - created
        report.applied = True
        audit(
            by,
            "nomination.import",
            institution,
            summary=_("批量导入：新建 %(c)d 条，更新 %(u)d 条，跳过错误行 %(e)d 条")
            % {"c": report.created, "u": report.updated, "e": len(report.invalid)},
            data={"created": report.created, "updated": report.updated, "invalid": len(report.invalid)},
        )
    return report
