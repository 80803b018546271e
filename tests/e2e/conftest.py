"""Fixtures of the tests over the local stack."""

from tests.e2e.local_stack import stack  # noqa: F401 (a fixture for these tests)
