"""The open-data benchmark behind ``chumchon bench opendata``: what working out open data's empty cells costs for a
country, and what it protects.

A country is made in memory (nothing is read or written in the database): ``funds`` funds spread over 77
provinces, about one a subdistrict (one subdistrict in twenty has two), each over ``years`` fiscal years from its
founding — members (a log-normal size around 550), joining, lapsing, dying and leaving at plausible rates,
contribution payments, members covered by matching money, benefits and recipients — and every area's row the sum
of its funds'. Then, in one run:

- **the baseline**: the rule before the years were tied — each figure and year on its own, small counts and their
  complements under the totals (:meth:`opendata.Tree.hidden`); ``baseline_s``;
- **the rule**: :func:`opendata.hidden_cells` — the same plus the years' chain and the reader's audit; ``rule_s``
  and ``ratio`` = ``rule_s`` / ``baseline_s``;
- **what a reader works out**: the audit (:func:`disclosure.pinned`, every total and every year's sum of the member
  counts) of each: ``pinned_baseline`` hidden member counts a reader could tell under the old rule, and
  ``pinned_rule`` (must be 0) under the rule; and how many cells each leaves empty.
"""

import random
import time
from collections.abc import Callable

from chumchon.insights import disclosure, opendata
from chumchon.insights.opendata import PEOPLE_COUNTS, Node

Out = Callable[[str], object]
PROVINCES = 77


def country(funds: int, years: int, seed: int = 2565) -> tuple[dict[int, dict[Node, tuple]], dict[str, str]]:
    """``(years, fund_subdistrict)`` of a made-up country: year -> node -> counts (``PEOPLE_COUNTS`` order)."""
    rnd = random.Random(seed)  # noqa: S311 (a made-up country, the same for a seed)
    first = 2570 - years
    rows: dict[int, dict[Node, list]] = {first + k: {} for k in range(years)}
    fund_subdistrict = {}
    subdistrict = 0
    for f in range(funds):
        if rnd.random() >= 0.05 or f == 0:
            subdistrict += 1
        province = 10 + subdistrict % PROVINCES
        sub = f"{province:02d}{subdistrict // PROVINCES % 100:02d}{subdistrict // PROVINCES // 100 + 1:02d}"
        code = f"BENCH-{f:05d}"
        fund_subdistrict[code] = sub
        founded = first + min(int(rnd.expovariate(0.5)), years - 1) if rnd.random() < 0.3 else first
        members = 0
        for year in range(founded, first + years):
            if members == 0:
                new = max(1, int(rnd.lognormvariate(6.3, 0.9)))
                lapsed = dead = left = 0
            else:
                new = int(members * rnd.uniform(0, 0.10))
                lapsed = int(members * rnd.uniform(0, 0.04))
                dead = int(members * rnd.uniform(0.005, 0.015))
                left = int(members * rnd.uniform(0, 0.01))
            members += new - lapsed - dead - left
            claims = int(members * rnd.uniform(0.02, 0.3))
            figures = {"members_active": members, "members_new": new, "members_lapsed": lapsed,
                       "members_deceased": dead, "members_left": left,
                       "contribution_payments": members * rnd.randint(1, 12),
                       "grants_members_covered": members if rnd.random() < 0.6 else 0,
                       "benefit_claims": claims, "recipients": int(claims * rnd.uniform(0.6, 1.0))}
            counts = [figures[name] for name in PEOPLE_COUNTS]
            for node in (("fund", code), ("subdistrict", sub), ("province", sub[:2]), ("nation", "TH")):
                row = rows[year].setdefault(node, [0] * len(PEOPLE_COUNTS))
                for i, value in enumerate(counts):
                    row[i] += value
    return {y: {node: tuple(v) for node, v in r.items()} for y, r in rows.items()}, fund_subdistrict


def _pinned(years, fund_subdistrict, hidden) -> int:
    trees = {year: opendata._tree_of(rows, fund_subdistrict) for year, rows in years.items()}
    members = {opendata.PEOPLE_COUNTS.index(name) for name, _, _ in opendata.CHAIN}
    secret = {(y, i, node) for (y, i), nodes in hidden.items() if i in members for node in nodes}
    sums = opendata._member_sums(years, trees, secret)
    return len(disclosure.pinned(sums.values(), lambda c: years[c[0]][c[2]][c[1]], secret))


def run(funds: int = 7600, years: int = 5, out: Out = print) -> dict:
    made = time.perf_counter()
    rows, fund_subdistrict = country(funds, years)
    made = time.perf_counter() - made
    cells = sum(len(r) for r in rows.values()) * len(PEOPLE_COUNTS)
    out(f"A country of {funds:,} funds over {years} years: {cells:,} count cells (made in {made:.1f} s)")

    start = time.perf_counter()
    baseline = {}
    for year, year_rows in rows.items():
        tree = opendata._tree_of(year_rows, fund_subdistrict)
        for i in range(len(PEOPLE_COUNTS)):
            baseline[(year, i)] = tree.hidden({node: counts[i] for node, counts in year_rows.items()})
    baseline_s = time.perf_counter() - start

    start = time.perf_counter()
    rule = opendata.hidden_cells(rows, fund_subdistrict)
    rule_s = time.perf_counter() - start

    primary = sum(1 for r in rows.values() for counts in r.values() for v in counts
                  if 0 < v < opendata.SUPPRESS_BELOW)
    figures = {
        "funds": funds, "years": years, "cells": cells, "small_cells": primary,
        "hidden_baseline": sum(map(len, baseline.values())), "hidden_rule": sum(map(len, rule.values())),
        "baseline_s": round(baseline_s, 3), "rule_s": round(rule_s, 3), "ratio": round(rule_s / baseline_s, 2),
        "pinned_baseline": _pinned(rows, fund_subdistrict, baseline),
        "pinned_rule": _pinned(rows, fund_subdistrict, rule),
    }
    out(f"small counts (1–{opendata.SUPPRESS_BELOW - 1}): {primary:,}")
    out(f"baseline (totals only, year by year): {figures['hidden_baseline']:,} cells empty in {baseline_s:.2f} s; "
        f"a reader works out {figures['pinned_baseline']:,} hidden member counts")
    out(f"the rule (totals, the years' chain, the audit): {figures['hidden_rule']:,} cells empty in {rule_s:.2f} s "
        f"({figures['ratio']}× the baseline); a reader works out {figures['pinned_rule']:,}")
    return figures
