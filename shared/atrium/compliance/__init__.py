"""Compliance: what the platform does about the personal data it holds. Today the detection of personal data in
free text (``pii/``), for the write paths that flag or redact it and the AI gateway that redacts it."""
