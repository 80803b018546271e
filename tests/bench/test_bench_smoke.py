"""``make bench`` cannot rot: its smoke run (every section, a handful of requests, once) runs in the suite, as a
process of its own (the tests import nothing of ``bench``)."""

import os
import re
import subprocess
import sys
from pathlib import Path

from atrium import manifest

REPO = Path(__file__).resolve().parents[2]
SECTIONS = ("Cold start", "Warm invocation", "Sync vs async", "AWS calls per operation", "Cost per million",
            "Cost per million metered events", "Cost per million API requests metered",
            "Webhook delivery throughput", "Local stack (make dev)", "Layer sizes", "PII detection throughput",
            "Field encryption", "Backup and restore throughput", "Findings")
# A row of the AWS-calls table: operation id, method, path and the status.
AWS_CALLS_ROW = re.compile(r"^\| (\w+\.\w+) \| (GET|POST|PUT|PATCH|DELETE) \S+( \+ Idempotency-Key)? \| (\d+) \|",
                           re.MULTILINE)


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
    assert "Powertools resolver, cookbook style" in text
    assert "did not succeed" not in text, "a bench request failed (see its findings)"
    _assert_each_kind_of_request_measured(text)


def _assert_each_kind_of_request_measured(text: str) -> None:
    """The AWS-calls table holds what the smoke run sends (bench/scale.py): a public write, a read, a conditional
    update and a create with its Idempotency-Key row, of declared operations, each answered with success."""
    section = text.split("## AWS calls per operation", 1)[1].split("\n## ", 1)[0]
    rows = AWS_CALLS_ROW.findall(section)
    routes = {spec.operation_id: spec for spec in manifest.routes()}
    assert rows and {operation_id for operation_id, *_ in rows} <= set(routes), section
    assert all(200 <= int(status) < 400 for *_, status in rows), section
    assert any(routes[operation_id].is_public and method == "POST" for operation_id, method, *_ in rows), section
    assert {"GET", "PATCH"} <= {method for _, method, *_ in rows}, section
    assert any(method == "POST" and key for _, method, key, _ in rows), section

