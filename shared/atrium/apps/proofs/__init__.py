"""Proofs: creative work under review, its versions, reviewers' decisions, comments, approval certificates and
reusable templates (docs/proofs.md)."""
