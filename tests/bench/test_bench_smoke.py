"""``make bench`` cannot rot: its smoke run (every section, a handful of requests, once) runs in the suite."""

import os
import subprocess
import sys
from pathlib import Path

from bench.scale import SMOKE_OPERATIONS

REPO = Path(__file__).resolve().parents[2]
SECTIONS = ("Cold start", "Warm invocation", "Sync vs async", "AWS calls per operation", "Cost per million",
            "Webhook delivery throughput", "Layer sizes", "Findings")


def test_the_bench_smoke_run_measures_every_section_and_writes_its_report(tmp_path: Path) -> None:
    report = tmp_path / "bench-smoke.md"
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    result = subprocess.run([sys.executable, "-m", "bench"], cwd=REPO, capture_output=True, text=True, timeout=600,
                            env=env | {"BENCH_SMOKE": "1", "BENCH_OUTPUT": str(report)})
    assert result.returncode == 0, result.stderr[-3000:]
    text = report.read_text()
    assert "make bench BENCH_SMOKE=1" in text
    for section in SECTIONS:
        assert section in text, f"the report has no {section!r} section"
    for operation_id in SMOKE_OPERATIONS:
        assert f"| {operation_id} |" in text, f"no AWS-calls row for {operation_id}"
    assert "Powertools resolver, cookbook style" in text
    assert "did not succeed" not in text, "a bench request failed (see its findings)"
