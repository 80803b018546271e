"""The PII detector's throughput on the labelled sample (tests/data/pii_sample.jsonl), strings per second, beside a
trivial baseline: one regex pass per string (an email-shaped or a digit-run match, no checks), the least a scanner
of free text costs. Each kind's finder alone shows where the time goes. In this process, on one CPU."""

import re
import time
from collections.abc import Callable, Iterable

from atrium.compliance.api import DEFAULT_REGION, detect_pii
from atrium.compliance.pii.cards import find_cards
from atrium.compliance.pii.emails import find_emails
from atrium.compliance.pii.national_ids import find_national_ids
from atrium.compliance.pii.phones import find_phones
from bench.report import Table
from bench.scale import Scale
from bench.stats import median, ratio
from tests.support.pii_sample import load_sample

_BASELINE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?\d[\d ().-]{6,}\d")
SUBJECTS: tuple[tuple[str, Callable[[str], Iterable[object]]], ...] = (
    ("one regex pass (baseline)", _BASELINE.findall),
    ("emails only", find_emails),
    ("cards only", find_cards),
    ("national identifiers only", find_national_ids),
    ("phones only (phonenumbers)", lambda text: find_phones(text, DEFAULT_REGION)),
    ("detect_pii (every kind, overlaps resolved)", detect_pii),
)


def _seconds(scan: Callable[[str], Iterable[object]], texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        list(scan(text))
    return time.perf_counter() - started


def table(scale: Scale) -> Table:
    texts = [labelled.text for labelled in load_sample()]
    rounds = 1 if scale.smoke else 21
    for _, scan in SUBJECTS:  # warm-up: compiled patterns, the phone metadata of the regions met
        _seconds(scan, texts)
    timings = {name: median([_seconds(scan, texts) for _ in range(rounds)]) for name, scan in SUBJECTS}
    baseline = timings[SUBJECTS[0][0]]
    rows = [(name, f"{len(texts) / seconds:,.0f}", f"{seconds / len(texts) * 1e6:.0f}", ratio(seconds, baseline))
            for name, seconds in timings.items()]
    return Table(
        f"PII detection throughput ({len(texts)} strings of the labelled sample, median of {rounds} passes)",
        ("scanner", "strings/s", "us per string", "time vs baseline"), rows,
        notes=("bench/pii_detection.py, in the bench's own process; the sample's strings are 15 to 120 characters "
               "(55 on average) of proofing comments, field-service and sales notes. The baseline finds candidates "
               "and checks nothing; precision and recall are in docs/compliance.md.",))
