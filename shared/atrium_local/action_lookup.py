"""moto's action lookup, done once per response class.

For every request moto lists the methods of the service's response class (``inspect.getmembers``) to find the
action's handler: a tenth of a DynamoDB call's time in moto. A class's methods do not change while it serves, so
the list is kept per class.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from moto.core import responses

_ORIGINAL = responses.method_names_from_class  # type: ignore[attr-defined]


@contextmanager
def cached_action_lookup() -> Iterator[None]:
    responses.method_names_from_class = cache(_ORIGINAL)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        responses.method_names_from_class = _ORIGINAL  # type: ignore[attr-defined]
