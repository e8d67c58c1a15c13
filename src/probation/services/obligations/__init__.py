"""Obligations use cases: per case, the caseload in bulk, and the facts both read (docs/OBLIGATIONS.md)."""
