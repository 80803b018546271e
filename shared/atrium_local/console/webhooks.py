"""The local webhook receiver's deliveries, each with its signature check."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from atrium_local import receiver
from atrium_local.console.pages import page

router = APIRouter()


@router.get("/_local/webhooks")
def deliveries(request: Request) -> HTMLResponse:
    return page(request, "webhooks.html", deliveries=receiver.deliveries(), registered=receiver.registered(),
                max_deliveries=receiver.MAX_DELIVERIES)
