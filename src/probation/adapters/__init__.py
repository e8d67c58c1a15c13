"""Adapters: database, geospatial engine, notifications, clock."""
