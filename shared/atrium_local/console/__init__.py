"""The local console at ``/_local``: server-rendered pages over the local stack (the mailbox, the webhook receiver,
the event log, queues and DLQs, jobs and schedules), with buttons as forms that POST and redirect back.
Local stack only: nothing here is deployed."""

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from atrium_local.console import events, jobs, mail, queues, webhooks
from atrium_local.console.pages import STATIC_URL, page

_index = APIRouter()


@_index.get("/_local")
def index(request: Request) -> HTMLResponse:
    return page(request, "index.html")


def add_console(app: FastAPI) -> None:
    app.mount(STATIC_URL, StaticFiles(directory=Path(__file__).parent / "static"), name="console-static")
    for module_router in (_index, mail.router, webhooks.router, events.router, queues.router, jobs.router):
        app.include_router(module_router, include_in_schema=False)
