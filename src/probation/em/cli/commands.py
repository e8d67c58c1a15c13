"""`probation em ...`: electronic monitoring commands. `em replay` runs a trail through the
geofence engine and prints the alerts it raises (other em commands join this group).

Bad values (an unreadable file, a zone that is not a valid polygon) are domain errors that
main.py prints as one line with exit code 2; rejected trail lines go to stderr with their line
number and reason, and the rest of the trail is still replayed."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

# heavy: the geofence engine (numpy, shapely, pyproj) and the settings are imported when a command
# runs, so `probation --help` stays fast.
if TYPE_CHECKING:
    from probation.em.geofence import Alert

em = typer.Typer(no_args_is_help=True, help="Electronic monitoring: zones, trails and alerts.")


def _read(path: Path, what: str) -> bytes:
    from probation.domain.errors import InvalidValue

    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidValue(
            f"{what} file {str(path)!r} cannot be read: {exc.strerror}",
            field=what,
            value=str(path),
            rule="the file exists and is readable",
        ) from None


def _number(text: str | None, field: str) -> float | None:
    from probation.domain.errors import InvalidValue

    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidValue(
            f"{field} {text!r} is not a number of metres",
            field=field,
            value=text,
            rule="a distance in metres, 0 or more",
        ) from None
    if not value >= 0 or value == float("inf"):
        raise InvalidValue(
            f"{field} {text!r} is not a distance of 0 metres or more",
            field=field,
            value=text,
            rule="a distance in metres, 0 or more",
        )
    return value


def _line(alert: Alert) -> str:
    from probation.em.geofence.times import iso

    zone = f" zone {alert.zone} ({alert.zone_kind})" if alert.zone else ""
    flags = (" BREACH" if alert.breach else "") + (
        " inferred between fixes" if alert.inferred else ""
    )
    detail = f" [{alert.detail}]" if alert.detail else ""
    who = f"{alert.person} / {alert.device}"
    return f"{iso(alert.time_ms)}  {alert.kind:<22} {who}{zone}{flags}{detail}"


def replay(
    zones: Path, trail: Path, approach_m: float | None, until: datetime | None, now: datetime
) -> tuple[list[Alert], list[str]]:
    """Alerts the trail raises, then the watchdogs at the end of the trail (or `until`); and the
    messages for stderr."""
    from probation.config import get_settings
    from probation.domain.errors import InvalidValue
    from probation.em.geofence import (
        EngineConfig,
        GeofenceEngine,
        parse_trail,
        parse_zones_geojson,
    )
    from probation.em.geofence.times import from_ms

    try:
        data: Any = json.loads(_read(zones, "zones"))
    except json.JSONDecodeError as exc:
        raise InvalidValue(
            f"zones file {str(zones)!r} is not JSON: {exc.msg} at line {exc.lineno}",
            field="zones",
            value=str(zones),
            rule="zones are GeoJSON",
        ) from None
    book, rejected = parse_zones_geojson(data)
    if rejected:
        details = "; ".join(r.reason for r in rejected)
        raise InvalidValue(
            f"zones file {str(zones)!r} has {len(rejected)} bad feature(s): {details}",
            field="zones",
            value=str(zones),
            rule="every zone is valid",
        )
    config = EngineConfig(
        approach_m=approach_m if approach_m is not None else get_settings().em_approach_m_default
    )
    parsed = parse_trail(_read(trail, "trail").splitlines())
    engine = GeofenceEngine(book, config)
    result = engine.evaluate(parsed.fixes, parsed.events, now=now)
    times = [int(parsed.fixes.t_ms.max())] if len(parsed.fixes) else []
    times += [e.time_ms for e in parsed.events]
    alerts = list(result.alerts)
    end = until if until is not None else (from_ms(max(times)) if times else None)
    if end is not None:
        alerts += engine.tick(end)
    alerts.sort(key=lambda a: a.sort_key)
    messages = [
        f"line {r.line}: rejected: {r.reason}"
        for r in sorted([*parsed.rejections, *result.rejections], key=lambda r: r.line)
    ]
    messages += [f"line {r.line}: not evaluated: {r.reason}" for r in result.late]
    return alerts, messages


@em.command("replay")
def replay_cmd(
    zones: Path = typer.Option(..., "--zones", help="GeoJSON FeatureCollection of zones"),
    trail: Path = typer.Option(..., "--trail", help="NDJSON trail: fixes and device events"),
    approach_m: str = typer.Option(
        None, "--approach-m", help="Approach distance for zones without approach_m (metres)"
    ),
    until: str = typer.Option(
        None, "--until", help="Run the watchdogs at this time (default: the trail's last time)"
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per alert"),
) -> None:
    """Replay a trail against zones and print the alerts it raises, in time order."""
    from probation.adapters.clock import system_clock
    from probation.em.geofence.times import parse_time

    alerts, messages = replay(
        zones,
        trail,
        _number(approach_m, "approach_m"),
        parse_time(until, "until") if until else None,
        system_clock(),
    )
    for message in messages:
        print(message, file=sys.stderr)
    for alert in alerts:
        typer.echo(json.dumps(alert.as_dict()) if as_json else _line(alert))


def register(app: typer.Typer) -> None:
    app.add_typer(em, name="em")
