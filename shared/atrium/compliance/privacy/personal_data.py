"""What the privacy features themselves hold about a person (``PROVIDERS``): the exports of their data (whom each
is about, and its archive) and the erasures requested for them. Both collections are read a page at a time (few
items: one per request). Erasure erases whom each export and each past erasure is about and deletes the archives;
the erasure being carried out erases its own record as it completes."""

from collections.abc import Iterator

from atrium.compliance.privacy.exports import archive_key
from atrium.compliance.privacy.models import ErasureItem, PrivacyExportItem
from atrium.kernel import clock
from atrium.kernel.personal_data import (
    PersonalDataProvider,
    PersonalRecord,
    Subject,
    erase_files,
    erase_personal,
    write_erasure,
)
from atrium.kernel.store import keys
from atrium.kernel.store.models import Item

NAME = "privacy"


def _about(tenant_id: str, subject: Subject) -> Iterator[PrivacyExportItem | ErasureItem]:
    for model in (PrivacyExportItem, ErasureItem):
        for item in Item.gsi1.query(keys.collection_pk(tenant_id, model.type_name())):
            if isinstance(item, PrivacyExportItem | ErasureItem) and (
                    (subject.user_id is not None and item.subject_user_id == subject.user_id)
                    or subject.has_email(item.subject_email)):
                yield item


def find(tenant_id: str, subject: Subject) -> list[PersonalRecord]:
    return [PersonalRecord(item.type_name(), item.id, {"subject_email": item.subject_email,
                                                       "requested_at": clock.iso(item.created_at)})
            for item in _about(tenant_id, subject)]


def erase(tenant_id: str, subject: Subject, _records: list[PersonalRecord]) -> int:
    """Exports and past erasures (a pending one, as the one being carried out, is left to finish)."""
    found = [item for item in _about(tenant_id, subject)
             if isinstance(item, PrivacyExportItem) or item.status != "pending"]
    erase_files([archive_key(tenant_id, item.id) for item in found if isinstance(item, PrivacyExportItem)])
    for item in found:
        erase_personal(item)
    return write_erasure(tenant_id, NAME, saves=found)


PROVIDERS = [
    PersonalDataProvider(name=NAME, description="Exports of the person's data (and their archives) and erasures "
                                                "requested for them.", find=find, erase=erase),
]
