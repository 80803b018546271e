"""Invoices of completed work orders, their payments, and the daily move of unpaid ones past due to overdue."""
