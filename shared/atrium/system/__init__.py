"""Platform health."""
