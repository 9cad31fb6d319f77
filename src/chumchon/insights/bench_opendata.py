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
  ``pinned_rule`` (must be 0) under the rule; and how many cells each leaves empty;
- **money**: the money of the hidden counts and its complements (:func:`opendata.hidden_cells` over
  :data:`opendata.MONEY`, each year's fund money following from the last): ``money_s``, ``hidden_money``, and
  ``pinned_money`` (must be 0), the hidden money cells a reader works out.
"""

import random
import time
from collections.abc import Callable

from chumchon.insights import disclosure, opendata
from chumchon.insights.opendata import PEOPLE_COUNTS, Node

Out = Callable[[str], object]
PROVINCES = 77


def country(funds: int, years: int, seed: int = 2565) -> tuple[dict, dict, dict[str, str]]:
    """``(counts, money, fund_subdistrict)`` of a made-up country: year -> node -> the counts
    (``PEOPLE_COUNTS`` order), and year -> node -> the money in satang (``opendata.MONEY.names`` order; each
    year's fund money the last year's plus what came in less the benefits)."""
    rnd = random.Random(seed)  # noqa: S311 (a made-up country, the same for a seed)
    first = 2570 - years
    rows: dict[int, dict[Node, list]] = {first + k: {} for k in range(years)}
    money_rows: dict[int, dict[Node, list]] = {first + k: {} for k in range(years)}
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
        members = fund_money = 0
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
            baht = {"contributions": figures["contribution_payments"] * rnd.choice((30, 31, 365)),
                    "grant_government": figures["grants_members_covered"] * rnd.randint(100, 365),
                    "grant_local": rnd.choice((0, 0, rnd.randint(5_000, 100_000))),
                    "grant_donations": rnd.choice((0, 0, 0, rnd.randint(500, 20_000))),
                    "grant_other": rnd.choice((0,) * 9 + (rnd.randint(1_000, 50_000),))}
            satang = {name: value * 100 for name, value in baht.items()}
            came_in = sum(satang.values())
            satang["benefits_paid"] = min(fund_money + came_in, figures["recipients"] * rnd.randint(500, 3_000) * 100)
            fund_money += came_in - satang["benefits_paid"]
            satang["fund_money"] = fund_money
            money = [satang[name] for name in opendata.MONEY.names]
            for node in (("fund", code), ("subdistrict", sub), ("province", sub[:2]), ("nation", "TH")):
                for table, values in ((rows, counts), (money_rows, money)):
                    row = table[year].setdefault(node, [0] * len(values))
                    for i, value in enumerate(values):
                        row[i] += value
    return ({y: {node: tuple(v) for node, v in r.items()} for y, r in rows.items()},
            {y: {node: tuple(v) for node, v in r.items()} for y, r in money_rows.items()}, fund_subdistrict)


def _pinned(years, fund_subdistrict, hidden, system: opendata.System = opendata.COUNTS) -> int:
    """How many hidden cells of the figures ``system`` chains a reader works out from every total and every
    year's sum."""
    trees = {year: opendata._tree_of(rows, fund_subdistrict) for year, rows in years.items()}
    secret = {(y, i, node) for (y, i), nodes in hidden.items() if i in system.chained for node in nodes}
    sums = opendata._reader_sums(years, trees, secret, system)
    return len(disclosure.pinned(sums.values(), lambda c: years[c[0]][c[2]][c[1]], secret))


def run(funds: int = 7600, years: int = 5, out: Out = print) -> dict:
    made = time.perf_counter()
    rows, money, fund_subdistrict = country(funds, years)
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

    start = time.perf_counter()
    money_hidden = opendata.hidden_cells(money, fund_subdistrict, opendata.MONEY, opendata.linked_money(rule))
    money_s = time.perf_counter() - start

    primary = sum(1 for r in rows.values() for counts in r.values() for v in counts
                  if 0 < v < opendata.SUPPRESS_BELOW)
    figures = {
        "funds": funds, "years": years, "cells": cells, "small_cells": primary,
        "hidden_baseline": sum(map(len, baseline.values())), "hidden_rule": sum(map(len, rule.values())),
        "baseline_s": round(baseline_s, 3), "rule_s": round(rule_s, 3), "ratio": round(rule_s / baseline_s, 2),
        "pinned_baseline": _pinned(rows, fund_subdistrict, baseline),
        "pinned_rule": _pinned(rows, fund_subdistrict, rule),
        "money_s": round(money_s, 3), "hidden_money": sum(map(len, money_hidden.values())),
        "money_linked": sum(map(len, opendata.linked_money(rule).values())),
        "pinned_money": _pinned(money, fund_subdistrict, money_hidden, opendata.MONEY),
    }
    out(f"small counts (1–{opendata.SUPPRESS_BELOW - 1}): {primary:,}")
    out(f"baseline (totals only, year by year): {figures['hidden_baseline']:,} cells empty in {baseline_s:.2f} s; "
        f"a reader works out {figures['pinned_baseline']:,} hidden member counts")
    out(f"the rule (totals, the years' chain, the audit): {figures['hidden_rule']:,} cells empty in {rule_s:.2f} s "
        f"({figures['ratio']}× the baseline); a reader works out {figures['pinned_rule']:,}")
    out(f"money (the money of hidden counts, its complements, the years' chain of fund money, the audit): "
        f"{figures['money_linked']:,} cells hidden with their counts, {figures['hidden_money']:,} empty in "
        f"{money_s:.2f} s; a reader works out {figures['pinned_money']:,}")
    return figures
