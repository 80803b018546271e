"""The emails sent through (moto's) SES so far, newest first."""

from email import message_from_string, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any

from moto.backends import get_backend
from moto.core.models import DEFAULT_ACCOUNT_ID

from atrium.kernel import clock
from atrium.kernel.config import settings


def _part(message: EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    return part.get_content() if part is not None else None


def sent_mail() -> list[dict[str, Any]]:
    backend = get_backend("ses")[DEFAULT_ACCOUNT_ID][settings().region]
    mails = []
    for sent in backend.sent_messages:
        message = message_from_string(sent.raw_data, policy=policy.default)
        assert isinstance(message, EmailMessage)
        mails.append({
            "from": str(message["From"]),
            "to": str(message["To"]),
            "subject": str(message["Subject"]),
            "text": _part(message, "plain"),
            "html": _part(message, "html"),
            "list_unsubscribe": message["List-Unsubscribe"] and str(message["List-Unsubscribe"]),
            "list_unsubscribe_post": message["List-Unsubscribe-Post"] and str(message["List-Unsubscribe-Post"]),
            "sent_at": clock.iso(parsedate_to_datetime(str(message["Date"]))),
        })
    return list(reversed(mails))
