"""Optimal reviewer assignment for a review round (SPEC §4), as a min-cost flow. Pure: no database.

Network (OR-tools `SimpleMinCostFlow`):

    source ──(need_a)──▶ application a ──(cap 1, fit cost)──▶ reviewer r ──(unit arcs, convex)──▶ sink

* an application → reviewer arc exists only when the pair has no conflict of interest (and the reviewer
  is not already on the application), with capacity 1, so nobody reviews one application twice;
* each application asks for exactly `need` units (N minus reviewers it already has);
* each reviewer reaches the sink through unit arcs whose costs grow like the squares of the load
  (k-th unit costs (2·(load₀+k)−1)·BALANCE), so the flow of least cost has the smallest sum of squared
  loads: when a distribution with max − min ≤ 1 exists, only such distributions are optimal;
* the fit of a pair (0…1, higher is better, e.g. the matching engine's text score) is a much smaller
  cost, so among the balanced assignments the solver prefers the best-fitting one.

`solve_max_flow_with_min_cost` is used so that an infeasible round still gets the largest possible
assignment; the applications left short are reported with how many reviewers each lacks.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from core.exceptions import PolicyError

#: Fit scores are turned into integer costs with this resolution.
FIT_SCALE = 1000


@dataclass(frozen=True)
class ApplicationSlot:
    """An application to be reviewed: how many reviewers it still needs and whom it must not get."""

    key: Hashable
    need: int
    #: Reviewers excluded for a conflict of interest (or because they are already on the application).
    conflicts: frozenset = frozenset()
    #: reviewer key -> fit in [0, 1]; a missing pair counts as 0.
    fit: Mapping[Hashable, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewerSlot:
    key: Hashable
    #: Most assignments this reviewer may hold in the round (None: no limit).
    capacity: int | None = None
    #: Assignments the reviewer already holds in the round (they count towards balance and capacity).
    load: int = 0


@dataclass
class AssignmentResult:
    #: application key -> reviewer keys assigned by this run (in the order of the reviewers given)
    assignments: dict[Hashable, list[Hashable]]
    #: reviewer key -> total load after the run (existing load included)
    loads: dict[Hashable, int]
    #: application key -> number of reviewers it still lacks (only applications left short)
    short: dict[Hashable, int]
    #: total fit of the new pairs
    total_fit: float

    @property
    def feasible(self) -> bool:
        return not self.short

    @property
    def spread(self) -> int:
        """max − min load over the reviewers (0 with no reviewer)."""
        return max(self.loads.values()) - min(self.loads.values()) if self.loads else 0

    def pairs(self) -> list[tuple[Hashable, Hashable]]:
        return [(a, r) for a, rs in self.assignments.items() for r in rs]


def assign_reviewers(applications: Iterable[ApplicationSlot],
                     reviewers: Iterable[ReviewerSlot]) -> AssignmentResult:
    """Assign reviewers to applications: conflict-free, exactly `need` each where possible, balanced,
    best fit. Deterministic for a given input order."""
    apps = list(applications)
    revs = list(reviewers)
    if len({a.key for a in apps}) != len(apps):
        raise PolicyError("申请重复")
    if len({r.key for r in revs}) != len(revs):
        raise PolicyError("评审专家重复")
    for a in apps:
        if a.need < 0:
            raise PolicyError("每个申请所需评审专家人数不能为负数")
    for r in revs:
        if r.load < 0 or (r.capacity is not None and r.capacity < 0):
            raise PolicyError("评审专家的容量和已分配数不能为负数")

    total = sum(a.need for a in apps)
    if total == 0 or not revs:
        return AssignmentResult(
            assignments={a.key: [] for a in apps},
            loads={r.key: r.load for r in revs},
            short={a.key: a.need for a in apps if a.need},
            total_fit=0.0,
        )

    n_apps, n_revs = len(apps), len(revs)
    source, sink = 0, 1 + n_apps + n_revs

    # Balance dominates fit: the whole fit cost of a round is below one BALANCE step.
    balance = total * FIT_SCALE + 1
    final_load = total + sum(r.load for r in revs)
    target = -(-final_load // n_revs)  # ceil: the load a balanced round never exceeds
    unit_arcs = 2 * target + 2

    rev_keys = [r.key for r in revs]
    rev_nodes = np.arange(1 + n_apps, 1 + n_apps + n_revs, dtype=np.int32)
    tail_parts: list[np.ndarray] = []
    head_parts: list[np.ndarray] = []
    cap_parts: list[np.ndarray] = []
    cost_parts: list[np.ndarray] = []

    needy = [i for i, a in enumerate(apps) if a.need]
    tail_parts.append(np.zeros(len(needy), dtype=np.int32))
    head_parts.append(np.array([1 + i for i in needy], dtype=np.int32))
    cap_parts.append(np.array([apps[i].need for i in needy], dtype=np.int64))
    cost_parts.append(np.zeros(len(needy), dtype=np.int64))
    pair_start = len(needy)

    # application -> reviewer arcs, one row of reviewers per application (conflicts left out)
    pair_apps: list[np.ndarray] = []
    pair_revs: list[np.ndarray] = []
    pair_fits: list[np.ndarray] = []
    for i in needy:
        a = apps[i]
        fit_get = a.fit.get
        fits = np.clip(np.fromiter((fit_get(k, 0.0) for k in rev_keys), dtype=np.float64, count=n_revs),
                       0.0, 1.0)
        if a.conflicts:
            keep = np.fromiter((k not in a.conflicts for k in rev_keys), dtype=bool, count=n_revs)
            cols = np.flatnonzero(keep).astype(np.int32)
        else:
            cols = np.arange(n_revs, dtype=np.int32)
        pair_apps.append(np.full(len(cols), i, dtype=np.int32))
        pair_revs.append(cols)
        pair_fits.append(fits[cols])
    all_apps = np.concatenate(pair_apps) if pair_apps else np.zeros(0, dtype=np.int32)
    all_revs = np.concatenate(pair_revs) if pair_revs else np.zeros(0, dtype=np.int32)
    all_fits = np.concatenate(pair_fits) if pair_fits else np.zeros(0, dtype=np.float64)
    tail_parts.append(all_apps + 1)
    head_parts.append(rev_nodes[all_revs])
    cap_parts.append(np.ones(len(all_apps), dtype=np.int64))
    cost_parts.append(np.rint((1.0 - all_fits) * FIT_SCALE).astype(np.int64))

    # reviewer -> sink: unit arcs with convex (square-law) cost, then one dear arc for the rest
    tails: list[int] = []
    caps: list[int] = []
    costs: list[int] = []
    for j, r in enumerate(revs):
        room = total if r.capacity is None else max(r.capacity - r.load, 0)
        room = min(room, n_apps)
        singles = min(room, unit_arcs)
        node = 1 + n_apps + j
        for k in range(1, singles + 1):
            tails.append(node)
            caps.append(1)
            costs.append((2 * (r.load + k) - 1) * balance)
        if room > singles:  # beyond any balanced load: dearer than every unit arc before it
            tails.append(node)
            caps.append(room - singles)
            costs.append((2 * (r.load + singles) + 1) * balance * 4)
    tail_parts.append(np.array(tails, dtype=np.int32))
    head_parts.append(np.full(len(tails), sink, dtype=np.int32))
    cap_parts.append(np.array(caps, dtype=np.int64))
    cost_parts.append(np.array(costs, dtype=np.int64))

    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tail_parts), np.concatenate(head_parts), np.concatenate(cap_parts),
        np.concatenate(cost_parts),
    )
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise PolicyError(f"评审分配求解失败（状态 {status}）")

    n_pairs = len(all_apps)
    used = flow.flows(np.arange(pair_start, pair_start + n_pairs, dtype=np.int32)) > 0
    assignments: dict[Hashable, list[Hashable]] = {a.key: [] for a in apps}
    loads = {r.key: r.load for r in revs}
    for i, j in zip(all_apps[used].tolist(), all_revs[used].tolist(), strict=True):
        assignments[apps[i].key].append(rev_keys[j])
        loads[rev_keys[j]] += 1
    total_fit = float(all_fits[used].sum())
    short = {a.key: a.need - len(assignments[a.key]) for a in apps if len(assignments[a.key]) < a.need}
    return AssignmentResult(assignments=assignments, loads=loads, short=short, total_fit=total_fit)


def replacement_pick(*, conflicts: Iterable[Hashable], fit: Mapping[Hashable, float],
                     loads: Mapping[Hashable, int], capacities: Mapping[Hashable, int | None] | None = None
                     ) -> Hashable | None:
    """The reviewer who replaces a withdrawn one on an application: not conflicted (the caller puts the
    application's current and withdrawn reviewers into `conflicts`), with room, the least loaded, then the
    best fit, then the first given. None when nobody is left."""
    excluded = set(conflicts)
    capacities = capacities or {}
    best = None
    best_key = None
    for order, (reviewer, load) in enumerate(loads.items()):
        if reviewer in excluded:
            continue
        cap = capacities.get(reviewer)
        if cap is not None and load >= cap:
            continue
        key = (load, -float(fit.get(reviewer, 0.0)), order)
        if best_key is None or key < best_key:
            best, best_key = reviewer, key
    return best
