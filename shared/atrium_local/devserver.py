"""The local API: one FastAPI app mounting every route, with the authorizer in-process, and what only the local
stack serves: the API docs, the mailbox as JSON, the webhook receiver, the clock control and the console."""

from typing import Any

from fastapi import FastAPI

from atrium import manifest
from atrium.identity.authorizer import authenticate
from atrium.kernel.http.app import create_app
from atrium_local import clock_control, receiver
from atrium_local.api_docs import add_docs
from atrium_local.console import add_console
from atrium_local.mailbox import sent_mail


def local_app() -> FastAPI:
    app = create_app(manifest.routes(), authenticate=authenticate, openapi=True)
    add_docs(app)

    @app.get("/_local/mail", include_in_schema=False)
    def mail() -> list[dict[str, Any]]:
        """Local stack only: the emails sent so far, newest first."""
        return sent_mail()

    app.include_router(receiver.router)
    app.include_router(clock_control.router)
    add_console(app)
    return app
