"""The vectorised geofence engine: each batch of fixes against each person's own active zones.

Per batch (docs/GEOFENCE.md has the rules and the state diagram):
1. reject what cannot be used (unknown device, bad position or accuracy, time beyond now +
   tolerance), each with its line and reason; sort the rest by (person, fix time); flag fixes
   that duplicate or predate the person's last evaluated fix as late, not evaluated;
2. pair every fix with its person's zone rows; classify each pair without projecting: zone
   inactive (state returns to compliant), far (the fix and the segment from the previous fix lie
   outside the zone's box widened by approach + accuracy + margin: state outside), or near;
3. keep only near pairs and pairs whose forced state differs from the one before (a run of far
   fixes changes nothing after its first), project those fixes to British National Grid once,
   measure distances and segment crossings with shapely over arrays;
4. run the per-(person, zone) state machines as a prefix scan over transition tables (each pair
   maps every prior state to a next state; composing maps is associative, so the scan is
   vectorised), then read alerts off the state changes;
5. device events and the no-signal / no-communication watchdogs, then the new state.
"""

# An index is a Python int in one loop and a NumPy integer in the next, under the same name.
# mypy: allow-redefinition

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import shapely

from probation.em.geofence.alerts import DEVICE_EVENTS, Alert, AlertKind
from probation.em.geofence.compiled import (
    M_PER_DEG_LAT,
    M_PER_DEG_LON_MIN,
    PAD_FACTOR,
    compile_zones,
)
from probation.em.geofence.config import EngineConfig
from probation.em.geofence.projection import coordinate_problems, coordinate_reason, to_bng
from probation.em.geofence.rejections import Rejection
from probation.em.geofence.schedule import minute_of_week_london
from probation.em.geofence.state import NONE_MS, PersonState, ZoneState
from probation.em.geofence.times import iso, to_ms
from probation.em.geofence.trail import DeviceEvent, FixBatch
from probation.em.geofence.zones import ZoneBook

OUT, APPR, IN = int(ZoneState.OUTSIDE), int(ZoneState.APPROACHING), int(ZoneState.INSIDE)
NEAR, IGNORED = -1, -2  # pair classes besides a forced state
EARTH_RADIUS_M = 6_371_000.0


@dataclass(frozen=True, kw_only=True)
class BatchResult:
    alerts: tuple[Alert, ...]
    rejections: tuple[Rejection, ...]  # input that cannot be used, with the reason
    late: tuple[Rejection, ...]  # valid but not evaluated: duplicates and fixes older than state


@dataclass(frozen=True, kw_only=True)
class SavedStates:
    """Some persons' states copied out of the engine's arrays (`GeofenceEngine.save`): cheap
    enough to take before every batch, so a late fix can be replayed from the state before it."""

    idx: np.ndarray  # person indices, sorted
    horizon: np.ndarray  # per person: the newest fix or message time the state has seen
    last_fix: np.ndarray
    last_lon: np.ndarray
    last_lat: np.ndarray
    last_msg: np.ndarray
    last_event: np.ndarray
    no_signal: np.ndarray
    no_comm: np.ndarray
    slots: np.ndarray  # slot indices of these persons
    slot_owner: np.ndarray  # position in idx of each slot's person
    slot_state: np.ndarray


