"""What every context uses: config, ids, clock, errors, tenancy, store, http, events, runtime."""
