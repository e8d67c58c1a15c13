"""The real data files: every one loads, and the catalogue says what the specifications say."""

from __future__ import annotations

from collections import Counter

import pytest

from probation.catalogue import OutputLevel, Provision, Scope, SpecId, load_catalogue, load_contract
from probation.catalogue.conditions import Register
from probation.catalogue.loader import DATA_DIR
from probation.domain.events import RECORDED_KINDS, EventKind
from probation.domain.people import Sex
from probation.domain.requirements import RequirementType
from probation.domain.sentences import SentenceType

CAT = load_catalogue()


def test_every_real_data_file_loads_and_all_103_rows_are_there() -> None:
    assert len(CAT) == 103
    assert {p.name for p in DATA_DIR.glob("*.yaml")} == {
        "exclusion-P3.2.yaml",
        "manage-P3.1.yaml",
        "supervision-P2.2.yaml",
        "post_release-P3.1.yaml",
        "rar-P2.0.yaml",
        "timescales.yaml",
    }


@pytest.mark.parametrize(
    ("spec", "version", "count"),
    [
        (SpecId.EXCLUSION, "P3.2", 27),
        (SpecId.MANAGE, "P3.1", 36),
        (SpecId.SUPERVISION, "P2.2", 23),
        (SpecId.POST_RELEASE, "P3.1", 12),
        (SpecId.RAR, "P2.0", 5),
    ],
)
def test_each_specification_has_its_exact_row_count_numbered_from_one(
    spec: SpecId, version: str, count: int
) -> None:
    rows = CAT.rows_for(spec)
    assert [r.row for r in rows] == list(range(1, count + 1))
    assert {r.version for r in rows} == {version}
    assert CAT.specs[spec].version == version


def test_every_row_has_output_text_a_service_element_and_a_due_rule() -> None:
    for key, row in CAT.rows.items():
        assert (
            row.output.strip()
            and row.service_element.strip()
            and row.applicable_offender_types.strip()
        ), key
        assert key in CAT.rules


def test_every_contract_file_shipped_loads() -> None:
    files = sorted((DATA_DIR / "contracts").glob("*.yaml"))
    assert files
    for path in files:
        load_contract(path, CAT)


def test_commissionable_options_are_supervision_18_to_23_and_post_release_12_only() -> None:
    options = {r.key for r in CAT.rows.values() if r.provision is Provision.COMMISSIONABLE_OPTION}
    assert options == {("supervision", n) for n in range(18, 24)} | {("post_release", 12)}
    assert all(r.option_id for r in CAT.rows.values() if r.key in options)


def test_post_release_row_12_vs_13_inconsistency_is_recorded() -> None:
    assert ("post_release", 13) not in CAT.rows
    row = CAT.row("post_release", 12)
    assert row.option_id == "post_release.enhanced_contact"
    assert any("row 13" in n for n in row.notes)
    assert any("row 13" in n for n in CAT.specs[SpecId.POST_RELEASE].notes)


def test_manage_em_responsible_officer_rows_are_the_union_of_both_lists_with_7_and_24_noted() -> (
    None
):
    marked = sorted(r.row for r in CAT.rows_for(SpecId.MANAGE) if r.em_responsible_officer)
    assert marked == [1, 2, 3, 5, 6, 7, 21, 23, 24, 26, 27, 28, 36]
    for n in (7, 24):
        assert any("only in Annex A" in note for note in CAT.row("manage", n).notes)
    assert not CAT.row("manage", 35).em_responsible_officer
    assert any("'@'" in note for note in CAT.row("manage", 35).notes)


def test_manage_output_levels_follow_annex_b() -> None:
    levels = {r.row: r.output_level for r in CAT.rows_for(SpecId.MANAGE)}
    assert sorted(n for n, lv in levels.items() if lv is OutputLevel.C) == [11, 20, 33]
    assert sorted(n for n, lv in levels.items() if lv is OutputLevel.B) == [
        8,
        9,
        10,
        18,
        25,
        29,
        32,
        34,
    ]
    assert Counter(levels.values())[OutputLevel.A] == 25


def test_only_the_manage_specification_carries_output_levels() -> None:
    for row in CAT.rows.values():
        assert (row.output_level is not None) == (row.spec_id is SpecId.MANAGE)
        assert not row.em_responsible_officer or row.spec_id is SpecId.MANAGE


