"""The reviewer assignment solver (SPEC §4): conflicts, exactly N, balance, fit, infeasibility (no DB)."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.exceptions import PolicyError
from projects.assignment import ApplicationSlot, ReviewerSlot, assign_reviewers, replacement_pick


def _round(n_apps, n_revs, n, conflict_rate, seed):
    rng = random.Random(seed)
    apps = [
        ApplicationSlot(
            key=f"a{i}",
            need=n,
            conflicts=frozenset(f"r{j}" for j in range(n_revs) if rng.random() < conflict_rate),
            fit={f"r{j}": rng.random() for j in range(n_revs)},
        )
        for i in range(n_apps)
    ]
    return apps, [ReviewerSlot(key=f"r{j}") for j in range(n_revs)]


def test_assign_exactly_n_distinct_conflict_free_and_balanced():
    apps, revs = _round(30, 10, 3, 0.1, seed=1)
    result = assign_reviewers(apps, revs)
    assert result.feasible
    for a in apps:
        got = result.assignments[a.key]
        assert len(got) == 3
        assert len(set(got)) == 3
        assert not set(got) & a.conflicts
    assert sum(result.loads.values()) == 90
    assert set(result.loads.values()) == {9}
    assert result.spread == 0


def test_assign_balance_with_remainder():
    apps, revs = _round(10, 7, 3, 0.0, seed=2)  # 30 units over 7 reviewers: loads 4 and 5
    result = assign_reviewers(apps, revs)
    assert sorted(result.loads.values()) == [4, 4, 4, 4, 4, 5, 5]


def test_assign_prefers_fit_among_balanced():
    apps = [
        ApplicationSlot("a1", 1, fit={"r1": 0.9, "r2": 0.1}),
        ApplicationSlot("a2", 1, fit={"r1": 0.8, "r2": 0.2}),
    ]
    revs = [ReviewerSlot("r1"), ReviewerSlot("r2")]
    result = assign_reviewers(apps, revs)
    # balance first (one each), then the better total fit: a1-r1 + a2-r2 = 1.1 > 0.8 + 0.1
    assert result.assignments == {"a1": ["r1"], "a2": ["r2"]}
    assert result.total_fit == pytest.approx(1.1)


def test_assign_balance_beats_fit():
    apps = [ApplicationSlot(f"a{i}", 1, fit={"r1": 1.0, "r2": 0.0}) for i in range(4)]
    result = assign_reviewers(apps, [ReviewerSlot("r1"), ReviewerSlot("r2")])
    assert result.loads == {"r1": 2, "r2": 2}


def test_assign_infeasible_reports_affected_applications():
    apps = [
        ApplicationSlot("a1", 3, conflicts=frozenset({"r1", "r2"})),  # only r3 and r4 left
        ApplicationSlot("a2", 3),
    ]
    revs = [ReviewerSlot(f"r{j}") for j in range(1, 5)]
    result = assign_reviewers(apps, revs)
    assert not result.feasible
    assert result.short == {"a1": 1}
    assert sorted(result.assignments["a1"]) == ["r3", "r4"]
    assert len(result.assignments["a2"]) == 3


def test_assign_respects_capacity_and_existing_load():
    apps = [ApplicationSlot(f"a{i}", 1) for i in range(4)]
    revs = [ReviewerSlot("r1", capacity=1), ReviewerSlot("r2", load=2), ReviewerSlot("r3")]
    result = assign_reviewers(apps, revs)
    assert result.feasible
    assert result.loads["r1"] == 1
    assert sorted([result.loads["r2"], result.loads["r3"]]) == [2, 3]  # existing load counts


def test_assign_capacity_too_small_is_short():
    apps = [ApplicationSlot(f"a{i}", 2) for i in range(3)]
    revs = [ReviewerSlot("r1", capacity=2), ReviewerSlot("r2", capacity=2)]
    result = assign_reviewers(apps, revs)
    assert sum(result.short.values()) == 2
    assert result.loads == {"r1": 2, "r2": 2}


def test_assign_without_reviewers_leaves_everyone_short():
    result = assign_reviewers([ApplicationSlot("a1", 3)], [])
    assert result.short == {"a1": 3}


def test_assign_rejects_bad_input():
    with pytest.raises(PolicyError):
        assign_reviewers([ApplicationSlot("a1", -1)], [ReviewerSlot("r1")])
    with pytest.raises(PolicyError):
        assign_reviewers([ApplicationSlot("a1", 1), ApplicationSlot("a1", 1)], [ReviewerSlot("r1")])


def test_assign_greedy_trap_is_solved():
    # A greedy pass that gives a1 its best reviewers (r1, r2) leaves a2 with only r3.
    apps = [
        ApplicationSlot("a1", 2, fit={"r1": 1.0, "r2": 1.0, "r3": 0.9}),
        ApplicationSlot("a2", 2, conflicts=frozenset({"r3"})),
        ApplicationSlot("a3", 2, conflicts=frozenset({"r1", "r2"})),
    ]
    revs = [
        ReviewerSlot("r1", capacity=2),
        ReviewerSlot("r2", capacity=2),
        ReviewerSlot("r3", capacity=2),
        ReviewerSlot("r4", capacity=2),
    ]
    result = assign_reviewers(apps, revs)
    assert result.feasible
    assert all(len(v) == 2 for v in result.assignments.values())


@settings(max_examples=120, deadline=None)
@given(
    n_apps=st.integers(min_value=1, max_value=25),
    n_revs=st.integers(min_value=1, max_value=12),
    n=st.integers(min_value=1, max_value=4),
    conflict_rate=st.floats(min_value=0.0, max_value=0.7),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_assign_property_never_violates_a_conflict(n_apps, n_revs, n, conflict_rate, seed):
    apps, revs = _round(n_apps, n_revs, n, conflict_rate, seed)
    result = assign_reviewers(apps, revs)
    counted = Counter()
    for a in apps:
        got = result.assignments[a.key]
        assert not set(got) & a.conflicts  # COI never violated
        assert len(set(got)) == len(got)  # nobody twice on one application
        assert len(got) + result.short.get(a.key, 0) == n
        eligible = n_revs - len(a.conflicts)
        if eligible < n:  # too few conflict-free reviewers: it must be reported short
            assert result.short[a.key] >= n - eligible
        counted.update(got)
    assert {k: counted.get(k, 0) for k in result.loads} == result.loads
    if not conflict_rate and result.feasible:
        assert result.spread <= 1


@settings(max_examples=60, deadline=None)
@given(n_apps=st.integers(1, 30), n_revs=st.integers(3, 12), seed=st.integers(0, 10_000))
def test_assign_property_balanced_without_conflicts(n_apps, n_revs, seed):
    apps, revs = _round(n_apps, n_revs, 3, 0.0, seed)
    result = assign_reviewers(apps, revs)
    assert result.feasible
    assert result.spread <= 1


def test_replacement_pick_least_loaded_then_fit():
    loads = {"r1": 2, "r2": 1, "r3": 1, "r4": 0}
    assert replacement_pick(conflicts={"r4"}, fit={"r2": 0.2, "r3": 0.7}, loads=loads) == "r3"
    assert replacement_pick(conflicts={"r1", "r2", "r3", "r4"}, fit={}, loads=loads) is None
    assert replacement_pick(conflicts=set(), fit={}, loads=loads, capacities={"r4": 0}) in {"r2", "r3"}
