"""The retention policy: the defaults, a file that changes some kinds, and every bad file refused at
start-up with a message naming the problem; periods end on the anniversary of closure."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from probation.domain.data_protection.retention import (
    Disposal,
    RecordKind,
    RetentionPeriod,
    anonymised_birth_date,
    default_policy,
    load_policy,
    parse_policy,
    scrub,
)
from probation.domain.errors import InvalidValue


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "retention.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_defaults_cover_every_kind_and_keep_em_positions_shorter_than_the_records() -> None:
    policy = default_policy()
    assert set(policy.rules) == set(RecordKind)
    assert policy.rule(RecordKind.EM_FIXES).period.approx_days < policy.rule(RecordKind.EM_RECORDS).period.approx_days
    assert policy.rule(RecordKind.PERSON).action is Disposal.ANONYMISE
    assert policy.rule(RecordKind.EM_FIXES).action is Disposal.DELETE


def test_a_file_changes_only_the_kinds_it_names(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, "version: local-1\nkinds:\n  em_fixes: {action: delete, days: 90}\n"))
    assert policy.version == "local-1"
    assert policy.rule(RecordKind.EM_FIXES).period == RetentionPeriod(days=90)
    assert policy.rule(RecordKind.SUPERVISION) == default_policy().rule(RecordKind.SUPERVISION)


@pytest.mark.parametrize(("text", "names"), [
    ("version: x\nkinds:\n  emfixes: {action: delete, days: 90}\n", "kinds.emfixes"),
    ("version: x\nkinds:\n  em_fixes: {action: delete, weeks: 2}\n", "weeks"),
    ("version: x\nkinds:\n  em_fixes: {action: delete, days: -1}\n", "kinds.em_fixes.days"),
    ("version: x\nkinds:\n  em_fixes: {action: delete}\n", "kinds.em_fixes has no period"),
    ("version: x\nkinds:\n  person: {action: delete, years: 7}\n", "person may only be anonymise"),
    ("version: x\nkinds:\n  em_fixes: {action: delete, years: 8}\n", "longer than EM records"),
    ("version: x\nkinds:\n  letters: {action: delete, years: 9}\n", "longer than the person's identity"),
    ("kinds: {}\n", "version"),
    ("- just a list\n", "document"),
])
def test_a_bad_file_is_refused_naming_the_problem(tmp_path: Path, text: str, names: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        load_policy(write(tmp_path, text))
    assert names in exc.value.message


def test_an_unreadable_file_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(InvalidValue, match="cannot read retention policy"):
        load_policy(tmp_path / "missing.yaml")
    with pytest.raises(InvalidValue, match="cannot read"):
        load_policy(write(tmp_path, "kinds: [unclosed\n"))


def test_a_policy_without_a_base_needs_every_kind() -> None:
    with pytest.raises(InvalidValue, match="no rule for"):
        parse_policy({"version": "x", "kinds": {"audit": {"action": "delete", "years": 1}}})


def test_a_record_is_kept_through_the_last_day_of_its_period_and_past_on_the_anniversary() -> None:
    policy = default_policy()
    closed = date(2019, 3, 14)
    assert not policy.past(RecordKind.SUPERVISION, closed, date(2026, 3, 13))
    assert policy.past(RecordKind.SUPERVISION, closed, date(2026, 3, 14))
    assert not policy.past(RecordKind.EM_FIXES, closed, date(2020, 3, 13))
    assert policy.past(RecordKind.EM_FIXES, closed, date(2020, 3, 14))


def test_the_latest_start_past_inverts_the_period_across_month_ends() -> None:
    for period in (RetentionPeriod(years=7), RetentionPeriod(months=1), RetentionPeriod(months=13, days=3)):
        for day in (date(2026, 3, 1), date(2026, 2, 28), date(2024, 2, 29), date(2026, 12, 31)):
            start = period.latest_start_past(day)
            assert period.after(start) <= day < period.after(start + (date(2000, 1, 2) - date(2000, 1, 1)))


def test_an_anonymised_event_keeps_codes_numbers_and_times_but_no_free_text() -> None:
    data = {"agencies": ["POL-WY", "CSC-LDS"], "appointment_id": 12, "attended": True, "outcome": "attended",
            "at": "2026-11-23T10:00:00+00:00", "summary": "Told me he is staying at his sister's flat",
            "account": "Bus was late", "email": "jo@example.org", "nested": {"note": "two words", "code": "C1"},
            "none": None}
    assert scrub(data) == {"agencies": ["POL-WY", "CSC-LDS"], "appointment_id": 12, "attended": True,
                           "outcome": "attended", "at": "2026-11-23T10:00:00+00:00", "nested": {"code": "C1"},
                           "none": None}
    assert scrub(scrub(data)) == scrub(data)


def test_an_anonymised_birth_date_keeps_only_the_year() -> None:
    assert anonymised_birth_date(date(1990, 5, 17)) == date(1990, 7, 1)
