"""What screens the free text a unit of work writes (``atrium.kernel.store.screening``): the tenant's settings, the
detector, and the counts. Importing ``atrium.compliance.api`` installs it."""

import re
from collections import Counter

from atrium.compliance.pii.screening import PiiMode, screen_text
from atrium.compliance.privacy import settings, tally
from atrium.kernel.store import screening
from atrium.kernel.store.unit_of_work import UnitOfWork

# Whatever the detector finds holds an "@" or at least four digits (the shortest national phone numbers): a text
# without either is stored as it is, without reading the tenant's settings.
_MAY_HOLD = re.compile(r"@|(?:\d\D*){4}")


class PiiScreen:
    def screen(self, tenant_id: str, text: str) -> screening.Screened:
        if not _MAY_HOLD.search(text):
            return screening.Screened(text, Counter())
        wanted = settings.current(tenant_id)
        screened = screen_text(text, wanted.pii_mode, region=wanted.phone_region)
        done = "redacted" if wanted.pii_mode is PiiMode.REDACT else "flagged"
        return screening.Screened(screened.text, Counter((finding.kind.value, done) for finding in screened.findings))

    def count(self, uow: UnitOfWork, found: Counter[screening.Finding]) -> None:
        tally.add(uow, found)


screening.install(PiiScreen())
