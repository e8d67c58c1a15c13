"""Bad input: an invalid catalogue, timescale or contract file is refused: file, key, reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from probation.catalogue import CatalogueError, load_catalogue, load_contract
from probation.domain.errors import InvalidValue

Edit = Callable[[Path, Callable[[dict], None]], None]


def _load_error(data: Path) -> CatalogueError:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(data)
    return caught.value


def test_an_unknown_key_in_a_row_is_rejected_naming_file_row_and_key(
    data_copy: Path, edit_yaml: Edit
) -> None:
    edit_yaml(data_copy / "manage-P3.1.yaml", lambda d: d["rows"][6].update(colour="blue"))
    err = _load_error(data_copy)
    assert err.file == "manage-P3.1.yaml"
    assert err.key == "rows[6] (row 7).colour"
    assert err.reason == "unknown key"
    assert str(err).startswith("manage-P3.1.yaml: rows[6] (row 7).colour: unknown key")


def test_an_unknown_key_inside_a_condition_is_rejected(data_copy: Path, edit_yaml: Edit) -> None:
    edit_yaml(
        data_copy / "rar-P2.0.yaml", lambda d: d["rows"][0].update(applies_when={"sexx": "female"})
    )
    err = _load_error(data_copy)
    assert (err.file, err.key, err.reason) == (
        "rar-P2.0.yaml",
        "rows[0] (row 1).applies_when.sexx",
        "unknown key",
    )


def test_a_bad_enum_value_is_rejected_with_the_allowed_values(
    data_copy: Path, edit_yaml: Edit
) -> None:
    edit_yaml(
        data_copy / "exclusion-P3.2.yaml",
        lambda d: d["rows"][19]["applies_when"].update(sex="unknown"),
    )
    err = _load_error(data_copy)
    assert err.key == "rows[19] (row 20).applies_when.sex"
    assert "'male' or 'female'" in err.reason


def test_a_bad_requirement_type_in_the_base_condition_is_rejected(
    data_copy: Path, edit_yaml: Edit
) -> None:
    edit_yaml(
        data_copy / "supervision-P2.2.yaml",
        lambda d: d["base_condition"].update(requirement_types_any=["supervision", "tagging"]),
    )
    err = _load_error(data_copy)
    assert err.file == "supervision-P2.2.yaml"
    assert err.key.startswith("base_condition.requirement_types_any")


def test_a_duplicate_row_number_is_rejected(data_copy: Path, edit_yaml: Edit) -> None:
    edit_yaml(data_copy / "rar-P2.0.yaml", lambda d: d["rows"][4].update(row=4))
    err = _load_error(data_copy)
    assert err.file == "rar-P2.0.yaml" and err.key == "rows[4].row"
    assert "row 4 appears twice" in err.reason


def test_a_missing_row_number_is_rejected(data_copy: Path, edit_yaml: Edit) -> None:
    edit_yaml(data_copy / "rar-P2.0.yaml", lambda d: d["rows"].pop(2))
    err = _load_error(data_copy)
    assert "without gaps" in err.reason and "[3]" in err.reason


def test_a_duplicate_yaml_key_is_rejected_with_its_line(data_copy: Path) -> None:
    path = data_copy / "rar-P2.0.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "spec_id: rar\n", "spec_id: rar\nspec_id: rar\n", 1
        ),
        encoding="utf-8",
    )
    err = _load_error(data_copy)
    assert err.file == "rar-P2.0.yaml" and err.key.startswith("line ")
    assert "duplicate key 'spec_id'" in err.reason


def test_an_empty_output_text_is_rejected(data_copy: Path, edit_yaml: Edit) -> None:
    edit_yaml(data_copy / "post_release-P3.1.yaml", lambda d: d["rows"][0].update(output="  "))
    err = _load_error(data_copy)
    assert err.key == "rows[0] (row 1).output"


def test_a_commissionable_option_without_an_id_is_rejected(
    data_copy: Path, edit_yaml: Edit
) -> None:
    edit_yaml(data_copy / "post_release-P3.1.yaml", lambda d: d["rows"][11].pop("option_id"))
    err = _load_error(data_copy)
    assert err.key == "rows[11] (row 12)" and "option_id is required" in err.reason


def test_a_type_b_row_outside_the_manage_spec_is_rejected(data_copy: Path, edit_yaml: Edit) -> None:
    edit_yaml(data_copy / "rar-P2.0.yaml", lambda d: d["rows"][0].update(output_level="B"))
    err = _load_error(data_copy)
    assert "output_level" in err.reason


def test_a_missing_output_level_decision_is_rejected(data_copy: Path, edit_yaml: Edit) -> None:
    edit_yaml(data_copy / "manage-P3.1.yaml", lambda d: d["output_levels"].pop("curfew"))
    err = _load_error(data_copy)
    assert err.file == "manage-P3.1.yaml" and "curfew" in err.reason


def test_a_row_clause_repeating_the_base_condition_is_rejected(
    data_copy: Path, edit_yaml: Edit
) -> None:
    edit_yaml(
        data_copy / "rar-P2.0.yaml",
        lambda d: d["rows"][0].update(applies_when={"sentence_types": ["community_order"]}),
    )
    err = _load_error(data_copy)
    assert err.key == "rows[0] (row 1).applies_when" and "sentence_types set twice" in err.reason


def test_a_file_named_for_another_version_is_rejected(data_copy: Path) -> None:
    (data_copy / "rar-P2.0.yaml").rename(data_copy / "rar-P9.9.yaml")
    err = _load_error(data_copy)
    assert err.file == "rar-P9.9.yaml" and "rar-P2.0.yaml" in err.reason


def test_a_bad_timescale_kind_is_rejected(data_copy: Path, edit_yaml: Edit) -> None:
    edit_yaml(
        data_copy / "timescales.yaml", lambda d: d["rules"]["manage"][3].update(kind="whenever")
    )
    err = _load_error(data_copy)
    assert err.file == "timescales.yaml" and err.key == "rules.manage.3"
    assert "once_after_event" in err.reason


def test_a_negative_offset_is_rejected(data_copy: Path, edit_yaml: Edit) -> None:
    edit_yaml(
        data_copy / "timescales.yaml",
        lambda d: d["rules"]["exclusion"][4].update(within={"days": -1, "unit": "calendar"}),
    )
    err = _load_error(data_copy)
    assert err.key == "rules.exclusion.4.within.days"
    assert "greater than or equal to 0" in err.reason


def test_an_unknown_evidence_event_kind_is_rejected(data_copy: Path, edit_yaml: Edit) -> None:
    edit_yaml(
        data_copy / "timescales.yaml",
        lambda d: d["rules"]["manage"][1].update(evidence=["case_createdd"]),
    )
    err = _load_error(data_copy)
    assert err.key.startswith("rules.manage.1.evidence[0]")


def test_a_reference_to_an_unknown_named_timescale_is_rejected(
    data_copy: Path, edit_yaml: Edit
) -> None:
    edit_yaml(
        data_copy / "timescales.yaml",
        lambda d: d["rules"]["manage"][3].update(within={"timescale": "whenever_convenient"}),
    )
    err = _load_error(data_copy)
    assert err.key == "rules.manage.3" and "'whenever_convenient'" in err.reason


def test_a_row_without_a_due_rule_is_rejected(data_copy: Path, edit_yaml: Edit) -> None:
    edit_yaml(data_copy / "timescales.yaml", lambda d: d["rules"]["rar"].pop(5))
    err = _load_error(data_copy)
    assert err.key == "rules" and "rar row 5" in err.reason


def test_a_due_rule_for_a_row_that_does_not_exist_is_rejected(
    data_copy: Path, edit_yaml: Edit
) -> None:
    edit_yaml(
        data_copy / "timescales.yaml",
        lambda d: d["rules"]["post_release"].update({13: d["rules"]["post_release"][12]}),
    )
    err = _load_error(data_copy)
    assert err.key == "rules.post_release.13" and "no row 13" in err.reason


def test_a_named_timescale_without_a_source_is_rejected(data_copy: Path, edit_yaml: Edit) -> None:
    edit_yaml(data_copy / "timescales.yaml", lambda d: d["named_timescales"]["plan"].pop("source"))
    err = _load_error(data_copy)
    assert err.key == "named_timescales.plan.source" and err.reason == "required key is missing"


def test_an_invalid_yaml_file_is_rejected_not_a_traceback(data_copy: Path) -> None:
    (data_copy / "timescales.yaml").write_text("rules: [unclosed\n", encoding="utf-8")
    err = _load_error(data_copy)
    assert err.file == "timescales.yaml" and "invalid YAML" in err.reason


def test_a_catalogue_error_is_a_domain_error_so_the_cli_prints_one_line(
    data_copy: Path, edit_yaml: Edit
) -> None:
    edit_yaml(data_copy / "rar-P2.0.yaml", lambda d: d.update(extra=1))
    assert isinstance(_load_error(data_copy), InvalidValue)


def test_a_contract_buying_an_unknown_option_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "contract_id: c\nprovider: P\ncommissioned_options: [supervision.mentoring, rar.massage]\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as caught:
        load_contract(path)
    assert (caught.value.file, caught.value.key) == ("c.yaml", "commissioned_options[1]")
    assert "'rar.massage' is not a commissionable option" in caught.value.reason


def test_a_contract_overriding_an_unknown_timescale_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "contract_id: c\nprovider: P\ntimescale_overrides: {plan_x: {days: 3, unit: working}}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as caught:
        load_contract(path)
    assert caught.value.key == "timescale_overrides.plan_x"


def test_a_contract_with_an_unknown_key_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("contract_id: c\nprovider: P\ndiscount: 10\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_contract(path)
    assert (caught.value.key, caught.value.reason) == ("discount", "unknown key")
