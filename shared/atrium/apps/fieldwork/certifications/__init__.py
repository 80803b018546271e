"""Testers' certifications: who may sign test reports, and until when."""
