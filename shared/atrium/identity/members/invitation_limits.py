"""How many invitations a tenant may create: per hour and per day, and per address a day however often an
invitation to it is revoked and created again (each one emails the address). Counted in the transaction that
creates the invitation, so a refused invitation counts nothing; the numbers are settings."""

from atrium.identity.models import email_index
from atrium.kernel.config import settings
from atrium.kernel.store.counters import Limit, take_in
from atrium.kernel.store.unit_of_work import UnitOfWork

HOUR, DAY = 3600, 24 * 3600


def count_invitation(uow: UnitOfWork, tenant_id: str, email: str) -> None:
    config = settings()
    per_hour, per_day, per_address = (config.invitations_per_hour, config.invitations_per_day,
                                      config.invitations_per_address_per_day)
    for limit, subject in (
            (Limit("invitations_hour", per_hour, HOUR, f"this tenant may send {per_hour} invitations an hour"),
             tenant_id),
            (Limit("invitations_day", per_day, DAY, f"this tenant may send {per_day} invitations a day"), tenant_id),
            (Limit("invitations_address_day", per_address, DAY,
                   f"{email} may be invited {per_address} times a day; try again tomorrow"),
             email_index(email, tenant_id=tenant_id))):
        take_in(uow, limit, subject, tenant_id=tenant_id)
