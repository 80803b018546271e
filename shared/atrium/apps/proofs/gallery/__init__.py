"""The public template gallery: listings, search by name and tag, ratings, imports."""
