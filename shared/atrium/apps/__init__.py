"""Business apps: contexts built only on the platform's public APIs (kernel, identity, access, audit, events,
jobs, mail, members)."""
