"""Emails carrying a one-time link. The token goes in the URL fragment: browsers send it neither to the web
server nor in a Referer."""

from html import escape

from atrium.kernel.config import settings
from atrium.mail.service import send_email


def send_link(*, to: str, subject: str, intro: str, page: str, token: str, lifetime: str) -> None:
    link = f"{settings().web_url}/{page}#token={token}"
    note = f"The link works once, for {lifetime}. If you did not ask for it, ignore this email."
    send_email(
        to=to, subject=f"{settings().app_name}: {subject}",
        text=f"{intro}\n\n{link}\n\n{note}\n",
        html=f"<p>{escape(intro)}</p><p><a href=\"{escape(link)}\">{escape(subject)}</a></p><p>{escape(note)}</p>",
    )
