"""Synthetic caseload: reference data, demo users, a deterministic generator and a bulk loader."""
