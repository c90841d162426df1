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


# --- the portal's ranker: cosine-normalised BM25F, IDF-weighted query (issue 17 item 4) ---------------


@pytest.mark.parametrize(
    ("corpus", "weights", "repeated"),
    [
        # a field weight of 2 counts its tokens twice: the same scores as writing them twice
        ([["储能", "热管理"], ["储能"]], [[2, 1], [1]], [["储能", "储能", "热管理"], ["储能"]]),
        (
            [["机器视觉"], ["机器视觉", "缺陷检测"]],
            [[1], [3, 1]],
            [["机器视觉"], ["机器视觉"] * 3 + ["缺陷检测"]],
        ),
        ([["有机合成"], []], [[1], []], [["有机合成"], []]),
    ],
)
def test_bm25f_field_weights_count_like_repeated_tokens(corpus, weights, repeated):
    import numpy as np

    from enterprises.matching import BM25

    for query in (["储能"], ["热管理", "储能"], ["机器视觉", "缺陷检测"], ["有机合成"]):
        assert np.allclose(
            BM25(corpus, weights=weights).get_scores(query), BM25(repeated).get_scores(query), rtol=1e-5
        )


FOCUSED = Doc(1, {"research_fields": ["储能", "电池管理系统"]})
CROWDED = Doc(
    2,
    {"research_fields": ["储能", "电池管理系统"], "keywords": ["机器视觉", "有机合成", "疫苗", "5g", "通信"]},
)


@pytest.mark.parametrize(
    ("docs", "query", "expected_order", "why"),
    [
        ([CROWDED, FOCUSED], ["储能", "电池管理系统"], [1, 2], "same matches: the focused profile first"),
        (
            [
                Doc(1, {"keywords": ["储能"]}),
                Doc(2, {"keywords": ["储能", "固态电池"]}),
                Doc(3, {"keywords": ["光伏"]}),
            ],
            ["储能", "固态电池"],
            [2, 1],
            "two shared terms before one",
        ),
        (
            [
                Doc(1, {"keywords": ["储能", "光伏"]}),
                Doc(2, {"keywords": ["储能", "光伏"]}),
                Doc(3, {"keywords": ["储能", "光伏"]}),
                Doc(4, {"keywords": ["储能", "氢能"]}),
            ],
            ["光伏", "氢能"],
            [4, 1, 2, 3],
            "the rarer shared term (氢能, in one profile) weighs more than the common one (光伏, in three)",
        ),
    ],
)
def test_ranker_order(docs, query, expected_order, why):
    assert [r.id for r in MatchIndex(docs).rank(query)] == expected_order, why


@pytest.mark.parametrize(
    ("doc", "query", "expected"),
    [
        (Doc(1, {"keywords": ["储能", "热管理"]}), ["储能", "热管理"], 1.0),  # the query itself: cosine 1
        (Doc(1, {"keywords": ["储能", "热管理"]}), ["热管理", "储能", "储能"], 1.0),  # repeats change nothing
        (Doc(1, {"keywords": ["储能"]}), ["量子计算"], None),  # nothing shared: not ranked
    ],
)
def test_text_score_is_a_cosine(doc, query, expected):
    other = Doc(2, {"keywords": ["机器视觉"]})  # a second profile, so that the terms have an IDF above 0
    ranked = [r for r in MatchIndex([doc, other]).rank(query) if r.id == 1]
    if expected is None:
        assert ranked == []
    else:
        assert ranked[0].text_score == pytest.approx(expected, abs=1e-3)


def test_text_scores_stay_between_0_and_1_and_the_best_match_scores_1_before_bonuses():
    docs = [Doc(d.id, d.fields) for d in CORPUS]  # without the fit and leading bonuses
    ranked = MatchIndex(docs).rank(QUERY)
    assert all(0 < r.text_score <= 1 for r in ranked)
    assert ranked[0].score == pytest.approx(1.0)
