"""Delivery use cases: appointments, attendance and enforcement (docs/DELIVERY.md)."""
