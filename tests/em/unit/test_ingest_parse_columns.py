"""The column-wise ingest parser takes exactly what the per-record parser takes: the same
positions in the same order with the same values, the same events, and every bad record rejected
with the same line number and reason."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probation.em.services.ingest_parse import ParsedBatch, parse_body

GOOD = {"device": "D1", "time": "2026-03-01T21:00:00Z", "lat": 53.8, "lon": -1.55,
        "accuracy_m": 8.0, "source": "gps"}

devices = st.one_of(st.sampled_from(["D1", "D2", "B-00001", "x" * 40]),
                    st.sampled_from(["", "   ", "y" * 41, 7, None, True, ["D1"], {"d": 1}]))
times = st.one_of(st.sampled_from(["2026-03-01T21:00:00Z", "2026-03-01T22:00:15+01:00",
                                   "2026-03-01T21:00:00.250Z"]),
                  st.sampled_from(["2026-03-01T21:00:00", "yesterday", "", 1_700_000_000,
                                   None, ["2026"]]))
numbers = st.one_of(st.floats(min_value=49.0, max_value=61.0),
                    st.floats(min_value=-8.0, max_value=2.0), st.integers(-200, 200),
                    st.sampled_from([None, "53.8", True, False, [1.0], 1e308, -0.0]))
accuracy = st.one_of(st.floats(min_value=0, max_value=500), st.integers(-5, 500),
                     st.sampled_from([None, -1.0, "8", True, 1e308]))
sources = st.sampled_from(["gps", "other", "GPS", "", None, 3])
events = st.sampled_from(["strap_tamper", "battery_low", "charger_on", "not_an_event", None, 5])


@st.composite
def record(draw: Any) -> Any:
    kind = draw(st.sampled_from(["position"] * 6 + ["event", "junk", "partial"]))
    if kind == "junk":
        return draw(st.sampled_from([None, 1, "text", [1, 2], [], True]))
    rec: dict[str, Any] = {}
    for key, strategy, keep in (("device", devices, 0.97), ("time", times, 0.97)):
        if draw(st.floats(0, 1)) < keep:
            rec[key] = draw(strategy)
    if kind == "event":
        rec["event"] = draw(events)
        return rec
    for key, strategy in (("lat", numbers), ("lon", numbers)):
        if kind != "partial" or draw(st.booleans()):
            rec[key] = draw(strategy)
    if draw(st.booleans()):
        rec["accuracy_m"] = draw(accuracy)
    if draw(st.booleans()):
        rec["source"] = draw(sources)
    return rec


def _same(a: ParsedBatch, b: ParsedBatch) -> None:
    assert a.records == b.records
    assert a.line == b.line
    assert a.devices == b.devices
    assert a.t_ms == b.t_ms
    assert a.lat == b.lat and a.lon == b.lon
    assert a.accuracy == b.accuracy
    assert a.source == b.source
    assert a.events == b.events
    assert [(r.line, r.reason) for r in a.rejections] == [(r.line, r.reason) for r in b.rejections]


def _both(body: bytes, content_type: str) -> tuple[ParsedBatch, ParsedBatch]:
    return (parse_body(body, content_type),
            parse_body(body, content_type, columnar=False))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(record(), max_size=40))
def test_column_wise_parsing_of_a_json_list_agrees_with_the_per_record_parser(recs: Any) -> None:
    _same(*_both(orjson.dumps(recs), "application/json"))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(record(), max_size=30), st.lists(record(), max_size=10))
def test_column_wise_parsing_of_positions_and_events_agrees_with_the_per_record_parser(
        positions: Any, evs: Any) -> None:
    body = orjson.dumps({"positions": positions, "events": evs})
    _same(*_both(body, "application/json"))


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(record().map(orjson.dumps), st.sampled_from([b"", b"{", b"  "])),
                max_size=30))
def test_column_wise_parsing_of_ndjson_agrees_with_the_per_record_parser(lines: Any) -> None:
    _same(*_both(b"\n".join(lines), "application/x-ndjson"))


@st.composite
def nearly_good(draw: Any) -> Any:
    """A good position with at most one field changed: whole columns of one type, as real
    batches are, with the odd bad value among them."""
    rec = dict(GOOD, device=draw(st.sampled_from(["D1", "D2", "D3"])),
               lat=draw(st.floats(49.0, 61.0)), accuracy_m=draw(st.integers(0, 50)))
    key, value = draw(st.sampled_from([
        ("device", devices), ("time", times), ("lat", numbers), ("lon", numbers),
        ("accuracy_m", accuracy), ("source", sources), ("event", events)]))
    if draw(st.integers(0, 5)) == 0:
        rec[key] = draw(value)
    return rec


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(nearly_good(), max_size=30))
def test_column_wise_parsing_of_nearly_clean_batches_agrees_with_the_per_record_parser(
        recs: Any) -> None:
    _same(*_both(orjson.dumps({"positions": recs}), "application/json"))


def test_a_clean_batch_is_taken_whole_with_integers_made_floats() -> None:
    recs = [dict(GOOD, device=f"D{i}", lat=54, accuracy_m=3) for i in range(5)]
    fast, slow = _both(orjson.dumps({"positions": recs}), "application/json")
    _same(fast, slow)
    assert fast.lat == [54.0] * 5 and all(type(v) is float for v in fast.lat + fast.accuracy)
    assert fast.line == [1, 2, 3, 4, 5] and fast.source == ["gps"] * 5


def test_one_bad_record_among_good_ones_is_rejected_by_number_and_the_rest_kept_in_order() -> None:
    recs = [dict(GOOD, device=f"D{i}") for i in range(4)]
    recs[2] = dict(GOOD, accuracy_m=-2)
    fast, slow = _both(orjson.dumps(recs), "application/json")
    _same(fast, slow)
    assert fast.line == [1, 2, 4]
    assert [(r.line, r.reason) for r in fast.rejections] == [
        (3, "accuracy_m -2.0 is not a distance of 0 metres or more")]
