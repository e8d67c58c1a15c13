"""Interventions use cases: needs, referrals, commissioned options and outcomes (docs/INTERVENTIONS.md)."""
