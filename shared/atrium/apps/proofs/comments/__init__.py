"""Comments on proofs: threads on versions and regions, and their mentions."""
