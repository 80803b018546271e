"""The mailbox: every email the local stack sent, newest first."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from atrium_local.console.pages import page
from atrium_local.mailbox import sent_mail

router = APIRouter()


@router.get("/_local/mailbox")
def mailbox(request: Request) -> HTMLResponse:
    return page(request, "mailbox.html", mails=sent_mail())
