"""A declared job kind becomes a consumer like any other: its own rule (narrowed to the kind), queue, DLQ with
an alarm, and function with the kind's timeout and grants; the local stack provisions the same."""

from collections.abc import Iterator
from typing import Any

import pytest

from atrium import manifest
from atrium.kernel.consumers import Events
from atrium.kernel.grants import Grant
from atrium_local.provision import Provisioned
from tests.infra.conftest import Synthesized, synthesize
from tests.infra.test_events import queue_of
from tests.infra.test_parity import _deployed, _local
from tests.support.jobs import Flaky, register

CONSUMER = "jobs.reports.flaky_export"


@pytest.fixture
def kind(monkeypatch: pytest.MonkeyPatch) -> Flaky:
    flaky = Flaky()
    register(monkeypatch, flaky.kind())
    return flaky


@pytest.fixture
def aws(kind: Flaky, aws_as_declared_now: Provisioned) -> Provisioned:
    return aws_as_declared_now


@pytest.fixture(scope="module")
def with_kind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesized]:
    """The app synthesized with the test kind declared: once for the module (synth costs seconds)."""
    with pytest.MonkeyPatch.context() as patch:
        register(patch, Flaky().kind())
        yield synthesize(tmp_path_factory.mktemp("with_kind"))


def test_a_job_kind_is_a_consumer_named_after_it(kind: Flaky) -> None:
    spec = manifest.consumer(CONSUMER)
    assert CONSUMER in [declared.name for declared in manifest.consumers()]
    assert (spec.timeout_seconds, spec.max_receive_count, spec.batch_size) == (30, 3, 1)
    assert isinstance(spec.source, Events)
    assert spec.source.event_pattern()["detail"] == {"data": {"kind": ["reports.flaky_export"]}}
    assert {Grant.TABLE_READ, Grant.TABLE_WRITE} <= spec.grants


def test_a_job_kind_gets_a_function_queue_and_alarmed_dlq(with_kind: Synthesized) -> None:
    spec = manifest.consumer(CONSUMER)
    function = with_kind.functions("ATRIUM_CONSUMER")[CONSUMER]
    assert function.properties["Timeout"] == 30
    queue = queue_of(with_kind, spec)
    assert {"Key": "atrium:consumer", "Value": CONSUMER} in queue.properties["Tags"]
    dlq = with_kind.resolve(queue.stack, queue.properties["RedrivePolicy"]["deadLetterTargetArn"])
    alarmed = [a for a in with_kind.resources("AWS::CloudWatch::Alarm")
               for d in a.properties.get("Dimensions", []) if d["Name"] == "QueueName"
               and with_kind.resolve(a.stack, d["Value"]) == dlq]
    assert alarmed, "the kind's DLQ has no depth alarm"


def test_the_local_stack_and_template_agree_on_job_kinds(aws: Provisioned, with_kind: Synthesized) -> None:
    local: dict[str, Any] = _local(aws)
    assert any('"detail"' in pattern for pattern in local["consumers"]), "the kind's rule was not provisioned"
    assert local == _deployed(with_kind)
