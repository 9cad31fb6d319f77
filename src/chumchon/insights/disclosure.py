"""What a reader can work out from published sums: the audit behind open data's suppression
(:mod:`chumchon.insights.opendata`).

A reader of the open data knows every published cell, that each total is the sum of its parts and that each
year's member count follows from the year before (``opendata.CHAIN``), and that a hidden cell is a whole number
of at least 1 (zero is published). :func:`pinned` works as such a reader would, in two steps:

1. **Adding and subtracting sums** (:func:`reduced`): the sums over the hidden cells are brought to reduced row
   echelon form, exactly (fractions), group of connected cells by group — every equation the published figures
   imply, each in as few hidden cells as can be. One left with a single hidden cell gives it back, whatever the
   bounds: 13 joining in a subdistrict, 9 of them in one fund, 4 in the other two, and the same 4 lapsed there,
   give the third fund's lapsed as 5 − 4 = 1.
2. **Bounds** (:func:`bounded`): each hidden cell starts at "1 or more", and every sum — the published ones and
   the derived ones — narrows the bounds of its cells (whole numbers) until nothing narrows further: a fund's 2
   joining, with its 1 death and 1 member at the year's end hidden, are still "at least 2".

A cell left with one possible value is pinned. This is what a reader with a spreadsheet and patience gets; a
reader solving every sum as an integer programme could, rarely, still narrow a cell further (docs/insights.md).
"""

import math
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Sequence
from fractions import Fraction

Cell = Hashable
Terms = Sequence[tuple[Cell, int]]  # (cell, coefficient), adding up to 0
Row = tuple[dict, Fraction | int]  # {cell: coefficient}, and what the terms add up to

UNBOUNDED = 10 ** 12  # the reader's upper bound of a hidden cell before any sum narrows it
# A loop of sums can narrow a wide bound by a step at a time for a long while: a cell narrows at most
# MAX_NARROWINGS times (then its bounds stay as they are — wider than a patient reader's, never wrong).
MAX_NARROWINGS = 256


def pinned(equations: Iterable[Terms], value: Callable[[Cell], int], secret: set[Cell],
           clean: set[frozenset] | None = None, limit: int | None = None,
           why: dict | None = None) -> dict[Cell, int]:
    """The cells of ``secret`` (each a whole number of at least 1) that ``equations`` — every other cell published,
    with ``value(cell)`` — leave with a single possible value, and that value.

    The hidden cells fall into groups tied by sums (a fund's years, a subdistrict's funds); each group is worked
    out alone. ``clean``, when given, holds the groups found with nothing pinned by an earlier call (a group with
    the same hidden cells has the same sums: cells are only ever added) — they are skipped, and the groups found
    clean now are added.

    ``limit`` makes a quicker, weaker reader: a sum that would tie groups into one of more than ``limit`` cells
    is left out, so every group stays small. What it pins is pinned all the same (fewer sums never pin more
    than all of them); it may miss what only the left-out sums give away, so a caller finishes without it.

    ``why``, when given, is filled for each cell pinned by adding and subtracting sums with the published cells
    that the sums it came from still hold when added up (:func:`_published`): hiding one of them breaks that way
    of working it out — the complement to take, rather than one of a sum the reader did not need."""
    equations = list(equations)
    rows: list[tuple[dict, int, int]] = []
    for k, terms in enumerate(equations):
        known, unknown = 0, defaultdict(int)
        for cell, coefficient in terms:
            if cell in secret:
                unknown[cell] += coefficient
            else:
                known += coefficient * value(cell)
        unknown = {cell: c for cell, c in unknown.items() if c}
        if unknown:
            rows.append((unknown, -known, k))
    found: dict[Cell, int] = {}
    for cells, group in _groups(rows, limit):
        if clean is not None and cells in clean:
            continue
        pairs = [(row, target) for row, target, _ in group]
        derived = reduced(pairs, [k for _, _, k in group] if why is not None else None)
        here = {}
        for row, target, sources in derived:
            if len(row) == 1 and target.denominator == 1 and target >= 1:  # (below 1: the figures do not add up)
                cell = next(iter(row))
                here[cell] = int(target)
                if why is not None:
                    why[cell] = _published(sources, equations, secret)
        here.update(bounded(pairs + [_whole((row, target)) for row, target, _ in derived if len(row) > 1], cells))
        found.update(here)
        if clean is not None and not here:
            clean.add(cells)
    return found


