"""Benchmark for booking.slots.free_slots on a busy four-week calendar.

Run from anywhere with ``.venv/bin/python bench/slots_bench.py``; needs neither Django nor a
database. Scenario: 3 practitioners working Mon-Fri 09:00-12:30 and 13:30-18:00 plus Saturday
09:00-13:00 in America/New_York, 28 days from Monday 2026-03-02 (so the spring clock change of
Sunday 2026-03-08 is inside the window), 1,000 existing appointments, and a 45 minute service
offered on a 15 minute step. Always exits 0; the verdict is printed.
"""

import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from booking import slots  # after the sys.path line above, on purpose

TZ = ZoneInfo("America/New_York")
FIRST_DAY = date(2026, 3, 2)
DAYS = 28
PRACTITIONERS = (1, 2, 3)
APPOINTMENTS = 1_000
# 1,000 bookings over 72 practitioner-days (about 14 a day in 8 hours) only fit if they are
# short, so the existing bookings are 15 minute sessions on a 5 minute grid. The query
# itself is for a normal 45 minute treatment.
BOOKED_LENGTH = timedelta(minutes=15)
PLACEMENT_STEP = timedelta(minutes=5)
QUERY_LENGTH = timedelta(minutes=45)
RUNS = 200
BUDGET_MS = 10.0

WEEKLY_HOURS = {
    **{day: ((clock(9), clock(12, 30)), (clock(13, 30), clock(18))) for day in range(5)},
    5: ((clock(9), clock(13)),),
}
POLICY = slots.Policy()
# Noon local the day before, so the 12 hour notice does not hide any of the 28 days.
NOW = datetime(2026, 3, 1, 12, tzinfo=TZ).astimezone(UTC)


def build_schedules() -> list[slots.Schedule]:
    """Place the appointments one by one on a free slot of a random practitioner and day."""
    rng = random.Random(42)
    booked: dict[int, list[slots.Interval]] = {pid: [] for pid in PRACTITIONERS}
    placement = slots.Policy(step=PLACEMENT_STEP, buffer=POLICY.buffer, min_notice=timedelta(0))
    while sum(map(len, booked.values())) < APPOINTMENTS:
        pid = rng.choice(PRACTITIONERS)
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        schedule = slots.Schedule(pid, WEEKLY_HOURS, tuple(booked[pid]))
        free = slots.free_slots(
            schedules=(schedule,),
            duration=BOOKED_LENGTH,
            policy=placement,
            now=NOW,
            tz=TZ,
            first_day=day,
            days=1,
        )
        if free:
            chosen = rng.choice(free)
            booked[pid].append(slots.Interval(chosen.start, chosen.end + POLICY.buffer))
    # Left in booking order, not sorted, so the module's own sorting is part of the timing.
    return [slots.Schedule(pid, WEEKLY_HOURS, tuple(booked[pid])) for pid in PRACTITIONERS]


def run_once(schedules: list[slots.Schedule]) -> list[slots.Slot]:
    return slots.free_slots(
        schedules=schedules,
        duration=QUERY_LENGTH,
        policy=POLICY,
        now=NOW,
        tz=TZ,
        first_day=FIRST_DAY,
        days=DAYS,
    )


def time_runs(schedules: list[slots.Schedule]) -> list[float]:
    timings_ms = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run_once(schedules)
        timings_ms.append((time.perf_counter() - started) * 1000)
    return sorted(timings_ms)


def main() -> int:
    schedules = build_schedules()
    result = run_once(schedules)  # warm-up, and the slot count to report
    timings_ms = time_runs(schedules)
    median = statistics.median(timings_ms)
    p95 = timings_ms[min(len(timings_ms) - 1, round(0.95 * len(timings_ms)) - 1)]
    appointments = sum(len(schedule.appointments) for schedule in schedules)
    print(
        f"free_slots: {len(schedules)} practitioners, {DAYS} days from {FIRST_DAY}, "
        f"{appointments} appointments, {RUNS} runs"
    )
    print(f"slots: {len(result)}")
    print(f"median: {median:.3f} ms")
    print(f"p95: {p95:.3f} ms")
    print(f"min: {timings_ms[0]:.3f} ms")
    print(f"budget {BUDGET_MS:g} ms median: {'OK' if median < BUDGET_MS else 'OVER BUDGET'}")
    # That calendar leaves few 45 minute gaps; an empty one shows the cost of building slots.
    empty = [slots.Schedule(pid, WEEKLY_HOURS) for pid in PRACTITIONERS]
    empty_timings = time_runs(empty)
    print(
        f"(for comparison, no appointments: {len(run_once(empty))} slots, "
        f"median {statistics.median(empty_timings):.3f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
