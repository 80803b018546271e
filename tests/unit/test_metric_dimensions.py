"""A handler's metrics carry its own function kind and name, even beside other handlers in one process (the local
stack runs every consumer in one), and building several handlers warns of nothing."""

import json
from typing import Any, cast

import pytest
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from atrium.kernel.observability import metrics
from atrium.kernel.runtime.observed import observed
from atrium_local.lambda_context import LocalContext


def _counting(event: dict[str, Any], context: Any) -> None:
    metrics.add_metric("Counted", MetricUnit.Count, 1)


def _silent(event: dict[str, Any], context: Any) -> None:
    pass


def _dimensions(emitted: str) -> list[tuple[str, str]]:
    return [(line["function_kind"], line["function_name"]) for line in map(json.loads, emitted.splitlines())]


@pytest.mark.filterwarnings("error")
def test_each_invocation_is_dimensioned_by_its_own_handler(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    first = observed("consumer", "demo.first", _counting, emits_metrics=True)
    second = observed("relay", "demo.second", _counting, emits_metrics=True)
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "false")
    for handler, name in ((first, "demo.first"), (second, "demo.second"), (first, "demo.first")):
        handler({}, cast(LambdaContext, LocalContext(name)))
    assert _dimensions(capsys.readouterr().out) == [
        ("consumer", "demo.first"), ("relay", "demo.second"), ("consumer", "demo.first")]


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("switched_off", ["true", "false"])
def test_invocations_warn_of_nothing(switched_off: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The local stack switches metrics off: nothing is flushed, and the next handler's dimensions replace the
    last one's without a warning. An invocation that counted nothing flushes nothing."""
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", switched_off)
    for name, handler in (("demo.first", _counting), ("demo.second", _counting), ("demo.silent", _silent)):
        observed("consumer", name, handler, emits_metrics=True)({}, cast(LambdaContext, LocalContext(name)))
