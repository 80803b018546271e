"""The few statistics the tables use."""

import statistics
import time
from collections.abc import Callable, Sequence


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p90(values: Sequence[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


def p95(values: Sequence[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}" if seconds >= 0.1 else f"{seconds * 1000:.2f}"


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}x" if baseline > 0 else "-"


def timed(operation: Callable[[], object], times: int) -> list[float]:
    """The seconds each of ``times`` calls of ``operation`` took, in a row in this process."""
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        operation()
        samples.append(time.perf_counter() - started)
    return samples


def seconds_per_call(operation: Callable[[], object], times: int) -> float:
    """The mean time of ``times`` calls of ``operation``, in a row in this process."""
    started = time.perf_counter()
    for _ in range(times):
        operation()
    return (time.perf_counter() - started) / times
