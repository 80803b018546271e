"""Retention rules: how long a kind of a tenant's data is kept, declared by the context that holds it in its
``retention_rules.py`` (``RETENTION_RULES``). A tenant chooses each rule's days within the platform's bounds
(``/v1/privacy/retention``, the compliance context), and a daily schedule purges what has outlived them.

This module holds only the declaration type, so a context declares a rule without importing the compliance context.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RetentionRule:
    name: str  # <context>.<what>: "jobs.finished"
    description: str
    minimum_days: int
    default_days: int
    maximum_days: int
    # Deletes the tenant's data of this kind that ended before ``before`` and says how many records went; called in
    # the tenant's scope. A run cut short is finished by the next: what is left is still older.
    purge: Callable[[str, datetime], int]

    def __post_init__(self) -> None:
        if "." not in self.name:
            raise ValueError(f"retention rule {self.name!r} is <context>.<what>")
        if not 1 <= self.minimum_days <= self.default_days <= self.maximum_days:
            raise ValueError(f"retention rule {self.name}: 1 <= minimum <= default <= maximum days")