def _groups(rows: list[tuple[dict, int, int]], limit: int | None = None) -> list[tuple[frozenset, list]]:
    """``rows`` (``{cell: coefficient}``, target, name) split into groups of cells tied by them (union-find), each
    with its rows, in a fixed order; with ``limit``, a row that would make a group of more than ``limit`` cells is
    left out."""
    parent: dict = {}
    size: dict = {}

    def root(cell):
        while parent.setdefault(cell, cell) != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    kept = []
    for row in rows:
        first = root(next(iter(row[0])))
        others = {root(cell) for cell in row[0]} - {first}
        if limit is not None and others and size.get(first, 1) + sum(size.get(r, 1) for r in others) > limit:
            continue
        for other in others:
            parent[other] = first
            size[first] = size.get(first, 1) + size.get(other, 1)
        kept.append(row)
    grouped: dict = defaultdict(list)
    for row in kept:
        grouped[root(next(iter(row[0])))].append(row)
    members: dict = defaultdict(set)
    for cell in parent:
        members[root(cell)].add(cell)
    return [(frozenset(members[key]), group) for key, group in grouped.items()]


def _whole(row: Row) -> Row:
    """A derived row with whole-number coefficients and target (times the denominators' least common multiple):
    the bounds' arithmetic stays in integers."""
    cells, target = row
    scale = math.lcm(target.denominator, *(c.denominator for c in cells.values()))
    return {cell: int(c * scale) for cell, c in cells.items()}, int(target * scale)


def _published(sources: dict, equations: Sequence[Terms], secret: set[Cell]) -> list[Cell]:
    """The published cells left when the equations ``sources`` (index -> multiple) are added up."""
    net: dict = defaultdict(int)
    for k, times in sources.items():
        for cell, c in equations[k]:
            if cell not in secret:
                net[cell] += times * c
    return [cell for cell, c in net.items() if c]


def reduced(rows: Sequence[Row], sources: Sequence[int] | None = None) -> list[tuple[dict, Fraction | int, dict]]:
    """The reduced row echelon form of ``rows`` (exact, sparse): each row's first cell (its pivot) in no other
    row, with what the row was made of — ``{source: multiple}`` over ``sources`` (the rows' own names) when given,
    else ``{}``. Rows that reduce to nothing are dropped; a row that reduces to 0 = something (figures that do not
    add up) is dropped too — it tells a reader nothing sure. A cell is pivoted where it appears least, which keeps
    the rows short."""
    count = Counter(cell for row, _ in rows for cell in row)
    pivots: dict[Cell, list] = {}  # pivot cell -> [row dict, target, what it was made of]
    holding: dict[Cell, set] = defaultdict(set)  # cell -> the pivots whose rows hold it

    def subtract(into: dict, target: Fraction, times: Fraction, row: dict, row_target: Fraction, owner):
        for cell, c in row.items():
            now = into.get(cell, 0) - times * c
            if now:
                into[cell] = now
                if owner is not None:
                    holding[cell].add(owner)
            else:
                into.pop(cell, None)
                if owner is not None:
                    holding[cell].discard(owner)
        return target - times * row_target

    def made_of(into: dict, times, of: dict) -> None:  # into -= times * of
        for source, c in of.items():
            now = into.get(source, 0) - times * c
            if now:
                into[source] = now
            else:
                into.pop(source, None)

    for n, (row, target) in enumerate(rows):
        row = dict(row)
        of = {sources[n]: 1} if sources is not None else {}
        while True:
            known = [cell for cell in row if cell in pivots]
            if not known:
                break
            for cell in known:
                if cell in row:
                    pivot_row, pivot_target, pivot_of = pivots[cell]
                    times = row[cell]
                    target = subtract(row, target, times, pivot_row, pivot_target, None)
                    made_of(of, times, pivot_of)
        if not row:
            continue
        pivot = min(row, key=lambda cell: (count[cell], repr(cell)))
        scale = row[pivot]
        if scale in (1, -1):  # whole numbers stay whole (ints: most sums have coefficients of 1 and -1)
            row = {cell: c * scale for cell, c in row.items()}
            target = target * scale
            of = {source: c * scale for source, c in of.items()}
        else:
            row = {cell: Fraction(c) / scale for cell, c in row.items()}
            target = Fraction(target) / scale
            of = {source: Fraction(c) / scale for source, c in of.items()}
        for owner in list(holding.get(pivot, ())):  # the pivot leaves every other row
            other = pivots[owner]
            if pivot in other[0]:
                times = other[0][pivot]
                other[1] = subtract(other[0], other[1], times, row, target, owner)
                made_of(other[2], times, of)
        holding.pop(pivot, None)
        pivots[pivot] = [row, target, of]
        for cell in row:
            if cell != pivot:
                holding[cell].add(pivot)
    return [tuple(pivot) for pivot in pivots.values()]


