"""The labelled sample of free text (``tests/data/pii_sample.jsonl``: proofing comments, field-service notes, sales
lead notes, hard negatives): each line a text and the personal data in it, by kind and span. The detector's test
scores it; the bench times the detector on it."""

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from atrium.compliance.api import PiiFinding, PiiKind

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "pii_sample.jsonl"
Span = tuple[PiiKind, int, int]


@dataclass(frozen=True)
class Labelled:
    text: str
    expected: frozenset[Span]


def load_sample() -> list[Labelled]:
    """The sample; a finding whose span does not hold its ``text`` is a mislabelled line, refused."""
    rows = [json.loads(line) for line in SAMPLE.read_text().splitlines() if line]
    wrong = [f for row in rows for f in row["findings"] if row["text"][f["start"]:f["end"]] != f["text"]]
    if wrong:
        raise ValueError(f"spans that do not hold their text: {wrong}")
    return [Labelled(row["text"], frozenset((PiiKind(f["kind"]), f["start"], f["end"]) for f in row["findings"]))
            for row in rows]


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 1.0


def score(found: list[set[Span]], sample: list[Labelled]) -> dict[PiiKind | None, Score]:
    """Exact matches (kind, start and end) per kind, and overall under ``None``."""
    counts: Counter[tuple[PiiKind | None, str]] = Counter()
    for spans, labelled in zip(found, sample, strict=True):
        for outcome, kinds in (("tp", spans & labelled.expected), ("fp", spans - labelled.expected),
                               ("fn", labelled.expected - spans)):
            for kind, _, _ in kinds:
                counts[kind, outcome] += 1
                counts[None, outcome] += 1
    return {kind: Score(counts[kind, "tp"], counts[kind, "fp"], counts[kind, "fn"]) for kind in [*PiiKind, None]}


def spans(findings: list[PiiFinding]) -> set[Span]:
    return {(finding.kind, finding.start, finding.end) for finding in findings}
