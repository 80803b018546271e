"""Emails carrying a one-time link. The token goes in the URL fragment: browsers send it neither to the web
server nor in a Referer."""

from atrium.kernel.config import settings
from atrium.mail.api import Category, Email, send_email


def send_link(*, to: str, action: str, intro: str, page: str, token: str, lifetime: str) -> None:
    link = f"{settings().web_url}/{page}#token={token}"
    send_email(Email(to=to, template="one_time_link", category=Category.SECURITY,
                     context={"action": action, "intro": intro, "link": link, "lifetime": lifetime}))
