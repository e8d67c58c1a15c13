"""Where features outside the core add themselves to the map of a person's records
(services/personal_data.py): each registers, at start-up, a function returning its
`personal_data.Extension`, which the map calls when it is read. The core never imports them.

Nothing heavy is imported here, so the command line can register before it knows which command
(or only its help) runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from probation.services.personal_data import Extension

Provider = Callable[[], "Extension"]

_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    """Adds a feature's holdings to the map; registering the same function again changes nothing."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def providers() -> tuple[Provider, ...]:
    return tuple(_PROVIDERS)