def bounded(rows: Sequence[Row], secret: set[Cell]) -> dict[Cell, int]:
    """The cells of ``secret`` that ``rows`` (``{cell: coefficient}`` adding up to a target) and "each cell a
    whole number of at least 1" narrow to one value. Each row keeps the least and the most its terms can add up
    to, updated as a cell narrows; its slack bounds how much any one term can narrow, so a row is gone through
    again only when a cell of it has narrowed and its slack is below its widest term."""
    low = dict.fromkeys(secret, 1)
    high = dict.fromkeys(secret, UNBOUNDED)
    of: dict[Cell, list[tuple[int, Fraction]]] = defaultdict(list)
    for k, (row, _) in enumerate(rows):
        for cell, c in row.items():
            of[cell].append((k, c))

    def span(c, cell) -> tuple:  # the least and the most the term c * cell can be
        return (c * low[cell], c * high[cell]) if c > 0 else (c * high[cell], c * low[cell])

    least = [sum(span(c, cell)[0] for cell, c in row.items()) for row, _ in rows]
    most = [sum(span(c, cell)[1] for cell, c in row.items()) for row, _ in rows]
    widest = [math.inf] * len(rows)
    narrowed: Counter = Counter()
    queue = deque(range(len(rows)))
    waiting = set(queue)

    def narrow(cell: Cell, lo: int, hi: int) -> None:
        old_lo, old_hi = low[cell], high[cell]
        for m, c in of[cell]:
            if c > 0:
                least[m] += c * (lo - old_lo)
                most[m] += c * (hi - old_hi)
            else:
                least[m] += c * (hi - old_hi)
                most[m] += c * (lo - old_lo)
            if m not in waiting:
                waiting.add(m)
                queue.append(m)
        low[cell], high[cell] = lo, hi

    while queue:
        k = queue.popleft()
        waiting.discard(k)
        row, target = rows[k]
        if min(target - least[k], most[k] - target) >= widest[k]:
            continue  # no term is wider than the slack: nothing can narrow
        wide = 0
        for cell, c in row.items():
            own_least, own_most = span(c, cell)
            a, b = target - (most[k] - own_most), target - (least[k] - own_least)  # the range of c * cell
            if c < 0:
                a, b = b, a
            lo, hi = max(low[cell], -(-a // c)), min(high[cell], b // c)  # whole numbers: ceil and floor
            if lo > hi:  # the sums disagree (figures that do not add up): the reader learns nothing sure here
                narrowed[cell] = MAX_NARROWINGS
            elif (lo, hi) != (low[cell], high[cell]) and narrowed[cell] < MAX_NARROWINGS:
                narrowed[cell] += 1
                narrow(cell, lo, hi)
            wide = max(wide, abs(c) * (high[cell] - low[cell]))
        widest[k] = wide
    return {cell: low[cell] for cell in secret if low[cell] == high[cell]}
