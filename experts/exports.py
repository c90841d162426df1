"""The .xlsx export of the filtered talent pool (exactly the rows of the list, all pages)."""

from __future__ import annotations

import io

from openpyxl import Workbook


HEADERS = ["姓名", "性别", "推荐单位", "所在院系/部门", "学科", "研究领域", "关键词", "最高学位", "专业技术职称",
           "职称级别", "首次参加工作日期", "核心知识产权/成熟成果", "入库时间", "手机号码", "电子邮箱"]


def pool_export(experts) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("专家人才库")
    ws.append(HEADERS)
    for e in experts.iterator(chunk_size=2000):
        ws.append([
            e.name, e.get_gender_display(), e.institution.name, e.department, e.discipline.name,
            e.research_fields, e.keywords, e.get_degree_display(), e.title, e.get_title_level_display(),
            e.work_start, "是" if e.core_ip else "否",
            e.admitted_at.astimezone().strftime("%Y-%m-%d") if e.admitted_at else "", e.phone, e.email,
        ])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()



