"""Obligations engine: per case (pure Python) and in bulk (columnar)."""