class GeofenceEngine:
    def __init__(
        self,
        zones: ZoneBook,
        config: EngineConfig | None = None,
        states: Iterable[PersonState] = (),
    ) -> None:
        self.config = config or EngineConfig()
        self._book = zones
        self._z = compile_zones(zones, self.config)
        n = len(self._z.persons)
        self._last_fix = np.full(n, NONE_MS, dtype=np.int64)
        self._last_lon = np.full(n, np.nan)
        self._last_lat = np.full(n, np.nan)
        self._last_msg = np.full(n, NONE_MS, dtype=np.int64)
        self._last_event = np.full(n, NONE_MS, dtype=np.int64)
        self._no_signal = np.zeros(n, dtype=bool)
        self._no_comm = np.zeros(n, dtype=bool)
        self._slot_state = np.where(self._z.slot_inclusion, IN, OUT).astype(np.int8)
        self._device_cache: tuple[tuple[str, ...], np.ndarray] | None = None
        first_device: dict[int, str] = {}
        for device, p in sorted(self._z.device_person.items()):
            first_device.setdefault(p, device)
        self._person_device = [
            first_device.get(i, person) for i, person in enumerate(self._z.persons)
        ]
        # Each person's slots, contiguous: slot_order[slot_start[i]:slot_start[i + 1]].
        self._slot_order = np.argsort(self._z.slot_person, kind="stable")
        self._slot_start = np.searchsorted(self._z.slot_person[self._slot_order], np.arange(n + 1))
        self.restore(states)

    # ----------------------------------------------------------------------------- state
    @property
    def persons(self) -> tuple[str, ...]:
        return self._z.persons

    def snapshot(self) -> dict[str, PersonState]:
        zones: dict[int, dict[str, ZoneState]] = {}
        for slot, state in enumerate(self._slot_state):
            zones.setdefault(int(self._z.slot_person[slot]), {})[self._z.slot_zone[slot]] = (
                ZoneState(int(state))
            )
        out = {}
        for i, person in enumerate(self._z.persons):

            def opt(v: int) -> int | None:
                return None if v == NONE_MS else int(v)

            out[person] = PersonState(
                person=person,
                last_fix_ms=opt(self._last_fix[i]),
                last_lon=None if np.isnan(self._last_lon[i]) else float(self._last_lon[i]),
                last_lat=None if np.isnan(self._last_lat[i]) else float(self._last_lat[i]),
                last_message_ms=opt(self._last_msg[i]),
                last_event_ms=opt(self._last_event[i]),
                no_signal=bool(self._no_signal[i]),
                no_communication=bool(self._no_comm[i]),
                zones=zones.get(i, {}),
            )
        return out

    def restore(self, states: Iterable[PersonState]) -> None:
        """Set each person's state; a zone the state does not name is in its compliant state.
        Touches only the person's own slots (a rewind restores one person at a time)."""
        for st in states:
            i = self._z.person_index.get(st.person)
            if i is None:
                continue  # no longer tagged
            self._last_fix[i] = NONE_MS if st.last_fix_ms is None else st.last_fix_ms
            self._last_lon[i] = np.nan if st.last_lon is None else st.last_lon
            self._last_lat[i] = np.nan if st.last_lat is None else st.last_lat
            self._last_msg[i] = NONE_MS if st.last_message_ms is None else st.last_message_ms
            self._last_event[i] = NONE_MS if st.last_event_ms is None else st.last_event_ms
            self._no_signal[i] = st.no_signal
            self._no_comm[i] = st.no_communication
            for slot in self._slots_of(np.array([i])).tolist():
                zone_state = st.zones.get(self._z.slot_zone[slot])
                self._slot_state[slot] = int(zone_state) if zone_state is not None else (
                    IN if self._z.slot_inclusion[slot] else OUT)

    def person_of_devices(self, devices: Iterable[str]) -> np.ndarray:
        """Sorted indices of the persons wearing these devices (unknown devices left out)."""
        idx = [self._z.device_person.get(d, -1) for d in devices]
        return np.unique(np.array([i for i in idx if i >= 0], dtype=np.int64))

    def index_of(self, person: str) -> int | None:
        return self._z.person_index.get(person)

    def horizon(self, idx: np.ndarray) -> np.ndarray:
        """The newest fix or message time each person's state has seen (NONE_MS: nothing)."""
        newest: np.ndarray = np.maximum(self._last_fix[idx], self._last_msg[idx])
        return newest

    def _slots_of(self, idx: np.ndarray) -> np.ndarray:
        starts, ends = self._slot_start[idx], self._slot_start[idx + 1]
        counts = ends - starts
        if not counts.sum():
            return np.zeros(0, dtype=np.int64)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        slots: np.ndarray = self._slot_order[np.repeat(starts, counts) + offsets]
        return slots

    def save(self, idx: np.ndarray) -> SavedStates:
        """Copy the states of persons `idx` (sorted, unique)."""
        slots = self._slots_of(idx)
        owner = np.searchsorted(idx, self._z.slot_person[slots])
        return SavedStates(
            idx=idx, horizon=self.horizon(idx), last_fix=self._last_fix[idx],
            last_lon=self._last_lon[idx], last_lat=self._last_lat[idx],
            last_msg=self._last_msg[idx], last_event=self._last_event[idx],
            no_signal=self._no_signal[idx], no_comm=self._no_comm[idx], slots=slots,
            slot_owner=owner, slot_state=self._slot_state[slots])

    def load(self, saved: SavedStates, which: np.ndarray) -> None:
        """Put back the saved states at positions `which` of `saved.idx`."""
        i = saved.idx[which]
        self._last_fix[i] = saved.last_fix[which]
        self._last_lon[i] = saved.last_lon[which]
        self._last_lat[i] = saved.last_lat[which]
        self._last_msg[i] = saved.last_msg[which]
        self._last_event[i] = saved.last_event[which]
        self._no_signal[i] = saved.no_signal[which]
        self._no_comm[i] = saved.no_comm[which]
        mask = np.isin(saved.slot_owner, which)
        self._slot_state[saved.slots[mask]] = saved.slot_state[mask]

    def reset(self, idx: np.ndarray) -> None:
        """Persons `idx` back to the state before any fix: nothing seen, every zone compliant."""
        self._last_fix[idx] = NONE_MS
        self._last_lon[idx] = np.nan
        self._last_lat[idx] = np.nan
        self._last_msg[idx] = NONE_MS
        self._last_event[idx] = NONE_MS
        self._no_signal[idx] = False
        self._no_comm[idx] = False
        slots = self._slots_of(idx)
        self._slot_state[slots] = np.where(self._z.slot_inclusion[slots], IN, OUT)

    def replace_zones(self, zones: ZoneBook) -> None:
        """Take a varied order book; state carries over by person and zone_id."""
        states = self.snapshot().values()
        self.__init__(zones, self.config, states)  # type: ignore[misc]

    @property
    def zone_count(self) -> int:
        return len(self._z.row_slot)

    def memory_bytes(self) -> int:
        """Bytes held in the engine's arrays and zone geometries (approximate for geometries)."""
        arrays = [
            self._last_fix,
            self._last_lon,
            self._last_lat,
            self._last_msg,
            self._last_event,
            self._no_signal,
            self._no_comm,
            self._slot_state,
        ]
        z = self._z
        arrays += [
            z.row_start,
            z.row_count,
            z.row_slot,
            z.row_inclusion,
            z.row_approach,
            z.row_ver_from,
            z.row_ver_to,
            z.row_act_from,
            z.row_act_to,
            z.row_sched,
            z.sched_masks,
            *z.row_box,
            *z.person_box,
            z.person_simple,
            z.slot_person,
            z.slot_inclusion,
        ]
        total = sum(a.nbytes for a in arrays)
        coords = int(shapely.get_num_coordinates(z.row_geom).sum()) if len(z.row_geom) else 0
        return total + coords * 16 + len(z.row_geom) * 200  # GEOS object overhead, rough

    # ----------------------------------------------------------------------------- evaluation
    def evaluate(
        self, fixes: FixBatch, events: Sequence[DeviceEvent] = (), *, now: datetime
    ) -> BatchResult:
        now_ms = to_ms(now)
        rejections: list[Rejection] = []
        late: list[Rejection] = []
        f = self._screen_fixes(fixes, now_ms, rejections, late)
        ev = self._screen_events(events, now_ms, rejections, late)
        alerts: list[Alert] = []
        alerts += self._zone_alerts(fixes, f)
        alerts += self._event_alerts(ev)
        alerts += self._watchdog_alerts(f, ev)
        self._advance(f, ev)
        alerts.sort(key=lambda a: a.sort_key)
        rejections.sort(key=lambda r: r.line)
        late.sort(key=lambda r: r.line)
        return BatchResult(alerts=tuple(alerts), rejections=tuple(rejections), late=tuple(late))

    def tick(self, now: datetime) -> list[Alert]:
        """Watchdogs at `now`: raise no_communication / no_signal whose deadline has passed. The
        alert's time is the deadline, not `now`, so the id does not depend on when this runs."""
        now_ms = to_ms(now)
        c_ms, g_ms = int(self.config.no_communication_s * 1000), int(self.config.no_signal_s * 1000)
        alerts = []
        has_msg = self._last_msg != NONE_MS
        comm = has_msg & ~self._no_comm & (self._last_msg + c_ms < now_ms)
        has_fix = self._last_fix != NONE_MS
        sig = (
            has_fix
            & ~self._no_signal
            & (self._last_fix + g_ms < now_ms)
            & (self._last_msg > self._last_fix + g_ms - c_ms)
        )
        for i in np.flatnonzero(comm):
            alerts.append(
                self._person_alert(AlertKind.NO_COMMUNICATION, int(i), int(self._last_msg[i]) + c_ms)
            )
        for i in np.flatnonzero(sig):
            alerts.append(self._person_alert(AlertKind.NO_SIGNAL, int(i), int(self._last_fix[i]) + g_ms))
        self._no_comm |= comm
        self._no_signal |= sig
        return sorted(alerts, key=lambda a: a.sort_key)

    def _person_alert(self, kind: AlertKind, person: int, time_ms: int, detail: str = "") -> Alert:
        return Alert(
            kind=kind,
            person=self._z.persons[person],
            device=self._person_device[person],
            time_ms=time_ms,
            detail=detail,
        )

    # ----------------------------------------------------------------------------- step 1
    def _screen_fixes(
        self, fixes: FixBatch, now_ms: int, rejections: list[Rejection], late: list[Rejection]
    ) -> dict[str, np.ndarray]:
        z, cfg = self._z, self.config
        # Batches cut from one stream share its device dictionary: resolve it once.
        cached = self._device_cache
        if cached is not None and cached[0] is fixes.devices:
            dev_person = cached[1]
        else:
            dev_person = np.array(
                [z.device_person.get(d, -1) for d in fixes.devices], dtype=np.int64
            )
            self._device_cache = (fixes.devices, dev_person)
        p = dev_person[fixes.device_idx] if len(fixes) else np.zeros(0, dtype=np.int64)
        t, lon, lat, acc = fixes.t_ms, fixes.lon, fixes.lat, fixes.accuracy_m
        bad_device = p < 0
        bad_position = coordinate_problems(lon, lat)
        with np.errstate(invalid="ignore"):
            bad_accuracy = ~(np.isnan(acc) | (np.isfinite(acc) & (acc >= 0)))
        future = t > now_ms + int(cfg.future_tolerance_s * 1000)
        bad = bad_device | bad_position | bad_accuracy | future
        for i in np.flatnonzero(bad):
            device = fixes.devices[fixes.device_idx[i]]
            if bad_device[i]:
                reason = f"unknown device {device!r}: no tagged person wears it"
            elif bad_position[i]:
                reason = coordinate_reason(float(lon[i]), float(lat[i]))
            elif bad_accuracy[i]:
                reason = f"accuracy_m {acc[i]} is not a distance of 0 metres or more"
            else:
                reason = (
                    f"time {iso(int(t[i]))} is more than {cfg.future_tolerance_s:g} s after "
                    f"now ({iso(now_ms)})"
                )
            rejections.append(Rejection(line=int(fixes.line[i]), reason=reason))
        keep = np.flatnonzero(~bad)
        p, t = p[keep], t[keep]
        # Sort by (person, time); the key packs both into one int64.
        if len(t):
            t0 = int(t.min())
            span = int(t.max()) - t0 + 1
            if (int(p.max()) + 1) * span < 2**62:
                key = p * span + (t - t0)
                order = (
                    np.arange(len(key))
                    if bool(np.all(key[1:] >= key[:-1]))
                    else np.argsort(key, kind="stable")
                )
            else:
                order = np.lexsort((t, p))
            keep, p, t = keep[order], p[order], t[order]
        lon, lat = fixes.lon[keep], fixes.lat[keep]
        acc = fixes.accuracy_m[keep]
        # Duplicates (same person, same time): evaluate the smallest (lat, lon, accuracy), so the
        # choice does not depend on input order.
        dup = (p[1:] == p[:-1]) & (t[1:] == t[:-1])
        drop = np.zeros(len(t), dtype=bool)
        if dup.any():
            starts = np.flatnonzero(dup & ~np.concatenate([[False], dup[:-1]]))
            for s in starts:
                e = s + 1
                while e < len(t) and p[e] == p[s] and t[e] == t[s]:
                    e += 1
                group = list(range(s, e))
                best = min(
                    group,
                    key=lambda k: (
                        lat[k],
                        lon[k],
                        np.nan_to_num(acc[k], nan=-1.0),
                        int(fixes.line[keep[k]]),
                    ),
                )
                for k in group:
                    if k != best:
                        drop[k] = True
                        late.append(
                            Rejection(
                                line=int(fixes.line[keep[k]]),
                                reason=(
                                    f"duplicate fix for device "
                                    f"{fixes.devices[fixes.device_idx[keep[k]]]!r}"
                                    f" at {iso(int(t[k]))}: line "
                                    f"{int(fixes.line[keep[best]])} is evaluated"
                                ),
                            )
                        )
        old = (t <= self._last_fix[p]) | (t < self._last_msg[p])
        for k in np.flatnonzero(old & ~drop):
            i = p[k]
            last = max(int(self._last_fix[i]), int(self._last_msg[i]))
            late.append(
                Rejection(
                    line=int(fixes.line[keep[k]]),
                    reason=(
                        f"late fix at {iso(int(t[k]))} predates the last evaluated message "
                        f"at {iso(last)} for {self._z.persons[i]!r}; not evaluated"
                    ),
                )
            )
        use = ~(drop | old)
        keep, p, t = keep[use], p[use], t[use]
        acc = fixes.accuracy_m[keep]
        acc = np.where(np.isnan(acc), cfg.default_accuracy_m, acc)
        return {
            "src": keep,
            "p": p,
            "t": t,
            "lon": fixes.lon[keep],
            "lat": fixes.lat[keep],
            "acc": acc,
            "line": fixes.line[keep],
            "dev": fixes.device_idx[keep],
        }

    def _screen_events(
        self,
        events: Sequence[DeviceEvent],
        now_ms: int,
        rejections: list[Rejection],
        late: list[Rejection],
    ) -> list[tuple[int, int, DeviceEvent]]:
        tol = int(self.config.future_tolerance_s * 1000)
        kept: dict[tuple[int, int, str], DeviceEvent] = {}
        for event in events:
            p = self._z.device_person.get(event.device, -1)
            if p < 0:
                rejections.append(
                    Rejection(
                        line=event.line,
                        reason=(f"unknown device {event.device!r}: no tagged person wears it"),
                    )
                )
            elif event.event not in DEVICE_EVENTS:
                rejections.append(
                    Rejection(line=event.line, reason=f"event {event.event!r} is unknown")
                )
            elif event.time_ms > now_ms + tol:
                rejections.append(
                    Rejection(
                        line=event.line,
                        reason=(
                            f"time {iso(event.time_ms)} is more than "
                            f"{self.config.future_tolerance_s:g} s "
                            f"after now ({iso(now_ms)})"
                        ),
                    )
                )
            elif event.time_ms <= self._last_event[p] or event.time_ms < self._last_msg[p]:
                late.append(
                    Rejection(
                        line=event.line,
                        reason=(
                            f"late event {event.event!r} at {iso(event.time_ms)} predates the last "
                            "evaluated "
                            f"message for {self._z.persons[p]!r}; not evaluated"
                        ),
                    )
                )
            elif (p, event.time_ms, event.event) in kept:
                late.append(
                    Rejection(
                        line=event.line,
                        reason=(
                            f"duplicate event {event.event!r} for device {event.device!r} at "
                            f"{iso(event.time_ms)}: line "
                            f"{kept[(p, event.time_ms, event.event)].line} is evaluated"
                        ),
                    )
                )
            else:
                kept[(p, event.time_ms, event.event)] = event
        return sorted(
            ((p, t, e) for (p, t, _), e in kept.items()), key=lambda x: (x[0], x[1], x[2].event)
        )

    # ----------------------------------------------------------------------------- steps 2-4
    def _zone_alerts(self, fixes: FixBatch, f: dict[str, np.ndarray]) -> list[Alert]:
        z, cfg = self._z, self.config
        p, t, lon, lat, acc = f["p"], f["t"], f["lon"], f["lat"], f["acc"]
        nf = len(t)
        if nf == 0 or len(z.row_slot) == 0:
            return []
        max_gap = int(cfg.segment_max_gap_s * 1000)
        # Previous fix of each fix: earlier in the batch, else the person's state.
        first = np.ones(nf, dtype=bool)
        first[1:] = p[1:] != p[:-1]
        prev_t = np.empty(nf, dtype=np.int64)
        prev_lon = np.empty(nf)
        prev_lat = np.empty(nf)
        prev_t[1:], prev_lon[1:], prev_lat[1:] = t[:-1], lon[:-1], lat[:-1]
        prev_t[first] = self._last_fix[p[first]]
        prev_lon[first] = self._last_lon[p[first]]
        prev_lat[first] = self._last_lat[p[first]]
        seg = (prev_t != NONE_MS) & (t - prev_t <= max_gap)
        # Box of each fix and its segment, widened by accuracy, margin and the bow of a
        # grid-straight line drawn in degrees; the zone side is widened by approach + margin at
        # compile time.
        lo_lon = np.where(seg, np.minimum(lon, prev_lon), lon)
        hi_lon = np.where(seg, np.maximum(lon, prev_lon), lon)
        lo_lat = np.where(seg, np.minimum(lat, prev_lat), lat)
        hi_lat = np.where(seg, np.maximum(lat, prev_lat), lat)
        length_m = np.hypot((hi_lon - lo_lon) * 111_320.0, (hi_lat - lo_lat) * 111_320.0)
        pad_m = acc * PAD_FACTOR + length_m * length_m / EARTH_RADIUS_M
        pad_lon, pad_lat = pad_m / M_PER_DEG_LON_MIN, pad_m / M_PER_DEG_LAT
        lo_lon -= pad_lon
        hi_lon += pad_lon
        lo_lat -= pad_lat
        hi_lat += pad_lat
        # Fast path: a person whose zones are all exclusion zones, always active, need no pairs
        # for a fix outside the union of their zone boxes when the fix before it (or the stored
        # state, for the first) was also outside: every pair would be "outside" again.
        pbox = z.person_box
        near_person = (
            (hi_lon >= pbox[0][p])
            & (lo_lon <= pbox[2][p])
            & (hi_lat >= pbox[1][p])
            & (lo_lat <= pbox[3][p])
        )
        unsettled = (
            np.bincount(z.slot_person, weights=self._slot_state != OUT, minlength=len(z.persons))
            > 0
        )
        prev_near = np.empty(nf, dtype=bool)
        prev_near[1:] = near_person[:-1]
        prev_near[first] = unsettled[p[first]]
        sf = np.flatnonzero(~z.person_simple[p] | near_person | prev_near)
        if len(sf) == 0:
            return []
        # Pairs (fix, zone row) for the person's own rows.
        cnt = z.row_count[p[sf]]
        total = int(cnt.sum())
        if total == 0:
            return []
        fix_of = np.repeat(sf, cnt)
        starts = np.cumsum(cnt) - cnt
        row = np.repeat(z.row_start[p[sf]] - starts, cnt) + np.arange(total)
        near = (
            (np.repeat(hi_lon[sf], cnt) >= z.row_box[0][row])
            & (np.repeat(lo_lon[sf], cnt) <= z.row_box[2][row])
            & (np.repeat(hi_lat[sf], cnt) >= z.row_box[1][row])
            & (np.repeat(lo_lat[sf], cnt) <= z.row_box[3][row])
        )
        inclusion = z.row_inclusion[row]
        if z.scheduled:
            t_pair = np.repeat(t[sf], cnt)
            mow = np.repeat(minute_of_week_london(t[sf]), cnt)
            active = (
                (t_pair >= z.row_act_from[row])
                & (t_pair < z.row_act_to[row])
                & z.sched_masks[z.row_sched[row], mow]
            )
        else:
            active = np.ones(total, dtype=bool)
        cls = np.where(active, np.where(near, NEAR, OUT), np.where(inclusion, IN, OUT)).astype(
            np.int8
        )
        if z.versioned:
            t_pair = np.repeat(t[sf], cnt)
            cls[(t_pair < z.row_ver_from[row]) | (t_pair >= z.row_ver_to[row])] = IGNORED
        # The class before each pair in its (person, zone) sequence: the same row of the person's
        # previous fix; "outside" if that fix took the fast path; the stored state for the
        # person's first fix in the batch.
        same_prev = np.zeros(len(sf), dtype=bool)
        same_prev[1:] = (sf[1:] == sf[:-1] + 1) & ~first[sf[1:]]
        skipped = np.repeat(~first[sf] & ~same_prev, cnt)
        later = np.repeat(same_prev, cnt)
        prev_cls = np.full(total, OUT, dtype=np.int8)
        back = np.arange(total) - np.repeat(cnt, cnt)
        prev_cls[later] = cls[back[later]]
        head = ~later & ~skipped
        prev_cls[head] = self._slot_state[z.row_slot[row[head]]]
        cand = np.flatnonzero((cls == NEAR) | ((cls >= 0) & (cls != prev_cls)))
        if len(cand) == 0:
            return []
        return self._scan(
            fixes,
            f,
            cand,
            fix_of[cand],
            row[cand],
            cls[cand],
            active[cand],
            prev_t,
            prev_lon,
            prev_lat,
            seg,
        )

    def _scan(
        self,
        fixes: FixBatch,
        f: dict[str, np.ndarray],
        cand: np.ndarray,
        cf: np.ndarray,
        cr: np.ndarray,
        cc: np.ndarray,
        cact: np.ndarray,
        prev_t: np.ndarray,
        prev_lon: np.ndarray,
        prev_lat: np.ndarray,
        seg: np.ndarray,
    ) -> list[Alert]:
        z, cfg = self._z, self.config
        margin = cfg.exit_margin_m
        t, acc = f["t"], f["acc"]
        n = len(cand)
        incl = z.row_inclusion[cr]
        d = np.full(n, np.inf)
        cross = np.zeros(n, dtype=bool)
        seg_line = np.empty(n, dtype=object)  # segments that cross, and their ends
        seg_row = np.zeros(n, dtype=np.int64)
        seg_start = np.empty(n, dtype=object)
        seg_end = np.empty(n, dtype=object)
        near = np.flatnonzero(cc == NEAR)
        if len(near):
            nf_ = cf[near]
            uniq, inv = np.unique(nf_, return_inverse=True)
            x, y = to_bng(f["lon"][uniq], f["lat"][uniq])
            pts = shapely.points(x[inv], y[inv])
            assert isinstance(pts, np.ndarray)  # arrays in, an array of points out
            geoms = z.row_geom[cr[near]]
            d[near] = shapely.distance(geoms, pts)
            # Segment from the previous fix: only if recent and the zone was active then too.
            pt_prev = prev_t[nf_]
            ok = (
                seg[nf_]
                & (pt_prev >= z.row_act_from[cr[near]])
                & (pt_prev < z.row_act_to[cr[near]])
                & (pt_prev >= z.row_ver_from[cr[near]])
                & (pt_prev < z.row_ver_to[cr[near]])
            )
            if z.scheduled and ok.any():
                chk = np.flatnonzero(ok)
                mow_prev = minute_of_week_london(pt_prev[chk])
                ok[chk] = z.sched_masks[z.row_sched[cr[near[chk]]], mow_prev]
            # Exclusion: a fix outside whose segment crossed the zone. Inclusion: a fix inside whose
            # segment from a fix also inside left the zone widened by the margin (a fix outside is
            # judged by the point rule).
            ok &= np.where(incl[near], d[near] <= 0, d[near] > 0)
            sel = np.flatnonzero(ok)
            if len(sel):
                px, py = to_bng(prev_lon[nf_[sel]], prev_lat[nf_[sel]])
                cx, cy = x[inv[sel]], y[inv[sel]]
                length = np.hypot(cx - px, cy - py)
                rows = cr[near[sel]]
                is_incl = incl[near[sel]]
                d_sel = d[near[sel]]
                # Every point of the segment is within `length` of the fix, so: an exclusion zone
                # further than that cannot be crossed; an inclusion zone whose edge (plus margin)
                # is further than that from a fix inside cannot be left.
                depth = np.zeros(len(sel))
                inside_incl = np.flatnonzero(is_incl & (d_sel <= 0))
                if len(inside_incl):
                    depth[inside_incl] = shapely.distance(
                        z.row_boundary[rows[inside_incl]], pts[sel[inside_incl]]
                    )
                maybe = np.where(is_incl, length + 1e-6 >= depth + margin, d_sel <= length + 1e-6)
                ms = np.flatnonzero(maybe)
                hit = np.zeros(len(sel), dtype=bool)
                lines = np.empty(len(sel), dtype=object)
                if len(ms):
                    lines[ms] = shapely.linestrings(
                        np.stack(
                            [np.column_stack([px[ms], py[ms]]), np.column_stack([cx[ms], cy[ms]])],
                            axis=1,
                        )
                    )
                    mi, mx = ms[is_incl[ms]], ms[~is_incl[ms]]
                    hit[mx] = shapely.intersects(z.row_geom[rows[mx]], lines[mx])
                    # ... and only a detour between two fixes both inside the zone.
                    back_in = (
                        shapely.distance(z.row_geom[rows[mi]], shapely.points(px[mi], py[mi])) <= 0
                    )
                    hit[mi] = back_in & ~shapely.covers(z.row_buffered[rows[mi]], lines[mi])
                hs = np.flatnonzero(hit)
                idx = near[sel[hs]]
                cross[idx] = True
                seg_line[idx] = lines[hs]
                seg_row[idx] = rows[hs]
                seg_start[idx] = shapely.points(px[hs], py[hs])
                seg_end[idx] = shapely.points(cx[hs], cy[hs])
        # Transition tables: table[k, s] is the state after pair k from state s.
        a = acc[cf]
        ap = z.row_approach[cr]
        inside = d <= 0
        clear = d > a + margin
        within = d <= ap
        far = d > ap + a + margin
        ex_in = np.where(inside | ~clear, IN, np.where(far, OUT, APPR))
        ex_out = np.where(inside, IN, np.where(within, APPR, OUT))
        ex_appr = np.where(inside, IN, np.where(far, OUT, APPR))
        ex_out = np.where(cross, ex_in, ex_out)
        ex_appr = np.where(cross, ex_in, ex_appr)
        in_in = np.where(clear, OUT, IN)
        in_out = np.where(inside, IN, OUT)
        in_in = np.where(cross, in_out, in_in)
        table = np.empty((n, 3), dtype=np.int8)
        table[:, OUT] = np.where(incl, in_out, ex_out)
        table[:, APPR] = np.where(incl, in_in, ex_appr)
        table[:, IN] = np.where(incl, in_in, ex_in)
        forced = cc >= 0
        table[forced] = cc[forced, None]
        # Order by (zone slot, fix); each slot's first pair starts from the stored state.
        slot = z.row_slot[cr]
        order = np.lexsort((cf, slot))
        table, slot = table[order], slot[order]
        head = np.ones(n, dtype=bool)
        head[1:] = slot[1:] != slot[:-1]
        init = self._slot_state[slot[head]].astype(np.int64)
        prefix = table.copy()
        prefix[head] = table[head, init][:, None]
        step = 1
        while step < n:
            prefix[step:] = np.take_along_axis(
                prefix[step:], prefix[:-step].astype(np.int64), axis=1
            )
            step *= 2
        after = prefix[:, 0].astype(np.int64)
        before = np.empty(n, dtype=np.int64)
        before[1:] = after[:-1]
        before[head] = init
        tail = np.ones(n, dtype=bool)
        tail[:-1] = head[1:]
        self._slot_state[slot[tail]] = after[tail]
        # Alerts from state changes.
        cf, cr, cact = cf[order], cr[order], cact[order]
        cross, incl = cross[order], incl[order]
        used = cross & np.where(incl, before == IN, before != IN)
        frac_a, frac_b = self._crossing_fractions(
            np.flatnonzero(used), order, incl, seg_line, seg_row, seg_start, seg_end
        )
        tk = t[cf]
        tp = prev_t[cf]
        t_a = tp + (np.floor((tk - tp) * frac_a / 1000.0 + 0.5) * 1000).astype(np.int64)
        t_b = tp + (np.floor((tk - tp) * frac_b / 1000.0 + 0.5) * 1000).astype(np.int64)
        alerts: list[Alert] = []
        changed = np.flatnonzero(cact & ((before != after) | used))
        for k in changed:
            b, s, inc = int(before[k]), int(after[k]), bool(incl[k])
            fix_k = int(cf[k])
            base = {
                "person": z.persons[int(z.slot_person[slot[k]])],
                "device": fixes.devices[int(f["dev"][fix_k])],
                "zone": z.slot_zone[slot[k]],
                "zone_kind": "inclusion" if inc else "exclusion",
            }
            out: list[Alert] = []
            if inc:
                if used[k]:
                    out.append(
                        Alert(
                            kind=AlertKind.EXIT,
                            time_ms=int(t_a[k]),
                            breach=True,
                            inferred=True,
                            **base,
                        )
                    )
                    if s == IN:
                        out.append(
                            Alert(kind=AlertKind.ENTRY, time_ms=int(t_b[k]), inferred=True, **base)
                        )
                elif b == IN and s == OUT:
                    out.append(Alert(kind=AlertKind.EXIT, time_ms=int(tk[k]), breach=True, **base))
                elif b == OUT and s == IN:
                    out.append(Alert(kind=AlertKind.ENTRY, time_ms=int(tk[k]), **base))
            else:
                if used[k]:
                    out.append(
                        Alert(
                            kind=AlertKind.ENTRY,
                            time_ms=int(t_a[k]),
                            breach=True,
                            inferred=True,
                            **base,
                        )
                    )
                    if s != IN:
                        out.append(
                            Alert(kind=AlertKind.EXIT, time_ms=int(t_b[k]), inferred=True, **base)
                        )
                elif b != IN and s == IN:
                    out.append(Alert(kind=AlertKind.ENTRY, time_ms=int(tk[k]), breach=True, **base))
                elif b == IN and s != IN:
                    out.append(Alert(kind=AlertKind.EXIT, time_ms=int(tk[k]), **base))
                elif b == OUT and s == APPR:
                    out.append(Alert(kind=AlertKind.APPROACH, time_ms=int(tk[k]), **base))
            alerts += out
        return alerts

    def _crossing_fractions(
        self,
        used: np.ndarray,
        order: np.ndarray,
        incl: np.ndarray,
        line: np.ndarray,
        row: np.ndarray,
        start: np.ndarray,
        end: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Where along each crossing segment the inferred alerts fall (0 = previous fix, 1 = this
        fix): the first and last points of the part inside an exclusion zone, or outside an
        inclusion zone widened by the exit margin. Only for crossings that change state."""
        n = len(order)
        frac_a, frac_b = np.zeros(n), np.zeros(n)
        if len(used) == 0:
            return frac_a, frac_b
        src = order[used]
        rows, lines = row[src], line[src]
        is_incl = incl[used]
        part = np.empty(len(used), dtype=object)
        part[is_incl] = shapely.difference(lines[is_incl], self._z.row_buffered[rows[is_incl]])
        part[~is_incl] = shapely.intersection(lines[~is_incl], self._z.row_geom[rows[~is_incl]])
        length = shapely.length(lines)  # as GEOS measures it, like the reference
        safe = np.where(length > 0, length, 1.0)
        frac_a[used] = np.clip(shapely.distance(start[src], part) / safe, 0.0, 1.0)
        frac_b[used] = np.clip(1.0 - shapely.distance(end[src], part) / safe, 0.0, 1.0)
        return frac_a, frac_b

    # ----------------------------------------------------------------------------- step 5
    def _event_alerts(self, events: list[tuple[int, int, DeviceEvent]]) -> list[Alert]:
        alerts = []
        for p, t, event in events:
            kind = DEVICE_EVENTS[event.event]
            if kind is not None:
                alerts.append(
                    Alert(
                        kind=kind,
                        person=self._z.persons[p],
                        device=event.device,
                        time_ms=t,
                        detail=event.event if event.event != kind else "",
                    )
                )
        return alerts

    def _watchdog_alerts(
        self, f: dict[str, np.ndarray], events: list[tuple[int, int, DeviceEvent]]
    ) -> list[Alert]:
        c_ms = int(self.config.no_communication_s * 1000)
        g_ms = int(self.config.no_signal_s * 1000)
        fp, ft = f["p"], f["t"]
        # Every message (fix or event) in (person, time) order; is_fix marks the fixes.
        if events:
            mp = np.concatenate([fp, np.array([e[0] for e in events], dtype=np.int64)])
            mt = np.concatenate([ft, np.array([e[1] for e in events], dtype=np.int64)])
            is_fix = np.concatenate(
                [np.ones(len(ft), dtype=bool), np.zeros(len(events), dtype=bool)]
            )
            order = np.lexsort((~is_fix, mt, mp))
            mp, mt, is_fix = mp[order], mt[order], is_fix[order]
        else:
            mp, mt, is_fix = fp, ft, np.ones(len(ft), dtype=bool)
        if len(mt) == 0:
            return []
        alerts: list[Alert] = []
        first = np.ones(len(mt), dtype=bool)
        first[1:] = mp[1:] != mp[:-1]
        prev_msg = np.empty(len(mt), dtype=np.int64)
        prev_msg[1:] = mt[:-1]
        prev_msg[first] = self._last_msg[mp[first]]
        open_comm = first & self._no_comm[mp]
        gap = (prev_msg != NONE_MS) & (mt - prev_msg > c_ms)
        for k in np.flatnonzero(gap & ~open_comm):
            alerts.append(
                self._person_alert(AlertKind.NO_COMMUNICATION, int(mp[k]), int(prev_msg[k]) + c_ms)
            )
        for k in np.flatnonzero(gap | open_comm):
            alerts.append(
                self._person_alert(AlertKind.COMMUNICATION_RESTORED, int(mp[k]), int(mt[k]))
            )
        # GPS: gaps between fixes; "still communicating" when the last message before this fix
        # came after the deadline minus the communication timeout.
        fk = np.flatnonzero(is_fix)
        if len(fk):
            p_fix = mp[fk]
            first_fix = np.ones(len(fk), dtype=bool)
            first_fix[1:] = p_fix[1:] != p_fix[:-1]
            prev_fix = np.empty(len(fk), dtype=np.int64)
            prev_fix[1:] = mt[fk][:-1]
            prev_fix[first_fix] = self._last_fix[p_fix[first_fix]]
            open_sig = first_fix & self._no_signal[p_fix]
            deadline = prev_fix + g_ms
            sgap = (prev_fix != NONE_MS) & (mt[fk] - prev_fix > g_ms)
            raise_sig = sgap & ~open_sig & (prev_msg[fk] > deadline - c_ms)
            for j in np.flatnonzero(raise_sig):
                alerts.append(
                    self._person_alert(AlertKind.NO_SIGNAL, int(p_fix[j]), int(deadline[j]))
                )
            for j in np.flatnonzero(raise_sig | open_sig):
                alerts.append(
                    self._person_alert(AlertKind.SIGNAL_RESTORED, int(p_fix[j]), int(mt[fk[j]]))
                )
        return alerts

    def _advance(
        self, f: dict[str, np.ndarray], events: list[tuple[int, int, DeviceEvent]]
    ) -> None:
        p, t = f["p"], f["t"]
        if len(t):
            last = np.ones(len(t), dtype=bool)
            last[:-1] = p[1:] != p[:-1]
            lp = p[last]
            self._last_fix[lp] = t[last]
            self._last_lon[lp] = f["lon"][last]
            self._last_lat[lp] = f["lat"][last]
            self._last_msg[lp] = np.maximum(self._last_msg[lp], t[last])
            self._no_signal[lp] = False
            self._no_comm[lp] = False
        for person, time_ms, _ in events:
            self._last_event[person] = max(int(self._last_event[person]), time_ms)
            self._last_msg[person] = max(int(self._last_msg[person]), time_ms)
            self._no_comm[person] = False
