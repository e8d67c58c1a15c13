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
