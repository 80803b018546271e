"""Retention: how long a tenant keeps each kind of its data (the contexts' ``RetentionRule``s, within the platform's
bounds), and the daily purge of what has outlived it."""
