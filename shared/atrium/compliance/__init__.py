"""Compliance: what the platform does about the personal data it holds. The tenants' data keys (rotation, and the
items encrypted again: ``keys/``; the encryption itself is the kernel's store) and the detection of personal data
in free text (``pii/``), for the write paths that flag or redact it and the AI gateway that redacts it."""
