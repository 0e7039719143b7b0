"""Timing a measure against its floor: medians of repetitions with `time.perf_counter`."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """Seconds per operation (medians over the repetitions) of a measure and its floor."""

    measure: float
    floor: float
    measure_samples: tuple[float, ...]
    floor_samples: tuple[float, ...]

    @property
    def ratio(self) -> float:
        """How many times longer one operation takes than one operation of the floor."""
        return self.measure / self.floor if self.floor > 0 else float("inf")


def _batch(operation: Callable[[], object], number: int) -> float:
    start = time.perf_counter()
    for _ in range(number):
        operation()
    return (time.perf_counter() - start) / number


def compare(
    measure: Callable[[], object],
    floor: Callable[[], object],
    *,
    number: int,
    repeat: int,
    warmup: int = 1,
) -> Timing:
    """Time `number` calls of each callable, `repeat` times, alternating floor and measure.

    Alternating keeps a passing slowdown of the machine from landing on one side only.
    Each callable performs one operation; the result is the median time per operation.
    """
    for _ in range(warmup):
        floor()
        measure()
    measure_samples, floor_samples = [], []
    for _ in range(repeat):
        floor_samples.append(_batch(floor, number))
        measure_samples.append(_batch(measure, number))
    return Timing(
        measure=statistics.median(measure_samples),
        floor=statistics.median(floor_samples),
        measure_samples=tuple(measure_samples),
        floor_samples=tuple(floor_samples),
    )


def french_number(value: float, decimals: int = 0) -> str:
    """12345.6 -> '12 346' ; 3.14159, 2 -> '3,14' (narrow no-break space for thousands)."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def french_ratio(ratio: float) -> str:
    decimals = 1 if ratio < 100 else 0
    return f"× {french_number(ratio, decimals)}"


def french_duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{french_number(seconds, 1)} s"
