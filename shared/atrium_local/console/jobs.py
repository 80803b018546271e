"""Job kinds and schedules, with "run now" for a schedule (what ``atrium schedules run`` does)."""

import json
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from atrium import manifest
from atrium.kernel import clock
from atrium.kernel.observability import logger
from atrium_local.console.pages import back_to, not_found, page
from atrium_local.worker import run_schedule

router = APIRouter()


@dataclass(frozen=True)
class Run:
    at: str
    result: str | None  # the handler's result, as JSON
    error: str | None


# The last run of each schedule started here, shown after the redirect back.
_last_runs: dict[str, Run] = {}


@router.get("/_local/jobs")
def jobs(request: Request) -> HTMLResponse:
    return page(request, "jobs.html", schedules=manifest.schedules(), kinds=manifest.job_kinds(),
                runs=dict(_last_runs))


@router.post("/_local/schedules/{name}/run")
def run_now(request: Request, name: str) -> Response:
    try:
        manifest.schedule(name)
    except LookupError as error:
        return not_found(request, str(error))
    at = clock.iso(clock.now())
    try:
        _last_runs[name] = Run(at, json.dumps(run_schedule(name), default=str, indent=2), None)
    except Exception as error:  # the page shows the failure; the console keeps serving
        logger.exception("schedule run failed", extra={"schedule": name})
        _last_runs[name] = Run(at, None, f"{type(error).__name__}: {error}")
    return back_to(f"/_local/jobs#{name}")
