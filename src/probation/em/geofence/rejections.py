"""A rejected input line or feature: where it was and why, so nothing is dropped silently."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Rejection:
    """`line` is the 1-based NDJSON line (or GeoJSON feature number); `reason` names the value
    and the rule it breaks."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"
