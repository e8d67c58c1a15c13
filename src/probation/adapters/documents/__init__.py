"""Documents: letters, notices, reports and evidence packs rendered from Jinja2 templates to HTML
and to PDF (WeasyPrint). The platform's own document templates live in `templates/` beside this
module; a package with documents of its own passes its folder to `Renderer`.
Services render through here and never open a template folder or WeasyPrint themselves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, Undefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent / "templates"


class MissingIsAnError(Undefined):
    """Printing a missing value fails (never a blank in a notice to the police); testing one with
    `{% if %}` is allowed, so optional lines can be left out."""

    __str__ = Undefined._fail_with_undefined_error


def long_date(d: date | None) -> str:
    return d.strftime("%-d %B %Y") if d else ""


FILTERS: dict[str, Callable[..., Any]] = {"long": long_date}


class Renderer:
    """Documents from one template folder or several, searched in order (default: the platform's
    own `templates/`). `strict` makes printing a missing value an error; `trim` drops the newline
    after a block tag."""

    def __init__(self, *folders: Path, strict: bool = False, trim: bool = True) -> None:
        self.folders = folders or (TEMPLATES,)
        self.env = Environment(loader=FileSystemLoader([str(f) for f in self.folders]),
                               autoescape=select_autoescape(["html"]),
                               undefined=MissingIsAnError if strict else Undefined,
                               trim_blocks=trim, lstrip_blocks=trim)
        self.env.filters.update(FILTERS)

    def html(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def pdf(self, html: str) -> bytes:
        """The HTML as a PDF; relative links (stylesheets, images) resolve in the first folder."""
        return html_to_pdf(html, base_url=self.folders[0])


def html_to_pdf(html: str, *, base_url: Path | None = None) -> bytes:
    from weasyprint import HTML  # imported on use: WeasyPrint loads Pango when imported

    pdf = HTML(string=html, base_url=str(base_url) if base_url else None).write_pdf()
    assert pdf is not None
    return bytes(pdf)
