"""The demo as a whole: what it fills a stack with, in order, and what it tells its user."""

import time
from dataclasses import dataclass
from typing import Any

import httpx

from atrium_local.demo import audit, people, proofs, templates, webhooks
from atrium_local.demo.api import RECEIVER_NAME, Stack
from atrium_local.demo.people import Cast


@dataclass(frozen=True)
class Report:
    cast: Cast
    endpoint: dict[str, Any]
    template: dict[str, Any]
    proofs: list[dict[str, Any]]
    certificate: dict[str, Any]
    audit: dict[str, Any]
    created: list[str]
    seconds: float


def run_demo(stack: Stack) -> Report:
    """Fill the stack with the demo tenant, making only what is missing."""
    started = time.monotonic()
    cast = people.cast(stack)
    endpoint = webhooks.endpoint(stack, cast)  # first: the receiver gets the events of everything after
    template = templates.template(stack, cast)
    made = proofs.proofs(stack, cast, template)
    certificate = proofs.certificate(stack, cast, next(p for p in made if p["status"] == "approved"))
    chain = audit.verified_chain(stack, cast)  # last: every entry above is in it
    return Report(cast, endpoint, template, made, certificate, chain, list(stack.created), time.monotonic() - started)


def fill(base_url: str) -> str:
    """Run the demo against the stack whose API is at ``base_url``; what to print."""
    base = base_url.rstrip("/")
    with httpx.Client(base_url=base, timeout=30) as http:
        report = run_demo(Stack(http, receiver_url=f"{base}/_local/receiver/{RECEIVER_NAME}"))
    return render(report, base)


def render(report: Report, base_url: str) -> str:
    tenant = report.cast.tenant
    made = f"{len(report.created)} objects created" if report.created else "nothing new: it was all there"
    lines = [f"Demo tenant {tenant['name']!r} ({tenant['id']}) at {base_url}: {made} in {report.seconds:.1f} s",
             "  Users (POST /v1/auth/login with these passwords):"]
    lines += [f"    {user.role:<9} {user.session.email:<28} {user.session.password}"
              for user in report.cast.users.values()]
    lines.append("  Proofs (GET /v1/proofs):")
    lines += [f"    {proof['status']:<18} {proof['title']:<24} version {proof['current_version']}  {proof['id']}"
              for proof in report.proofs]
    lines.append(f"    certificate of version {report.certificate['version']}: sha256 {report.certificate['sha256']}")
    lines.append(f"  Template  {report.template['name']!r} in the library and the gallery "
                 f"({report.template['gallery_listing_id']})")
    lines.append(f"  Webhooks  {report.endpoint['id']} -> {report.endpoint['url']}: its signing secret given to "
                 "the receiver")
    lines.append(f"  Audit     chain intact, {report.audit['entries_verified']} entries verified "
                 "(GET /v1/audit/verify)")
    return "\n".join(lines)
