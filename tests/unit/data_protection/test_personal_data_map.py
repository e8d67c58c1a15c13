"""The map of where a person's records live: a table holding a case id or a CRN (or a foreign key to
a case or a person) is either exported and retained, or excluded with a reason."""

from __future__ import annotations

from probation.domain.data_protection.retention import RecordKind
from probation.services.personal_data import excluded, holdings, tables

HOLDINGS = holdings()  # the core's and each registered feature's (tests/conftest.py installs them all)
EXCLUDED = excluded()


def _personal(table: object) -> bool:
    columns = table.c  # type: ignore[attr-defined]
    if "case_id" in columns or "crn" in columns:
        return True
    return any(fk.column.table.name in ("case_record", "person") for fk in table.foreign_keys)  # type: ignore[attr-defined]


def test_every_table_holding_a_persons_records_is_mapped_or_excluded_with_a_reason() -> None:
    mapped = {h.table for h in HOLDINGS}
    forgotten = sorted(name for name, t in tables().items()
                       if _personal(t) and name not in mapped and name not in EXCLUDED)
    assert forgotten == [], ("map these tables in services/personal_data.py (CORE_HOLDINGS) or their "
                             "feature's Extension, "
                             "or exclude them with a reason")
    assert all(reason.strip() for reason in EXCLUDED.values())


def test_the_map_names_only_tables_that_exist_and_each_once() -> None:
    names = [h.table for h in HOLDINGS]
    assert len(names) == len(set(names))
    assert set(names) | set(EXCLUDED) <= set(tables())
    assert not set(names) & set(EXCLUDED)


def test_a_childs_parent_is_mapped_under_the_same_kind_and_disposed_of_after_it() -> None:
    order = [h.table for h in HOLDINGS]
    by_table = {h.table: h for h in HOLDINGS}
    for h in HOLDINGS:
        if h.parent:
            parent = by_table[h.parent[1]]
            assert parent.kind is h.kind and order.index(h.table) < order.index(parent.table)


def test_every_kind_measured_from_closure_disposes_of_some_table() -> None:
    kinds = {h.kind for h in HOLDINGS}
    assert {k for k in RecordKind if k.from_closure} <= kinds
