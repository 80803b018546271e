"""The event log: events the worker relayed to the bus, and each consumer's outcome."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from atrium_local import event_log
from atrium_local.console.pages import page

router = APIRouter()


@router.get("/_local/events")
def events(request: Request) -> HTMLResponse:
    return page(request, "events.html", events=event_log.events(), max_events=event_log.MAX_EVENTS)
