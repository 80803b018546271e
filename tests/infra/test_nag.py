"""cdk-nag AwsSolutions: nothing unsuppressed, and every suppression says why."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from aws_cdk import App, Aspects, Stack
from aws_cdk import aws_sqs as sqs
from cdk_nag import AwsSolutionsChecks

from atrium import manifest

MIN_REASON = 10


def suppressions(templates: dict[str, dict[str, Any]]) -> Iterator[tuple[str, dict[str, Any]]]:
    for stack, template in templates.items():
        for rule in template.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", []):
            yield stack, rule
        for logical_id, resource in template.get("Resources", {}).items():
            for rule in resource.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", []):
                yield f"{stack}/{logical_id}", rule


def test_no_unsuppressed_errors(synthesized: Any) -> None:
    errors = [f"{m.path}: {m.text[:200]}" for m in synthesized.messages if m.level == "error"]
    assert errors == []


def test_no_unsuppressed_awssolutions_warnings(synthesized: Any) -> None:
    warnings = [f"{m.path}: {m.text[:200]}" for m in synthesized.messages
                if m.level == "warning" and m.text.startswith("AwsSolutions-")]
    assert warnings == []


def test_every_suppression_has_a_reason(synthesized: Any) -> None:
    found = list(suppressions(synthesized.templates))
    assert found, "no suppressions at all: did the nag suppressions stop being written?"
    for where, rule in found:
        assert rule["id"].startswith("AwsSolutions-"), where
        assert len(rule.get("reason", "").strip()) >= MIN_REASON, f"{where}: {rule}"


def test_nag_findings_reach_the_messages(tmp_path: Path,
                                         read_messages: Callable[[Path, str], list[Any]]) -> None:
    """The checks above would pass vacuously if findings never reached ``messages``."""
    app = App(outdir=str(tmp_path), context={"@aws-cdk/core:failSynthOnValidationErrors": False})
    stack = Stack(app, "Probe")
    sqs.Queue(stack, "PlainQueue")  # no DLQ, no TLS enforcement: AwsSolutions-SQS3 and -SQS4
    Aspects.of(app).add(AwsSolutionsChecks())
    app.synth()
    texts = [m.text for m in read_messages(tmp_path, "Probe") if m.level == "error"]
    assert any(t.startswith("AwsSolutions-SQS4") for t in texts), texts


def test_only_public_routes_skip_authorization(synthesized: Any) -> None:
    public = {f"{s.method.upper()} {s.path}" for s in manifest.routes() if s.is_public}
    for route in synthesized.resources("AWS::ApiGatewayV2::Route"):
        rules = route.body.get("Metadata", {}).get("cdk_nag", {}).get("rules_to_suppress", [])
        suppressed = any(r["id"] == "AwsSolutions-APIG4" for r in rules)
        assert suppressed == (route.properties["RouteKey"] in public), route.properties["RouteKey"]
