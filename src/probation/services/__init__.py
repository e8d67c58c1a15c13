"""Use cases: load, call the domain, save, publish events, in one unit of work."""
