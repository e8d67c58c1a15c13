"""The packaged OGRS3 offence weights table."""

from __future__ import annotations

import pytest

from probation.domain.risk.offence_weights import ogrs3_offence_weights, parse_offence_weights


def test_the_packaged_table_holds_3028_codes_of_which_15_need_the_exact_offence() -> None:
    table = ogrs3_offence_weights()

    assert len(table) == 3028
    assert sorted(code for code, w in table.weights.items() if w is None) == (
        [f"950{sub:02d}" for sub in range(14)] + ["99955"])


def test_the_table_is_loaded_once_and_kept() -> None:
    assert ogrs3_offence_weights() is ogrs3_offence_weights()


@pytest.mark.parametrize(("code", "weight"), [
    ("00100", 0.0), ("00406", -0.1214), ("02700", 0.7606), ("03000", 0.2406),
    ("03400", -0.6348), ("15999", 0.7334), ("99921", 0.6612), ("99968", -0.0607),
])
def test_rows_of_the_reference_table_read_back_with_their_weights(code: str,
                                                                  weight: float) -> None:
    assert ogrs3_offence_weights().weight(code) == weight


def test_a_table_with_the_wrong_header_is_refused() -> None:
    with pytest.raises(ValueError, match="header"):
        parse_offence_weights("group,sub,weight\n001,00,0\n")


def test_a_table_that_repeats_a_code_is_refused() -> None:
    with pytest.raises(ValueError, match="repeated"):
        parse_offence_weights("offence_group_code,sub_code,ogrs3_weight\n001,00,0\n001,00,0.1\n")


def test_a_table_row_with_missing_fields_is_refused() -> None:
    with pytest.raises(ValueError, match="fields"):
        parse_offence_weights("offence_group_code,sub_code,ogrs3_weight\n001,00\n")
