"""Identity's answer to who hears about a tenant's payments (``atrium.manifest.billing_contacts``): the billing
context asks through the manifest, as identity builds on billing (its seats) and not the other way round."""

from atrium.identity.members.admins import billing_contacts

BILLING_CONTACTS = billing_contacts
