"""Proofs: the proof, its versions and uploads, the review workflow and its decisions, approval certificates."""
