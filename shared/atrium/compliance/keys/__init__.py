"""A tenant's data keys: rotation, and its items encrypted again under the newest key."""
