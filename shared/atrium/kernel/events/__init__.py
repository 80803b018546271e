"""Domain events: envelope, catalog, outbox, relay, schedules."""
