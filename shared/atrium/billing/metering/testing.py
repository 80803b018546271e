"""Requests of metering, for the tests and the bench (``atrium.kernel.testing``)."""

from atrium.kernel.testing import Request, RequestSetup

BENCH_REQUESTS: dict[str, RequestSetup] = {
    "billing.get_usage": lambda _fixture, _: Request(
        path="/v1/usage?meter=proofs&granularity=day&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z"),
}
