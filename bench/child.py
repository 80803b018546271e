# ruff: noqa: E402 - the clock starts before any other import
"""The child process of the cold-start and warm benchmarks: imports one Lambda handler and invokes it.

Run as ``python -m bench.child`` with ``BENCH_JOB`` (JSON: mode, handler module, API Gateway event...) and
``BENCH_RESULT`` (the file to write the measurements to). The clock starts on the first line, so a cold
start covers all a Lambda init pays inside the interpreter: imports, module-scope setup and the first call.
"""

import time

STARTED = time.perf_counter()

import importlib
import json
import os
from collections.abc import Callable
from typing import Any

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


class LambdaContext:
    """The LambdaContext attributes handlers may read."""

    function_name = "bench"
    memory_limit_in_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"))
    aws_request_id = "bench-request"
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:bench"

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def _load(module: str) -> Handler:
    handler: Handler = importlib.import_module(module).handler
    return handler


def cold(job: dict[str, Any]) -> dict[str, Any]:
    handler = _load(job["module"])
    imported = time.perf_counter()
    response = handler(job["event"], LambdaContext())
    done = time.perf_counter()
    return {"import_s": imported - STARTED, "first_call_s": done - imported, "status": response["statusCode"],
            "body": response.get("body") or ""}


def counted_cold(job: dict[str, Any]) -> dict[str, Any]:
    """A cold start that also lists its AWS calls (the hook imports botocore early: not for timing)."""
    from tests.support.aws_hook import recording_aws_calls

    with recording_aws_calls() as calls:
        result = cold(job)
    return result | {"aws_calls": [[call.service, call.operation] for call in calls],
                     "aws_threads": [call.thread for call in calls]}


def warm(job: dict[str, Any]) -> dict[str, Any]:
    """Per invocation after warm-up: seconds in the handler, seconds of it inside AWS calls, AWS call count."""
    from tests.support.aws_hook import recording_aws_calls

    handler, context, raw = _load(job["module"]), LambdaContext(), json.dumps(job["event"])
    for _ in range(job["warmup"]):
        handler(json.loads(raw), context)
    events = [json.loads(raw) for _ in range(job["invocations"])]  # a fresh event each, decoded outside the clock
    samples = []
    with recording_aws_calls() as calls:
        for event in events:
            before, started = len(calls), time.perf_counter()
            handler(event, context)
            elapsed = time.perf_counter() - started
            samples.append([elapsed, sum(call.seconds for call in calls[before:]), len(calls) - before])
    return {"samples": samples}


def _factory(path: str) -> Callable[[str], Handler]:
    module, _, name = path.partition(":")
    factory: Callable[[str], Handler] = getattr(importlib.import_module(module), name)
    return factory


def _probe(handler: Handler, event: dict[str, Any]) -> dict[str, Any]:
    """One more invocation, not timed: how many times it entered anyio's threadpool and on which threads its
    AWS calls ran."""
    import anyio.to_thread

    from tests.support.aws_hook import recording_aws_calls

    original, hops = anyio.to_thread.run_sync, 0

    async def counting(*args: Any, **kwargs: Any) -> Any:
        nonlocal hops
        hops += 1
        return await original(*args, **kwargs)

    setattr(anyio.to_thread, "run_sync", counting)  # noqa: B010 - starlette looks it up on every call
    try:
        with recording_aws_calls() as calls:
            response = handler(event, LambdaContext())
    finally:
        setattr(anyio.to_thread, "run_sync", original)  # noqa: B010
    return {"threadpool_hops": hops, "aws_threads": [[call.operation, call.thread] for call in calls],
            "status": response["statusCode"], "body": response.get("body") or ""}


def warm_interleaved(job: dict[str, Any]) -> dict[str, Any]:
    """Several variants of a handler in one process, invoked in turn (A B C, B C A, C A B, ...) so each sees the
    same process state and the same machine noise. Per variant and invocation: as ``warm``."""
    from tests.support.aws_hook import recording_aws_calls

    build, context, raw = _factory(job["factory"]), LambdaContext(), json.dumps(job["event"])
    keys: list[str] = job["variants"]
    handlers = {key: build(key) for key in keys}
    for _ in range(job["warmup"]):
        for handler in handlers.values():
            handler(json.loads(raw), context)
    events = [json.loads(raw) for _ in range(job["invocations"] * len(keys))]
    samples: dict[str, list[list[float]]] = {key: [] for key in keys}
    with recording_aws_calls() as calls:
        for number in range(job["invocations"]):
            shift = number % len(keys)
            for key in keys[shift:] + keys[:shift]:
                event, before, started = events.pop(), len(calls), time.perf_counter()
                handlers[key](event, context)
                elapsed = time.perf_counter() - started
                samples[key].append([elapsed, sum(call.seconds for call in calls[before:]), len(calls) - before])
    return {"samples": samples, "probes": {key: _probe(handlers[key], json.loads(raw)) for key in keys}}


def runner_cold(job: dict[str, Any]) -> dict[str, Any]:
    """A runner's cold start (kernel/runners.py): its JSON request in, its answer's outcomes out."""
    handler = _load(job["module"])
    imported = time.perf_counter()
    response = handler(job["event"], LambdaContext())
    done = time.perf_counter()
    return {"import_s": imported - STARTED, "first_call_s": done - imported,
            "outcomes": [result["outcome"] for result in response["results"]]}


MODES: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {"cold": cold, "counted_cold": counted_cold,
                                                                 "warm": warm, "warm_interleaved": warm_interleaved,
                                                                 "runner_cold": runner_cold}


def main() -> None:
    job = json.loads(os.environ["BENCH_JOB"])
    result = MODES[job["mode"]](job)
    with open(os.environ["BENCH_RESULT"], "w") as out:
        json.dump(result, out)


if __name__ == "__main__":
    main()
