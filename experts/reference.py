"""Reference data of SPEC §3, shipped in experts/data/ (copied from the project's shared data folder,
sources in experts/data/SOURCES.md) and loaded into the Discipline and Institution tables.

The loader only creates what is missing (natural keys: discipline code, institution name); it never
overwrites a row, so staff's corrections in the portal survive a re-run. It is used by the data
migration 0003 (with historical models) and by `manage.py load_reference_data`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

#: 双一流 disciplines listed under their 2011 catalogue names → the 2022 first-level discipline that
#: the data notes name as successor (experts/data/double_first_class_disciplines.csv, column note).
LEGACY_DISCIPLINES = {
    "公共管理": "公共管理学",
    "工商管理": "工商管理学",
    "图书情报与档案管理": "信息资源管理",
    "音乐与舞蹈学": "艺术学",
    "美术学": "艺术学",
    "戏剧与影视学": "艺术学",
    "艺术学理论": "艺术学",
}
#: 2011 first-level disciplines without a 2022 successor among the first-level disciplines; kept so
#: that the universities that build them can still be matched (staff may merge them later).
EXTRA_DISCIPLINES = [("0834", "风景园林学", "08", "工学")]

#: research_institutes.csv: name → kinds (policy 二(一)); "changping_local" comes from in_changping.
RESEARCH_KINDS = {
    "昌平实验室": {"is_research_national"},
    "北京生命科学研究所": {"is_research_national", "is_new_rd"},
    "北京脑科学与类脑研究所（北京脑科学与类脑研究中心）": {"is_new_rd"},
    "国家蛋白质科学中心（北京）": {"is_research_national"},
    "全球能源互联网研究院有限公司（国家电网）": set(),
    "北京量子信息科学研究院": {"is_new_rd"},
    "北京智源人工智能研究院": {"is_new_rd"},
    "北京干细胞与再生医学研究院": {"is_research_beijing"},
}


@dataclass
class LoadReport:
    disciplines: int = 0
    institutions: int = 0
    double_first_class_links: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"学科 {self.disciplines} 个、推荐单位 {self.institutions} 个、"
            f"“双一流”建设学科 {self.double_first_class_links} 条（新建）"
        )


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(Discipline, Institution) -> LoadReport:  # noqa: N803 - model classes
    report = LoadReport()
    by_name = {}
    for row in _rows("disciplines.csv"):
        obj, created = Discipline.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "category_code": row["category_code"],
                "category_name": row["category_name"],
            },
        )
        report.disciplines += created
        by_name[obj.name] = obj
    for code, name, category_code, category_name in EXTRA_DISCIPLINES:
        obj, created = Discipline.objects.get_or_create(
            code=code, defaults={"name": name, "category_code": category_code, "category_name": category_name}
        )
        report.disciplines += created
        by_name[obj.name] = obj

    created_universities = set()
    for row in _rows("universities.csv"):
        obj, created = Institution.objects.get_or_create(
            name=row["name"],
            defaults={
                "category": "university",
                "is_985": row["is_985"] == "1",
                "is_211": row["is_211"] == "1",
                "is_double_first_class": row["is_double_first_class"] == "1",
                "in_changping": row["located_in_changping"] == "1",
                "changping_campus": row["changping_campus"],
                "dfc_self_determined": "自主确定" in row["notes"],
                "notes": row["notes"],
            },
        )
        report.institutions += created
        if created:
            created_universities.add(obj.name)

    institutions = {i.name: i for i in Institution.objects.filter(name__in=created_universities)}
    for row in _rows("double_first_class_disciplines.csv"):
        institution = institutions.get(row["university"])
        if institution is None or not row["discipline"]:
            continue
        discipline = by_name.get(row["discipline"]) or by_name.get(LEGACY_DISCIPLINES.get(row["discipline"], ""))
        if discipline is None:
            report.skipped.append(f"{row['university']}：{row['discipline']}")
            continue
        institution.double_first_class_disciplines.add(discipline)
        report.double_first_class_links += 1

    for row in _rows("research_institutes.csv"):
        flags = dict.fromkeys(RESEARCH_KINDS.get(row["name"], set()), True)
        _, created = Institution.objects.get_or_create(
            name=row["name"],
            defaults={
                "category": "research",
                "in_changping": row["in_changping"] == "1",
                "notes": row["type"],
                **flags,
            },
        )
        report.institutions += created

    for row in _rows("beijing_3a_hospitals.csv"):
        _, created = Institution.objects.get_or_create(
            name=row["name"],
            defaults={
                "category": "hospital",
                "in_changping": row["in_changping"] == "1",
                # 三甲 not confirmed by an authoritative source (see SOURCES.md): staff set it when confirmed.
                "is_hospital_3a": row["grade_3a_confirmed"] == "1",
                "notes": f"{row['level_confirmed']}；{row['notes']}",
            },
        )
        report.institutions += created
    return report
