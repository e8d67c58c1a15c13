"""The engine's tunable rules. Defaults: approach 100 m (the platform default,
PROBATION_EM_APPROACH_M_DEFAULT); no-communication after 600 s (Traccar's default offline
timeout)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from probation.domain.errors import InvalidValue


@dataclass(frozen=True, kw_only=True)
class EngineConfig:
    approach_m: float = 100.0  # for zones that do not set their own
    exit_margin_m: float = 10.0  # clearly out = further out than the fix's accuracy + this margin
    default_accuracy_m: float = 10.0  # for fixes that do not report one
    segment_max_gap_s: float = (
        900.0  # segment between fixes checked only when at most this far apart
    )
    no_communication_s: float = 600.0  # watchdog: nothing received for this long
    no_signal_s: float = 600.0  # watchdog: no GPS fix for this long while still communicating
    future_tolerance_s: float = 300.0  # fixes later than now + this are rejected

    def __post_init__(self) -> None:
        for name in (
            "approach_m",
            "exit_margin_m",
            "default_accuracy_m",
            "segment_max_gap_s",
            "no_communication_s",
            "no_signal_s",
            "future_tolerance_s",
        ):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, int | float)
                or not math.isfinite(value)
                or value < 0
            ):
                raise InvalidValue(
                    f"{name} {value!r} is not a number of 0 or more",
                    field=name,
                    value=str(value),
                    rule="engine settings are non-negative numbers",
                )
