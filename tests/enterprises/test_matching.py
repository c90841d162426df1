"""The matching engine on a small hand-made corpus (pure part: no database) and through the portal
(stored tokens, cached index, serving experts excluded)."""

import pytest

from enterprises import matching
from enterprises.matching import Doc, MatchIndex, load_terms, tokenize, tokenize_fields

# --- segmentation ------------------------------------------------------------------------------------


def test_every_dictionary_term_is_kept_whole():
    terms = load_terms()
    assert len(terms) >= 500
    broken = [t for t in terms if tokenize(t)[:1] != [t.lower()]]
    assert broken == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("锂离子电池储能", ["锂离子电池", "储能"]),
        ("研究抗体偶联药物的制剂工艺", ["抗体偶联药物", "制剂工艺"]),
        ("面向mRNA疫苗和5G通信", ["mrna疫苗", "疫苗", "5g", "通信"]),
        ("储能系统", ["储能系统", "储能"]),  # a compound term also yields the dictionary term inside it
        ("碳纤维复合材料", ["碳纤维复合材料", "复合材料", "碳纤维"]),
        ("我们需要相关技术研究", []),  # stopwords only
        ("", []),
    ],
)
def test_tokenize(text, expected):
    assert tokenize(text) == expected


def test_tokenize_fields_drops_empty_fields():
    assert tokenize_fields({"keywords": "储能、电池管理系统", "achievements": ""}) == {
        "keywords": ["储能", "电池管理系统"]
    }


# --- ranking over plain objects ----------------------------------------------------------------------

CORPUS = [
    Doc(1, {"research_fields": ["有机合成"], "keywords": ["药物中间体"]}),
    Doc(
        2,
        {"research_fields": ["储能系统", "储能", "电池管理系统"], "keywords": ["锂离子电池", "热管理"]},
        frozenset({"advanced_energy"}),
        True,
    ),
    Doc(3, {"research_fields": ["储能"], "achievements": ["热管理"]}),
    Doc(4, {"keywords": ["机器视觉", "缺陷检测"]}, frozenset({"advanced_manufacturing"}), True),
]
QUERY = ["储能", "电池管理系统", "锂离子电池", "热管理"]


def test_the_expert_whose_fields_match_ranks_first():
    ranked = MatchIndex(CORPUS).rank(QUERY, tags={"advanced_energy"})
    assert [r.id for r in ranked] == [2, 3]
    best = ranked[0]
    assert best.fit is True and best.leading is True
    assert best.score == pytest.approx(1.35)  # best text match (1.0) + fit 0.25 + leading 0.10
    assert ranked[1].fit is False and ranked[1].leading is False


def test_the_explanation_names_the_matching_terms_per_field():
    best = MatchIndex(CORPUS).rank(QUERY, tags={"advanced_energy"})[0]
    assert [(m.label, m.terms) for m in best.matches] == [
        ("研究领域", ("储能", "电池管理系统")),
        ("关键词", ("锂离子电池", "热管理")),
    ]
    assert best.terms == ["储能", "电池管理系统", "锂离子电池", "热管理"]
    assert (
        best.explanation
        == "研究领域：电池管理系统、储能；关键词：锂离子电池、热管理；学科与行业对口；昌平区主导产业"
    )


def test_excluded_experts_are_never_ranked():
    ranked = MatchIndex(CORPUS).rank(QUERY, exclude={2})
    assert [r.id for r in ranked] == [3]


def test_documents_without_a_shared_term_are_not_recommended_whatever_their_bonus():
    assert MatchIndex(CORPUS).rank(["量子计算"], tags={"advanced_manufacturing"}) == []
    assert [r.id for r in MatchIndex(CORPUS).rank(["缺陷检测"])] == [4]


def test_fit_bonus_breaks_an_equal_text_match():
    docs = [Doc(1, {"keywords": ["储能"]}), Doc(2, {"keywords": ["储能"]}, frozenset({"advanced_energy"}))]
    index = MatchIndex(docs)
    assert [r.id for r in index.rank(["储能"])] == [1, 2]  # tie: lower id first
    assert [r.id for r in index.rank(["储能"], tags={"advanced_energy"})] == [2, 1]


def test_k_limits_the_result_and_an_empty_index_ranks_nothing():
    assert len(MatchIndex(CORPUS).rank(QUERY, k=1)) == 1
    assert MatchIndex([]).rank(QUERY) == []
    assert MatchIndex(CORPUS).rank([]) == []


def test_industry_tags_from_disciplines():
    industries = [("advanced_energy", {"电气工程", "化学"}, True), ("modern_services", {"统计学"}, False)]
    assert matching.industry_tags("电气工程", industries) == (frozenset({"advanced_energy"}), True)
    assert matching.industry_tags("统计学", industries) == (frozenset({"modern_services"}), False)
    assert matching.industry_tags("哲学", industries) == (frozenset(), False)


def test_bm25_scores_equal_the_bm25s_reference():
    import bm25s
    import numpy as np

    from enterprises.matching import BM25

    corpus = [
        ["储能", "电池管理系统", "储能", "热管理"],
        ["抗体偶联药物", "制剂工艺"],
        ["储能", "锂离子电池"],
        ["机器视觉", "缺陷检测", "工业机器人", "机器视觉", "储能"],
        ["有机合成"],
    ]
    reference = bm25s.BM25()  # Lucene variant, k1 = 1.5, b = 0.75
    reference.index(corpus, show_progress=False)
    ours = BM25(corpus)
    for query in (["储能"], ["储能", "热管理"], ["机器视觉", "有机合成", "未知词"], ["未知词"]):
        expected = (
            reference.get_scores(query) if any(t in reference.vocab_dict for t in query) else np.zeros(5)
        )
        assert np.allclose(ours.get_scores(query), expected, rtol=1e-5)
