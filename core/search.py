"""Searching the portal's lists (issue 17): what a query means, and how results are ranked.

    terms = search_terms(request.GET.get("q", ""))
    qs = filter_terms(qs, ("name", "uscc", "industry__name"), terms)
    qs = qs.annotate(relevance=relevance({"name": 10, "uscc": 5, "industry__name": 2}, terms, exact="name"))

- A query is split into words at white space and at anything that is not a letter or a digit: Chinese
  and English punctuation, symbols, emoji, control characters (NUL included). Several words mean AND.
  Chinese needs no spaces: a word matches wherever it occurs inside a field (substring), so 电池安全 finds
  "储能材料；电池安全". Matching ignores letter case.
- At most `MAX_TERMS` words of at most `MAX_TERM_LENGTH` characters are used, from the first
  `MAX_QUERY_LENGTH` characters: a 10,000-character paste costs what a short query does.
- The relevance of a row is the sum, over the words, of the weights of the fields that contain the word,
  plus a bonus when a field given as `exact` equals the whole query. Lists sort by it (then by their
  own order) whenever there is a query.

A list that does all three: `search_list(qs, q, weights, exact="name", order=("name",))`.

The talent pool has an index of its own for the same semantics (experts migration 0005: a trigger-kept
search text and a GIN index of its character bigrams, see `bigrams`).
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable, Mapping

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

MAX_QUERY_LENGTH = 200
MAX_TERMS = 5
MAX_TERM_LENGTH = 50
EXACT_BONUS = 100

_SEPARATORS = re.compile(r"[\W_]+")


def search_terms(q: str | None) -> list[str]:
    """The distinct words of a query, lower case, in order (see the module's docstring)."""
    words = _SEPARATORS.split((q or "")[:MAX_QUERY_LENGTH].lower())
    out: list[str] = []
    for word in words:
        word = word[:MAX_TERM_LENGTH]
        if word and word not in out:
            out.append(word)
    return out[:MAX_TERMS]


def bigrams(term: str) -> list[str]:
    """The distinct character pairs of a word (the word itself when it has one character), as the
    database function kjfz_bigrams computes them for the indexed text."""
    term = term.lower()
    if len(term) < 2:
        return [term] if term else []
    return sorted({term[i : i + 2] for i in range(len(term) - 1)})


def caseless(term: str) -> bool:
    """True when letter case cannot matter for the word (Chinese, digits): then a plain, case-sensitive
    LIKE finds exactly what the case-insensitive one finds, without upper-casing every row's text first
    (UPPER of a 70-character Chinese text costs PostgreSQL more than the LIKE itself)."""
    return term.lower() == term.upper()


def contains_lookup(field: str, term: str) -> str:
    """`field__contains` for a caseless word, else `field__icontains`: the same rows either way."""
    return f"{field}__contains" if caseless(term) else f"{field}__icontains"


def filter_terms(queryset: QuerySet, fields: Iterable[str], terms: list[str]) -> QuerySet:
    """Rows where every word occurs in at least one of `fields`."""
    fields = tuple(fields)
    for term in terms:
        queryset = queryset.filter(
            functools.reduce(operator.or_, (Q(**{contains_lookup(f, term): term}) for f in fields))
        )
    return queryset


def relevance(weights: Mapping[str, int], terms: list[str], *, exact: str | None = None):
    """An integer expression: Σ over words of the weights of the fields containing the word, plus
    `EXACT_BONUS` when the field `exact` equals the whole query."""
    parts = [
        Case(When(**{contains_lookup(field, term): term}, then=Value(weight)), default=Value(0))
        for term in terms
        for field, weight in weights.items()
    ]
    whole = " ".join(terms)
    if exact and terms:
        lookup = f"{exact}__exact" if caseless(whole) else f"{exact}__iexact"
        parts.append(
            Case(When(**{lookup: whole}, then=Value(EXACT_BONUS)), default=Value(0))
        )
    if not parts:
        return Value(0, output_field=IntegerField())
    return functools.reduce(operator.add, parts)


def search_list(
    queryset: QuerySet, q: str | None, weights: Mapping[str, int], *, exact: str, order: Iterable[str]
) -> QuerySet:
    """A list's rows for the query `q`: those with every word in one of the fields of `weights`, most
    relevant first (`relevance`, with `exact`), then in the list's own `order`; without a query, every row
    in `order`."""
    terms = search_terms(q)
    if not terms:
        return queryset.order_by(*order)
    return filter_terms(queryset, weights, terms).annotate(
        relevance=relevance(weights, terms, exact=exact)
    ).order_by("-relevance", *order)
