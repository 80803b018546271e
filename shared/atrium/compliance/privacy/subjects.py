"""A person, as the privacy routes name them (a user id or an email), completed by every context's provider."""

from atrium import manifest
from atrium.kernel.personal_data import PersonalRecord, Subject


def subject_of(value: str) -> Subject:
    """``value`` as validated by ``SubjectIn``: a user id or a lower-case email."""
    return Subject(user_id=value) if value.startswith("usr_") else Subject(email=value)


def identified(tenant_id: str, subject: Subject) -> Subject:
    """The subject with what each context knows them as (in the contexts' order: identity first gives a user's
    email, which the apps match)."""
    for provider in manifest.personal_data_providers():
        subject = provider.identify(tenant_id, subject)
    return subject


def holdings(tenant_id: str, subject: Subject) -> dict[str, list[PersonalRecord]]:
    """Every provider's records about the (identified) subject, by provider."""
    return {provider.name: provider.find(tenant_id, subject) for provider in manifest.personal_data_providers()}
