"""Segmentation (layer 1 of the matching engine): jieba with the domain dictionary
`enterprises/data/tech_terms.txt`, so that technical terms stay whole, stopwords and single characters
dropped, a compound followed by the dictionary terms inside it; and the digest that lets an unchanged
profile skip re-segmentation.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

TERMS_PATH = Path(__file__).resolve().parent.parent / "data" / "tech_terms.txt"

# Words that say nothing about a technical match.
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "等",
        "在",
        "对",
        "为",
        "将",
        "把",
        "被",
        "从",
        "以",
        "于",
        "由",
        "中",
        "上",
        "下",
        "内",
        "外",
        "其",
        "该",
        "本",
        "各",
        "每",
        "并",
        "且",
        "而",
        "也",
        "又",
        "就",
        "都",
        "是",
        "有",
        "无",
        "我们",
        "我司",
        "公司",
        "企业",
        "单位",
        "需求",
        "需要",
        "希望",
        "进行",
        "开展",
        "相关",
        "方面",
        "领域",
        "技术",
        "研究",
        "开发",
        "研发",
        "工作",
        "项目",
        "问题",
        "能力",
        "经验",
        "负责",
        "协助",
        "提供",
        "具有",
        "具备",
        "熟悉",
        "主要",
        "重点",
        "包括",
        "以及",
        "通过",
        "实现",
        "提升",
        "提高",
        "推动",
        "建立",
        "完善",
        "形成",
        "围绕",
        "针对",
        "面向",
        "一个",
        "一种",
        "方法",
        "系统",
        "应用",
        "基于",
        "进展",
        "综述",
        "及其",
        "关键",
        "国家",
        "北京",
        "昌平",
        "专家",
        "团队",
        "平台",
        "岗位",
        "合作",
        "支持",
        "参与",
        "左右",
        "以上",
        "以下",
        "目前",
        "已经",
        "可以",
        "能够",
    ]
)

_ASCII_TOKEN = re.compile(r"^[a-z0-9][a-z0-9.+\-]*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def load_terms(path: Path = TERMS_PATH) -> list[str]:
    """The domain dictionary: one term a line, "#" lines are headings or comments."""
    terms = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            terms.append(line)
    return terms


_jieba_lock = threading.Lock()


@lru_cache(maxsize=1)
def _term_set() -> frozenset[str]:
    return frozenset(t.lower() for t in load_terms())


def _sub_terms(word: str) -> list[str]:
    """Dictionary terms inside a longer dictionary term ("碳纤维复合材料" → 碳纤维, 复合材料), so that a
    compound still matches its parts."""
    terms = _term_set()
    if len(word) < 4 or word not in terms:
        return []
    found = []
    for size in range(len(word) - 1, 1, -1):
        for start in range(len(word) - size + 1):
            part = word[start : start + size]
            if part in terms and part not in found:
                found.append(part)
    return found


@lru_cache(maxsize=1)
def _tokenizer():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _jieba_lock:
        tk = jieba.Tokenizer()
        tk.initialize()
        for term in load_terms():
            # A high frequency keeps the term whole even next to words that would pair with its parts.
            tk.add_word(term, freq=200_000)
    return tk


def tokenize(text: str) -> list[str]:
    """Segment `text` into matching tokens: technical terms whole, stopwords, punctuation and single
    characters dropped, Latin letters lower-cased ("mRNA疫苗" → ["mrna疫苗"], "5G" → ["5g"]); a
    compound term is followed by the dictionary terms inside it ("储能系统" → ["储能系统", "储能"])."""
    if not text:
        return []
    tokens = []
    for word in _tokenizer().cut(text, HMM=False):
        word = word.strip().lower()
        if len(word) < 2 or word in STOPWORDS:
            continue
        if _CJK.search(word) or _ASCII_TOKEN.match(word):
            tokens.append(word)
            tokens.extend(_sub_terms(word))
    return tokens


def tokenize_fields(fields: Mapping[str, str]) -> dict[str, list[str]]:
    """{"keywords": "储能、电池管理系统"} → {"keywords": ["储能", "电池管理系统"]} (empty fields left out)."""
    result = {}
    for name, text in fields.items():
        tokens = tokenize(text)
        if tokens:
            result[name] = tokens
    return result


def fields_hash(fields: Mapping[str, str]) -> str:
    """A digest of the source text and the dictionary, to skip re-segmenting unchanged profiles."""
    digest = hashlib.sha256()
    digest.update(str(TERMS_PATH.stat().st_mtime_ns).encode())
    for name in sorted(fields):
        digest.update(f"\x1e{name}\x1f{fields[name]}".encode())
    return digest.hexdigest()
