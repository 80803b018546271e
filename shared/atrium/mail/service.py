"""Send one email through SES v2 as a MIME message (text and HTML alternatives).

Sending raw MIME keeps full control of headers (Date, Message-ID, List-Unsubscribe later).
"""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import lru_cache
from typing import Any

import boto3

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.observability import logger


@lru_cache(maxsize=1)
def _client() -> Any:
    return boto3.client("sesv2", region_name=settings().region)


def compose(*, to: str, subject: str, text: str, html: str) -> EmailMessage:
    config = settings()
    message = EmailMessage()
    message["From"] = f"{config.app_name} <{config.mail_from}>"
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(clock.now())
    message["Message-ID"] = make_msgid(domain=config.mail_from.split("@")[-1])
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def send_email(*, to: str, subject: str, text: str, html: str) -> str:
    message = compose(to=to, subject=subject, text=text, html=html)
    response = _client().send_email(
        FromEmailAddress=message["From"],
        Destination={"ToAddresses": [to]},
        Content={"Raw": {"Data": message.as_bytes()}},
    )
    message_id: str = response["MessageId"]
    logger.info("email sent", extra={"message_id": message_id, "subject": subject})
    return message_id
