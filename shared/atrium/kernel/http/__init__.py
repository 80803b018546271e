"""HTTP edge: route declarations, app factory, dependencies, problem responses."""
