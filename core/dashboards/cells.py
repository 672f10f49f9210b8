"""A metric's value at a node as a Cell, and the arithmetic that rolls cells up the tree.

Every aggregation is additive in what is stored: a sum adds, a ratio adds its numerator and its
denominator, a histogram adds its bucket counts. What a reader sees (a rate, a median) is derived
from the stored sums only at the end (`shown`), never averaged across nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal(0)
PLACES = Decimal("0.0001")


def amount(number) -> Decimal:
    return Decimal(str(number or 0)).quantize(PLACES)


@dataclass(frozen=True)
class Cell:
    value: Decimal = ZERO
    denominator: Decimal = ZERO
    histogram: tuple[int, ...] = ()

    def __add__(self, other: Cell) -> Cell:
        return Cell(
            self.value + other.value,
            self.denominator + other.denominator,
            _add(self.histogram, other.histogram),
        )

    def __sub__(self, other: Cell) -> Cell:
        negated = tuple(-n for n in other.histogram)
        return Cell(
            self.value - other.value, self.denominator - other.denominator, _add(self.histogram, negated)
        )

    def is_zero(self) -> bool:
        return not self.value and not self.denominator and not any(self.histogram)


def _add(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    if not a:
        return b
    if not b:
        return a
    return tuple(x + y for x, y in zip(a, b, strict=True))


def cell_of(metric, value) -> Cell:
    """A per_node value as a Cell: a number, a (numerator, denominator) pair or bucket counts."""
    if metric.aggregation == "ratio":
        numerator, denominator = value
        return Cell(amount(numerator), amount(denominator))
    if metric.aggregation == "histogram":
        counts = tuple(int(n) for n in value)
        if len(counts) != len(metric.buckets) + 1:
            raise ValueError(
                f"{metric.key}: a histogram has {len(metric.buckets) + 1} counts, not {len(counts)}"
            )
        return Cell(histogram=counts)
    return Cell(amount(value))


def percentile(buckets: tuple[float, ...], counts: tuple[int, ...], share: float) -> float | None:
    """The value below which `share` of the counts lie, interpolated linearly in its bucket
    (the last, open bucket answers its lower bound)."""
    total = sum(counts)
    if not total:
        return None
    wanted = share * total
    seen = 0
    for index, count in enumerate(counts):
        if count and seen + count >= wanted:
            if index == len(buckets):
                return float(buckets[-1])
            low = float(buckets[index - 1]) if index else 0.0
            return low + (float(buckets[index]) - low) * (wanted - seen) / count
        seen += count
    return float(buckets[-1])


def shown(metric, cell: Cell) -> float | None:
    """What a reader sees: the sum; the ratio (as a percentage when the unit is %); the median."""
    if metric.aggregation == "ratio":
        if not cell.denominator:
            return None
        scale = 100 if str(metric.unit) == "%" else 1
        return round(float(cell.value / cell.denominator) * scale, max(metric.decimals, 0))
    if metric.aggregation == "histogram":
        found = percentile(metric.buckets, cell.histogram, 0.5)
        return None if found is None else round(found, 1)
    return round(float(cell.value), metric.decimals) if metric.decimals else int(cell.value)
