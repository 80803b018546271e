"""Domain events: envelope, catalog, outbox, relay, routing table, schedules."""
