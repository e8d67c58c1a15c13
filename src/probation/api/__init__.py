"""HTTP JSON API (FastAPI): translates requests into service calls, never decides."""