def test_annex_a_decision_is_recorded_for_every_requirement_type_with_a_reason() -> None:
    levels = CAT.specs[SpecId.MANAGE].output_levels
    assert levels is not None
    assert set(levels) == set(RequirementType)
    assert all(d.reason for d in levels.values())


def test_exclusion_rows_split_on_electronic_monitoring() -> None:
    for row in CAT.rows_for(SpecId.EXCLUSION):
        cond = row.applies_when
        assert cond.requirement_types_any == frozenset({RequirementType.EXCLUSION})
        assert cond.electronically_monitored is (row.row <= 20), row.row
    assert CAT.row("exclusion", 20).applies_when.sex is Sex.FEMALE


def test_post_release_rows_apply_to_licence_and_post_sentence_supervision() -> None:
    for row in CAT.rows_for(SpecId.POST_RELEASE):
        assert row.applies_when.sentence_types == frozenset({SentenceType.CUSTODIAL})
        assert (
            row.applies_when.supervision_periods is not None
            and len(row.applies_when.supervision_periods) == 2
        )


def test_registers_conditions_read_from_the_offender_type_columns() -> None:
    assert CAT.row("supervision", 12).applies_when.registers_any == frozenset({Register.PPO})
    assert Register.MAPPA in (CAT.row("manage", 19).applies_when.registers_any or ())
    assert CAT.row("manage", 15).applies_when.sex is Sex.FEMALE


def test_service_level_rows_are_marked() -> None:
    service = sorted(r.key for r in CAT.rows.values() if r.scope is Scope.SERVICE)
    assert service == [
        ("exclusion", 3),
        ("exclusion", 5),
        ("exclusion", 6),
        ("exclusion", 7),
        ("exclusion", 21),
        ("rar", 4),
        ("supervision", 16),
    ]


def test_platform_lifecycle_events_discharge_the_manage_rows_they_evidence() -> None:
    rules = CAT.due_rules()
    evidenced = {key[1]: set(r.evidence) for key, r in rules.items() if key[0] == "manage"}
    assert EventKind.CASE_CREATED in evidenced[1]
    assert EventKind.AGENCIES_NOTIFIED in evidenced[2]
    assert EventKind.ALLOCATED in evidenced[3]
    assert (
        EventKind.FEMALE_OPTIONS_RECORDED in evidenced[4]
        and EventKind.FEMALE_OPTIONS_RECORDED in evidenced[5]
    )
    assert EventKind.INDUCTION_COMPLETED in evidenced[6]
    assert (
        EventKind.TRANSFER_ACCEPTED in evidenced[27]
        and EventKind.TRANSFER_ACCEPTED in evidenced[28]
    )
    assert EventKind.CLOSED in evidenced[36]
    for n in (1, 2, 3, 4, 5, 6, 27, 28, 36):
        assert not rules[("manage", n)].awaiting_evidence


def test_rows_evidenced_only_by_kinds_not_yet_recorded_await_evidence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from probation.catalogue import timescales

    monkeypatch.setattr(timescales, "RECORDED_KINDS", frozenset({EventKind.CASE_CREATED}))
    plan = CAT.due_rule(("manage", 8))
    assert plan.evidence == (EventKind.PLAN_COMPLETED,)
    assert plan.awaiting_evidence
    assert not CAT.due_rule(("manage", 1)).awaiting_evidence


def test_event_kinds_and_case_dates_do_not_share_a_name() -> None:
    from probation.catalogue.timescales import CaseDate

    assert not {e.value for e in EventKind} & {d.value for d in CaseDate}


def test_a_rule_awaits_evidence_exactly_when_no_evidence_kind_is_recorded_today() -> None:
    for key, rule in CAT.due_rules().items():
        assert rule.awaiting_evidence == (not set(rule.evidence) & RECORDED_KINDS), key


def test_every_named_timescale_documents_its_source() -> None:
    for name, ts in CAT.named_timescales.items():
        assert ts.source.startswith("platform default: ") or "row" in ts.source, name


def test_docs_list_every_named_timescale_and_every_recorded_interpretation() -> None:
    from pathlib import Path

    doc = (Path(__file__).parents[3] / "docs" / "CATALOGUE.md").read_text(encoding="utf-8")
    for name in CAT.named_timescales:
        assert f"`{name}`" in doc, name
    for spec in CAT.specs.values():
        for note in spec.notes:
            assert note in doc, note
    for row in CAT.rows.values():
        for note in row.notes:
            assert f"Row {row.row}: {note}" in doc, (row.key, note)
