"""Customers and their sites."""
