"""Assurance and reports over the whole caseload (columnar)."""
