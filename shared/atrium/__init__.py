"""Atrium: a multi-tenant SaaS backend that runs as AWS serverless functions."""
