"""The tenant's audit chain, verified once every entry the demo caused is chained (a consumer chains them)."""

from typing import Any

from atrium_local.demo.api import DemoError, Stack
from atrium_local.demo.people import Cast


def verified_chain(stack: Stack, cast: Cast) -> dict[str, Any]:
    def chained() -> dict[str, Any] | None:
        report: dict[str, Any] = stack.json("GET", "/v1/audit/verify", auth=cast.owner.session)
        return report if report["pending"] == 0 else None

    report = stack.wait_for("the audit entries to be chained", chained)
    if not report["intact"]:
        raise DemoError(f"the audit chain is not intact: {report['findings']}")
    return report
