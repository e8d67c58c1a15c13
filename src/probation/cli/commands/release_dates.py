"""`probation release-dates`: release, licence and top-up supervision dates of a custodial sentence."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

import typer

# heavy: the release rules (and the bank-holiday calendar) are imported when the command runs.
if TYPE_CHECKING:
    from probation.domain.release import ReleaseDates, ReleaseTrack


def _date(text: str, field: str) -> date:
    from probation.domain.errors import InvalidValue

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidValue(f"{field.replace('_', ' ')} {text!r} is not a date", field=field,
                           value=text, rule="dates are written YYYY-MM-DD") from None


def _track(text: str) -> ReleaseTrack:
    from probation.domain.errors import InvalidValue
    from probation.domain.release import ReleaseTrack

    try:
        return ReleaseTrack(text.strip().lower())
    except ValueError:
        options = ", ".join(t.value for t in ReleaseTrack)
        raise InvalidValue(f"track {text!r} is not one of {options}", field="track", value=text,
                           rule="the release track is standard, excluded or sds_plus") from None


def release_dates(
    sentence_date: str = typer.Option(..., "--sentence-date", help="Date sentenced, YYYY-MM-DD."),
    length: str = typer.Option(..., "--length", help="Sentence length: 10m, 2y, 6w, 45d, 1y6m."),
    offence_date: str = typer.Option(..., "--offence-date", help="Date of the offence."),
    dob: str = typer.Option(..., "--dob", help="Date of birth."),
    remand_days: int = typer.Option(0, "--remand-days", help="Remand and tagged-bail credit."),
    track: str = typer.Option("standard", "--track",
                              help="standard, excluded (from SDS40) or sds_plus."),
    on: str | None = typer.Option(None, "--on", help="Also give the phase on this date."),
    pss_repeal_date: str | None = typer.Option(
        None, "--pss-repeal-date", help="Day the repeal of post-sentence supervision takes effect "
        "(default: the documented placeholder)."),
    no_pss_repeal: bool = typer.Option(False, "--no-pss-repeal",
                                       help="Calculate as if PSS had not been repealed."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Release (CRD), licence and sentence expiry (SLED), and top-up supervision end (TUSED)."""
    from probation.domain.errors import InvalidValue
    from probation.domain.release import (
        DEFAULT_RULES,
        ReleaseFacts,
        SentenceLength,
        calculate_release_dates,
    )

    facts = ReleaseFacts(
        sentence_date=_date(sentence_date, "sentence_date"), length=SentenceLength.parse(length),
        offence_date=_date(offence_date, "offence_date"), date_of_birth=_date(dob, "date_of_birth"),
        remand_days=remand_days, track=_track(track))
    rules = DEFAULT_RULES
    if no_pss_repeal and pss_repeal_date is not None:
        raise InvalidValue("--no-pss-repeal and --pss-repeal-date contradict each other",
                           field="pss_repeal_date", value=pss_repeal_date,
                           rule="give a repeal date or no repeal, not both")
    if no_pss_repeal:
        rules = rules.with_pss_repeal(None)
    elif pss_repeal_date is not None:
        rules = rules.with_pss_repeal(_date(pss_repeal_date, "pss_repeal_date"))
    on_day = _date(on, "on") if on is not None else None
    result = calculate_release_dates(facts, rules)
    out = result.as_dict()
    if on_day is not None:
        phase = result.phase_on(on_day)
        out["on"] = {"date": on_day.isoformat(), "phase": phase.value,
                     "enforcement_route": phase.enforcement_route.value}
    if as_json:
        typer.echo(json.dumps(out, sort_keys=False))
        return
    typer.echo(_text(result, out))


def _text(result: ReleaseDates, out: dict[str, object]) -> str:
    def period(p: object) -> str:
        return f"{p['start']} to {p['last_day']}" if isinstance(p, dict) else "none"

    lines = [
        f"Sentence        {out['length']} ({result.length_days} days) from {out['sentence_date']}, "
        f"{result.facts.track.label}, release at {out['release_fraction']}",
        f"CRD             {out['conditional_release_date']}"
        + (" (immediate release)" if result.immediate_release else ""),
        f"Release day     {out['release_day']}",
        f"SLED            {out['sentence_expiry']}",
        f"Licence         {period(out['licence'])}: {result.licence_reason}",
        f"TUSED           {out['tused'] or 'none'}: {result.tused_reason}",
        f"PSS             {period(out['pss'])}: {result.pss_reason}",
        "Rules           " + ", ".join(f"{r.id} (from {r.in_force_from.isoformat()})"
                                       for r in result.rules),
    ]
    on = out.get("on")
    if isinstance(on, dict):
        lines.append(f"On {on['date']}   {on['phase']} (enforcement: {on['enforcement_route']})")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    app.command("release-dates")(release_dates)
