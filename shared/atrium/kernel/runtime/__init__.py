"""Adapters that turn a declaration into a Lambda handler."""
