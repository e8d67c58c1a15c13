"""Risk and public protection use cases (docs/PROTECTION.md)."""
