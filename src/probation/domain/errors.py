"""Domain errors. Each names the field, the offending value and the rule it breaks, so the API
can answer with an RFC 9457 problem and the CLI can print one line without a traceback."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base for every rule the domain enforces."""

    status = 422

    def __init__(
        self, message: str, *, field: str | None = None, value: Any = None, rule: str | None = None
    ) -> None:
        # str() carries the rule too, so logs and test failures show why a value was refused.
        super().__init__(f"{message} (rule: {rule})" if rule else message)
        self.message = message
        self.field = field
        self.value = value
        self.rule = rule

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"message": self.message}
        if self.field is not None:
            out["field"] = self.field
        if self.value is not None:
            out["value"] = self.value if isinstance(self.value, int | float | bool) else str(self.value)
        if self.rule is not None:
            out["rule"] = self.rule
        return out


class InvalidValue(DomainError):
    """A value breaks a rule of law or of the service (a limit, a date order, a format)."""


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    """The command does not fit the current state, or someone else changed the record first."""

    status = 409


class Forbidden(DomainError):
    status = 403


class TooLarge(DomainError):
    """The input is over a size the platform accepts (records in a file, bytes in a body)."""

    status = 413


def require(condition: bool, message: str, *, field: str, value: Any, rule: str) -> None:
    """Raise InvalidValue naming field, value and rule unless the condition holds."""
    if not condition:
        raise InvalidValue(message, field=field, value=value, rule=rule)
