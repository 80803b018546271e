"""A tenant's monthly summary: tests done, pass rate by assembly type, revenue, overdue assemblies."""
