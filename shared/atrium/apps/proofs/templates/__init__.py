"""Templates: versioned proof templates, the tenant library, and proofs made from a template."""
