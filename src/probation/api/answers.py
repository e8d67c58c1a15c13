"""What every API answer is declared as, so the OpenAPI document describes each one.

A JSON answer is a model whose fields are exactly the keys the route sends: an undeclared key is
an error in the tests rather than a key silently dropped from the answer. A file, a page or an
empty answer names its media type instead."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def file_answer(description: str, *media_types: str, status: int = 200) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that answers with a file (CSV, PDF, iCalendar) or an HTML page."""
    return {status: {"description": description,
                     "content": {m: {"schema": {"type": "string", "format": "binary"}} for m in media_types}}}


class Problem(BaseModel):
    """An error answer, RFC 9457 problem details (api/problems.py writes them): each error names
    the field, the value and the rule it broke."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None


# Every operation's error answers, declared once for the whole API (the application factory passes
# them to every route): a 4xx is a problem document, never the framework's own validation shape.
PROBLEMS: dict[int | str, dict[str, Any]] = {
    "4XX": {"description": "Refused: a problem document naming the field, the value and the rule",
            "content": {"application/problem+json": {"schema": Problem.model_json_schema()}}},
}
