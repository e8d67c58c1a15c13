"""Probation service-delivery platform: the HMPPS probation service specifications as working software."""

__version__ = "0.1.0"
