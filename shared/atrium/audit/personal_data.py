"""What the audit log holds about a person (``PROVIDERS``): the entries they did, or that are about them (their
actor or a target is one of the subject's aliases: the user, a customer of theirs...).

No index lists a person's entries across the log: finding them reads the tenant's log from its oldest kept entry a
page at a time. Erasure does not touch the entries: it chains what is still pending (so each entry naming the person
is sealed under their key) and then destroys the keys of every alias, so what the entries say about them no longer
opens while the chain still verifies (``subject_keys``); the tenant's audit exports, which hold entries opened, are
withdrawn.
"""

from datetime import timedelta

from atrium.audit import chaining, subject_keys
from atrium.audit.exports import exports_prefix
from atrium.audit.listing import entries_between
from atrium.audit.presenters import audit_event_out
from atrium.audit.state import read_state
from atrium.kernel import clock, files
from atrium.kernel.personal_data import PersonalDataProvider, PersonalRecord, Subject

NAME = "audit"


def find(tenant_id: str, subject: Subject) -> list[PersonalRecord]:
    ids = {alias.id for alias in subject.aliases}
    if not ids:
        return []
    now = clock.now()
    entries = [entry for _month, entry in entries_between(
        tenant_id, now - timedelta(days=read_state(tenant_id).retention_days), now)
        if entry.actor.id in ids or any(target.id in ids for target in entry.targets)]
    opener = subject_keys.Opener(tenant_id, entries)
    return [PersonalRecord("audit_event", entry.id, audit_event_out(entry, opener).model_dump(mode="json"))
            for entry in entries]


def erase(tenant_id: str, subject: Subject, _records: list[PersonalRecord]) -> int:
    """The person's keys destroyed, and the tenant's audit exports withdrawn: the keys destroyed and files deleted."""
    ids = {alias.id for alias in subject.aliases}
    if not ids:
        return 0
    chaining.chain_pending(tenant_id)
    return subject_keys.destroy(tenant_id, ids) + _withdraw_exports(tenant_id)


def _withdraw_exports(tenant_id: str) -> int:
    """An export written before the erasure holds the entries opened, the person's names in plain text: every one
    is deleted (they are kept 7 days anyway). Retrying its job writes it again, the person's fields erased."""
    written = list(files.keys_under(exports_prefix(tenant_id)))
    files.delete(written)
    return len(written)


PROVIDERS = [
    PersonalDataProvider(
        name=NAME, description="Audit entries the person did or that are about them; erasure destroys their keys, "
                               "so the entries stay chained while their personal fields become unreadable.",
        find=find, erase=erase,
    ),
]
