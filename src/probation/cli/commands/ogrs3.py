"""`probation ogrs3`: score the likelihood of proven reoffending with OGRS3.

Options are read as text and parsed here, so every bad value (an impossible date, a word where a
number belongs) is a domain error that main.py prints as one line with exit code 2."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

import typer

# heavy: the OGRS3 model (its weight tables) is imported when the command runs, so
# `probation ogrs3 --help` stays fast.
if TYPE_CHECKING:
    from probation.domain.people import Sex
    from probation.domain.risk.ogrs3 import Ogrs3Result


def parse_date(field: str, text: str) -> date:
    from probation.domain.errors import InvalidValue

    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise InvalidValue(f"{field} {text!r} is not a real date ({exc})", field=field, value=text,
                           rule="an ISO 8601 calendar date, YYYY-MM-DD, that exists") from None


def parse_count(field: str, text: str) -> int:
    from probation.domain.errors import InvalidValue

    try:
        return int(text.strip())
    except ValueError:
        raise InvalidValue(f"{field} {text!r} is not a whole number", field=field, value=text,
                           rule="a whole number") from None


def parse_sex(text: str) -> Sex:
    from probation.domain.errors import InvalidValue
    from probation.domain.people import Sex

    try:
        return Sex(text.strip().lower())
    except ValueError:
        raise InvalidValue(f"sex {text!r} is not male or female", field="sex", value=text,
                           rule="OGRS3 has weights for male and female") from None


def result_as_dict(result: Ogrs3Result) -> dict[str, Any]:
    i = result.inputs
    return {
        "model": result.model.name,
        "version": result.model.version,
        "one_year": result.one_year,
        "two_year": result.two_year,
        "band": result.band.value,
        "likelihood": result.likelihood.value,
        "inputs": {
            "sex": i.sex.value,
            "dob": i.date_of_birth.isoformat(),
            "conviction_date": i.conviction_date.isoformat(),
            "follow_up_date": i.follow_up_date.isoformat(),
            "sanctions": i.total_sanctions,
            "first_sanction_age": i.age_at_first_sanction,
            "offence_code": i.offence_code,
        },
        "derived": {
            "age_at_conviction": i.age_at_conviction,
            "age_at_follow_up": i.age_at_follow_up,
            "previous_sanctions": i.previous_sanctions,
            "conviction_status": result.conviction_status.value,
        },
        "terms": {
            "age_sex": result.age_sex_weight,
            "conviction_status": result.conviction_status_weight,
            "copas_log_ratio": result.copas_log_ratio,
            "copas": result.copas_weight,
            "offence": result.offence_weight,
            "score": result.score,
        },
        "probabilities": {
            "one_year": result.one_year_probability,
            "two_year": result.two_year_probability,
        },
    }


def summary(result: Ogrs3Result) -> str:
    i = result.inputs
    return "\n".join([
        f"OGRS3 ({result.model}): likelihood of proven reoffending",
        f"  one_year: {result.one_year}%",
        f"  two_year: {result.two_year}%",
        f"  band: {result.band.value} (on the two-year %: 0-49 low, 50-74 medium, 75-89 high, "
        "90+ very high)",
        f"  {i.sex.value}, aged {i.age_at_conviction} at conviction and {i.age_at_follow_up} "
        f"at the start of follow-up; {i.total_sanctions} sanction(s), the first at "
        f"{i.age_at_first_sanction} ({result.conviction_status.value}); offence {i.offence_code}",
        f"  terms: age/sex {result.age_sex_weight:+.5f}, conviction status "
        f"{result.conviction_status_weight:+.5f}, Copas 1.25112 x {result.copas_log_ratio:+.5f} = "
        f"{result.copas_weight:+.5f}, offence {result.offence_weight:+.4f}; "
        f"score {result.score:+.5f}",
    ])


def register(app: typer.Typer) -> None:
    @app.command("ogrs3")
    def ogrs3_cmd(
        sex: str = typer.Option(..., help="male or female"),
        dob: str = typer.Option(..., help="Date of birth, YYYY-MM-DD"),
        conviction_date: str = typer.Option(..., help="Date of the current conviction"),
        follow_up_date: str = typer.Option(
            ..., help="Start of follow-up: sentence date (community) or release date (custody)"),
        sanctions: str = typer.Option(..., help="Total sanctions, the current one included"),
        first_sanction_age: str = typer.Option(..., help="Age in years at the first sanction"),
        offence_code: str = typer.Option(..., help="Home Office offence code: 02700 or 027/00"),
        as_json: bool = typer.Option(False, "--json", help="One JSON object"),
    ) -> None:
        """OGRS3 one- and two-year likelihood of proven reoffending, and its band."""
        from probation.domain.risk.ogrs3 import Ogrs3Inputs, ogrs3

        inputs = Ogrs3Inputs(
            sex=parse_sex(sex),
            date_of_birth=parse_date("dob", dob),
            conviction_date=parse_date("conviction_date", conviction_date),
            follow_up_date=parse_date("follow_up_date", follow_up_date),
            total_sanctions=parse_count("sanctions", sanctions),
            age_at_first_sanction=parse_count("first_sanction_age", first_sanction_age),
            offence_code=offence_code,
        )
        result = ogrs3(inputs)
        if as_json:
            typer.echo(json.dumps(result_as_dict(result)))
        else:
            typer.echo(summary(result))
