"""Lambda handlers the route functions are compared with; each module exposes ``handler(event, context)``."""
