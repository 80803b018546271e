"""Due-date reminders: the daily job that moves assemblies' stored status and reminds their customers."""
