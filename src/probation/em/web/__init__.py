"""The monitoring centre's and the police's pages, with the read-model they show. Their templates
are the package's own (em/templates), added to the platform's search path here."""

from __future__ import annotations

from pathlib import Path

from probation.web.pages import add_templates

add_templates(Path(__file__).resolve().parents[1] / "templates")
