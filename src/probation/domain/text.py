"""What counts as text in a record: Unicode characters other than NUL. A lone surrogate code point
(U+D800 to U+DFFF) is not a character, and PostgreSQL stores no NUL (U+0000) in a text field."""

from __future__ import annotations

import re
from typing import Any

RULE = ("text is valid Unicode without NUL: a lone surrogate code point (U+D800 to U+DFFF) is not a "
        "character, and U+0000 is not stored")
_NOT_TEXT = re.compile("[\x00\ud800-\udfff]")


def bad_text(value: str) -> bool:
    return _NOT_TEXT.search(value) is not None


def bad_field(value: Any, path: tuple[str, ...] = ()) -> str | None:
    """The first field (dotted, as validation errors name them) of a decoded JSON value whose name
    or string is not text, or None when all are."""
    if isinstance(value, str):
        return ".".join(path) or "body" if bad_text(value) else None
    items: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    for key, item in items:
        name = str(key)
        if bad_text(name):  # the key itself: name it as the JSON escape would
            return ".".join((*path, name.encode("ascii", "backslashreplace").decode()))
        found = bad_field(item, (*path, name))
        if found:
            return found
    return None
