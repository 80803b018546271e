"""Rendering a console page: its template, within the layout and its nav, under a policy that lets the page
load only from this server (an email shown in the mailbox cannot fetch a remote image either)."""

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

STATIC_URL = "/_local/static"
# No scripts; styles from this server (and the emails' inline styles); images from this server or inline.
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
NAV = [("/_local/mailbox", "Mailbox"), ("/_local/webhooks", "Webhook receiver"), ("/_local/events", "Events"),
       ("/_local/queues", "Queues and DLQs"), ("/_local/jobs", "Jobs and schedules")]

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals.update(nav=NAV, static_url=STATIC_URL)
templates.env.trim_blocks = templates.env.lstrip_blocks = True


def page(request: Request, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status_code,
                                      headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})


def not_found(request: Request, detail: str) -> HTMLResponse:
    return page(request, "not_found.html", status_code=404, detail=detail)


def back_to(url: str) -> RedirectResponse:
    """After a POST, the page to GET (303: the browser does not send the form again on reload)."""
    return RedirectResponse(url, status_code=303)
