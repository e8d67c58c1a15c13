"""Delivering supervision, rehabilitation activity and post-release supervision: appointments,
contacts, RAR days, compliance and enforcement, and early revocation (see docs/DELIVERY.md)."""
