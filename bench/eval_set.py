"""The labelled evaluation set of the matching engine (issue 17), built from the sections of
enterprises/data/tech_terms.txt: experts and demands with relevance grades by construction, for
bench/bench_matching_quality.py. Deterministic for a seed; importable from bench.generate as before.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each section of enterprises/data/tech_terms.txt is split into contiguous blocks, one per discipline below
# (neighbouring terms of the dictionary are neighbouring topics): a discipline's block is "its technical
# terms". An expert of a discipline writes three terms from its block (the first of them both in the
# research fields and the keywords, as profiles do), two from the section at large (their sibling
# disciplines' terms) and one from anywhere; a demand is written from three terms of one discipline's
# block and one of its section, and names that section's industry. Relevance by construction: 2 for an
# expert of the demand's discipline, 1 for an expert of a sibling discipline (same section), 0 otherwise.

EVAL_SECTIONS = {
    "医药健康": (
        "medicine_health",
        ("药学", "生物学", "基础医学", "生物医学工程", "生物工程", "临床医学"),
    ),
    "先进能源": (
        "advanced_energy",
        ("化学工程与技术", "动力工程及工程热物理", "物理学", "电气工程", "化学", "石油与天然气工程"),
    ),
    "先进制造": (
        "advanced_manufacturing",
        ("机械工程", "仪器科学与技术", "航空宇航科学与技术", "材料科学与工程", "力学", "光学工程"),
    ),
    "信息技术": (
        "information_technology",
        (
            "计算机科学与技术",
            "控制科学与工程",
            "电子科学与技术",
            "信息与通信工程",
            "软件工程",
            "测绘科学与技术",
        ),
    ),
}
EVAL_GENERAL = ("工艺优化", "产品研发", "技术攻关", "质量提升", "成本控制", "工程化", "产业化", "标准制定")


def tech_term_sections() -> dict[str, list[str]]:
    """The dictionary's terms by section heading ("# 医药健康" …)."""
    path = ROOT / "enterprises" / "data" / "tech_terms.txt"
    sections: dict[str, list[str]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("# "):
            current = line[2:].strip()
        elif line and not line.startswith("#") and current is not None:
            sections.setdefault(current, []).append(line)
    return sections


def discipline_terms() -> dict[str, tuple[str, list[str]]]:
    """discipline name → (section, its block of technical terms)."""
    sections = tech_term_sections()
    out: dict[str, tuple[str, list[str]]] = {}
    for section, (_code, disciplines) in EVAL_SECTIONS.items():
        terms = sections[section]
        size = len(terms) // len(disciplines)
        for i, name in enumerate(disciplines):
            out[name] = (section, terms[i * size : (i + 1) * size])
    return out


@dataclass
class EvalExpert:
    id: int
    discipline: str
    section: str
    fields: dict[str, str]


@dataclass
class EvalDemand:
    id: int
    discipline: str
    section: str
    industry: str
    fields: dict[str, str]

    def grade(self, expert: EvalExpert) -> int:
        if expert.discipline == self.discipline:
            return 2
        return 1 if expert.section == self.section else 0


def matching_eval_set(*, experts: int = 20_000, demands: int = 200, seed: int = 17):
    """(experts, demands) of the labelled evaluation set (see above); deterministic for a seed."""
    rng = random.Random(seed)
    blocks = discipline_terms()
    names = sorted(blocks)
    sections = tech_term_sections()
    everything = [t for terms in sections.values() for t in terms]
    expert_rows = []
    for i in range(experts):
        discipline = names[i % len(names)]
        section, own = blocks[discipline]
        mine = rng.sample(own, 3)
        wider = rng.sample(sections[section], 2)
        stray = rng.choice(everything)
        expert_rows.append(
            EvalExpert(
                id=i + 1,
                discipline=discipline,
                section=section,
                fields={
                    "research_fields": "；".join([mine[0], mine[1], wider[0]]),
                    "keywords": "，".join([mine[0], mine[2], wider[1], stray]),
                    "achievements": f"{mine[1]}关键技术研究；{rng.choice(EVAL_GENERAL)}",
                    "discipline": discipline,
                },
            )
        )
    demand_rows = []
    for j in range(demands):
        discipline = names[rng.randrange(len(names))]
        section, own = blocks[discipline]
        picked = [*rng.sample(own, 3), rng.choice(sections[section])]
        industry = EVAL_SECTIONS[section][0]
        demand_rows.append(
            EvalDemand(
                id=j + 1,
                discipline=discipline,
                section=section,
                industry=industry,
                fields={
                    "title": f"{picked[0]}{rng.choice(EVAL_GENERAL)}",
                    "technical_field": picked[1],
                    "keywords": "，".join([picked[0], picked[2], picked[3]]),
                    "description": f"围绕{picked[0]}与{picked[3]}开展{rng.choice(EVAL_GENERAL)}，"
                    f"解决{picked[1]}中的关键问题。",
                    "expected_work": f"指导{rng.choice(EVAL_GENERAL)}",
                },
            )
        )
    return expert_rows, demand_rows
