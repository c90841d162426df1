"""Benchmark of the matching engine (not a test): 50,000 synthetic Chinese expert profiles.

    .venv/bin/python bench/bench_matching.py [--experts 50000] [--queries 200]

Profiles are generated as stored tokens (what ExpertProfileIndex holds: research fields, keywords,
achievements, discipline), drawn from the domain dictionary enterprises/data/tech_terms.txt plus general
technical vocabulary. Prints one JSON object per line:

- matching_index_build_s: building the ranker's index (enterprises.matching.MatchIndex: cosine-normalised
  BM25F, vectorised) and the fit/leading vectors from stored
  tokens (median of 3 builds; target < 3 s);
- matching_top20_ms: ranking the top 20 experts for one demand, explanation included, with 500 serving
  experts excluded (median over the queries; target < 10 ms);
- matching_tokenize_ms_per_profile: jieba segmentation of one profile's text (informational; this is
  why tokens are stored on save and the index is never built from raw text).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from enterprises.matching import Doc, MatchIndex, load_terms, tokenize_fields

GENERAL = [
    "材料",
    "工艺",
    "设计",
    "优化",
    "控制",
    "检测",
    "仿真",
    "建模",
    "算法",
    "平台",
    "装备",
    "器件",
    "芯片",
    "传感",
    "网络",
    "数据",
    "模型",
    "分析",
    "评价",
    "安全",
    "可靠性",
    "结构",
    "性能",
    "机理",
    "表征",
    "合成",
    "制备",
    "集成",
    "测试",
    "标准",
    "质量",
    "效率",
    "寿命",
    "成本",
    "智能",
    "自动化",
    "数字化",
    "绿色",
    "低碳",
    "临床",
    "药物",
    "诊断",
    "治疗",
    "细胞",
    "蛋白",
    "基因",
    "分子",
    "能源",
    "电池",
    "电网",
    "光伏",
    "风电",
    "氢能",
    "储能",
    "机器人",
    "视觉",
    "通信",
    "软件",
    "服务",
    "管理",
]
INDUSTRIES = [
    ("medicine_health", True),
    ("advanced_energy", True),
    ("advanced_manufacturing", True),
    ("information_technology", False),
    ("new_materials", False),
    ("energy_saving_environment", False),
    ("modern_agriculture", False),
    ("modern_services", False),
]
DISCIPLINES = [
    "药学",
    "临床医学",
    "电气工程",
    "机械工程",
    "计算机科学与技术",
    "材料科学与工程",
    "化学",
    "生物学",
]


def make_docs(n: int, rng: random.Random) -> list[Doc]:
    terms = [t.lower() for t in load_terms()]
    docs = []
    for i in range(n):
        focus = rng.sample(terms, 12)
        fields = {
            "research_fields": rng.sample(focus, 5) + rng.sample(GENERAL, 4),
            "keywords": rng.sample(focus, 5),
            "achievements": rng.sample(focus, 6) + rng.sample(GENERAL, 8),
            "discipline": [rng.choice(DISCIPLINES)],
        }
        code, leading = rng.choice(INDUSTRIES)
        docs.append(Doc(id=i + 1, fields=fields, tags=frozenset({code}), leading=leading))
    return docs


def make_queries(count: int, rng: random.Random) -> list[list[str]]:
    terms = [t.lower() for t in load_terms()]
    return [rng.sample(terms, 8) + rng.sample(GENERAL, 6) for _ in range(count)]


def line(name: str, median: float, unit: str, target: float | None, **extra) -> None:
    row = {"name": name, "median": round(median, 4), "unit": unit}
    if target is not None:
        row.update(target=target, ok=median < target)
    row.update(extra)
    print(json.dumps(row, ensure_ascii=False), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experts", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    docs = make_docs(args.experts, rng)
    builds = []
    index = None
    for _ in range(3):
        start = time.perf_counter()
        index = MatchIndex(docs)
        builds.append(time.perf_counter() - start)
    line(
        "matching_index_build_s",
        statistics.median(builds),
        "s",
        3,
        experts=args.experts,
        runs=[round(b, 3) for b in builds],
    )

    serving = set(rng.sample(range(1, args.experts + 1), min(500, args.experts)))
    queries = make_queries(args.queries, rng)
    index.rank(queries[0], tags={"advanced_energy"}, exclude=serving)  # warm-up
    times = []
    results = 0
    for query in queries:
        start = time.perf_counter()
        ranked = index.rank(query, tags={rng.choice(INDUSTRIES)[0]}, exclude=serving, k=20)
        times.append((time.perf_counter() - start) * 1000)
        results += len(ranked)
        assert all(r.id not in serving for r in ranked) and all(r.terms for r in ranked)
    line(
        "matching_top20_ms",
        statistics.median(times),
        "ms",
        10,
        p95=round(sorted(times)[int(len(times) * 0.95)], 3),
        queries=len(times),
        mean_results=round(results / len(times), 1),
    )

    sample = []
    for doc in docs[:300]:
        sample.append(
            {
                "research_fields": "；".join(doc.fields["research_fields"][:5]) + "等方向的研究与开发",
                "keywords": "，".join(doc.fields["keywords"]),
                "achievements": "；".join(f"{t}关键技术及应用" for t in doc.fields["achievements"][:6]),
            }
        )
    tokenize_fields(sample[0])  # load the dictionary
    start = time.perf_counter()
    for fields in sample:
        tokenize_fields(fields)
    per = (time.perf_counter() - start) * 1000 / len(sample)
    line(
        "matching_tokenize_ms_per_profile",
        per,
        "ms",
        None,
        extrapolated_50000_s=round(per * 50_000 / 1000, 1),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
