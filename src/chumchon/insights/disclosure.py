"""What a reader can work out from published sums: the audit behind open data's suppression
(:mod:`chumchon.insights.opendata`).

A reader of the open data knows every published cell, that each total is the sum of its parts and that each
year's member count follows from the year before (``opendata.CHAIN``), and that a hidden cell is at least 1 (zero
is published). :func:`pinned` carries those bounds through every sum until nothing narrows further — interval
reasoning, as a careful reader with a spreadsheet would do — and returns the hidden cells left with one possible
value. It is a check, not a proof: a reader solving the sums as a linear programme could in rare cases narrow
further; see docs/insights.md.
"""

from collections import Counter, defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Sequence

Cell = Hashable
Terms = Sequence[tuple[Cell, int]]  # (cell, +1 or -1), adding up to 0

UNBOUNDED = 10 ** 12  # the reader's upper bound of a hidden cell before any sum narrows it
# A loop of sums can narrow a wide bound by ever smaller steps, for ever: a narrowing is taken when it leaves the
# cell a range of at most NARROW values (bounds are whole numbers, so there each narrowing takes one off at least)
# or halves its range, and a cell narrows at most MAX_NARROWINGS times.
NARROW = 64
MAX_NARROWINGS = 64


def pinned(equations: Iterable[Terms], value: Callable[[Cell], int], secret: set[Cell]) -> dict[Cell, int]:
    """The cells of ``secret`` (each at least 1) that ``equations`` — every other cell published, with
    ``value(cell)`` — leave with a single possible value, and that value.

    Each sum keeps the least and the most its hidden terms can add up to, updated as a cell narrows; its slack
    (how far those are from what the terms must add up to) bounds how much any one term can narrow, so a sum is
    scanned only when a bound of one of its cells has narrowed and its slack is below the widest cell it had —
    a province's total of a hundred hidden parts is not gone through again for each part."""
    sums: list[tuple[int, list[tuple[Cell, int]]]] = []
    of: dict[Cell, list[tuple[int, int]]] = defaultdict(list)
    for terms in equations:
        known, unknown = 0, []
        for cell, sign in terms:
            if cell in secret:
                unknown.append((cell, sign))
            else:
                known += sign * value(cell)
        if unknown:
            for cell, sign in unknown:
                of[cell].append((len(sums), sign))
            sums.append((-known, unknown))  # the hidden terms, each sign * cell, add up to -known
    low = dict.fromkeys(secret, 1)
    high = dict.fromkeys(secret, UNBOUNDED)
    least = [sum(1 if s > 0 else -UNBOUNDED for _, s in unknown) for _, unknown in sums]
    most = [sum(UNBOUNDED if s > 0 else -1 for _, s in unknown) for _, unknown in sums]
    widest = [UNBOUNDED] * len(sums)  # at least the widest cell of the sum (cells only narrow)
    narrowed: Counter = Counter()
    queue = deque(range(len(sums)))
    waiting = set(queue)

    def narrow(cell: Cell, lo: int, hi: int) -> None:
        for m, sign in of[cell]:
            if sign > 0:
                least[m] += lo - low[cell]
                most[m] += hi - high[cell]
            else:
                least[m] += high[cell] - hi
                most[m] += low[cell] - lo
            if m not in waiting:
                waiting.add(m)
                queue.append(m)
        low[cell], high[cell] = lo, hi

    while queue:
        k = queue.popleft()
        waiting.discard(k)
        target, unknown = sums[k]
        if min(target - least[k], most[k] - target) >= widest[k]:
            continue  # no cell is wider than the slack: nothing can narrow
        wide = 0
        for cell, sign in unknown:
            own_least, own_most = (low[cell], high[cell]) if sign > 0 else (-high[cell], -low[cell])
            a, b = target - (most[k] - own_most), target - (least[k] - own_least)  # the range of sign * cell
            lo, hi = (a, b) if sign > 0 else (-b, -a)
            lo, hi = max(low[cell], lo), min(high[cell], hi)
            if lo > hi:  # the sums disagree (figures that do not add up): the reader learns nothing sure here
                narrowed[cell] = MAX_NARROWINGS
            elif (lo, hi) != (low[cell], high[cell]) and narrowed[cell] < MAX_NARROWINGS and (
                    hi - lo <= NARROW or (hi - lo) * 2 <= high[cell] - low[cell]):
                narrowed[cell] += 1
                narrow(cell, lo, hi)
            wide = max(wide, high[cell] - low[cell])
        widest[k] = wide
    return {cell: low[cell] for cell in secret if low[cell] == high[cell]}
