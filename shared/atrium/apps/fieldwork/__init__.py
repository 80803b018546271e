"""Fieldwork: a backflow-prevention testing company's records: customers and their sites, the water districts
assemblies report to, and the assemblies tested (docs/fieldwork.md)."""
