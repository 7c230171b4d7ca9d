"""The agenda's grid arithmetic, on plain data: no database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from booking.staff.agenda.grid import (
    Away,
    Block,
    Person,
    Visit,
    build_column,
    build_grid,
    grid_bounds,
    local_span,
    patient_short_name,
    split_block,
    subtract_spans,
)
from booking.staff.agenda.spans import first_free_minute

NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.UTC


def t(hour: int, minute: int = 0) -> dt.time:
    return dt.time(hour, minute)


def ny(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=NEW_YORK)


def visit(pk: int, who: int, starts_at: dt.datetime, minutes: int = 50, **extra) -> Visit:
    values = {"service": "Follow-up treatment", "patient": "Ada L."}
    values.update(extra)
    return Visit(
        id=pk,
        practitioner_id=who,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        **values,
    )


MEI = Person(1, "Rosa Lind")
DANIEL = Person(2, "Omar Haddad")
A_MONDAY = dt.date(2026, 6, 1)


# --- Grid arithmetic, plain data --------------------------------------------------------


def test_the_grid_runs_from_the_earliest_start_to_the_latest_end_in_whole_hours():
    assert grid_bounds([(9 * 60, 12 * 60 + 30), (13 * 60 + 30, 18 * 60)]) == (540, 1080)
    assert grid_bounds([(9 * 60 + 30, 12 * 60 + 30)]) == (540, 780)
    assert grid_bounds([]) == (8 * 60, 19 * 60)
    # An appointment outside the hours widens the grid rather than disappearing.
    assert grid_bounds([(540, 1080)], [(18 * 60 + 30, 19 * 60 + 20)]) == (540, 1200)


def test_blocks_are_placed_in_minutes_from_the_grid_start_with_a_break_between_ranges():
    column = build_column(
        day=A_MONDAY,
        practitioner=MEI,
        hours=[(t(9), t(12, 30)), (t(13, 30), t(18))],
        away=[],
        visits=[visit(7, MEI.id, ny(A_MONDAY, 10)), visit(8, DANIEL.id, ny(A_MONDAY, 11))],
        grid=(8 * 60, 19 * 60),
        zone=NEW_YORK,
    )
    background = [(b.kind, b.top, b.height, b.label) for b in column.background]
    assert background == [
        ("break", 0, 60, "Outside hours"),
        ("working", 60, 210, "Working"),
        ("break", 270, 60, "Break"),
        ("working", 330, 270, "Working"),
        ("break", 600, 60, "Outside hours"),
    ]
    assert column.hours_text == "9:00 AM\N{EN DASH}12:30 PM, 1:30\N{EN DASH}6:00 PM"
    [block] = column.appointments  # Omar's appointment is not in Rosa's column
    assert (block.top, block.height, block.time_range) == (120, 50, "10:00\N{EN DASH}10:50 AM")
    assert (block.label, block.detail, block.visit.id) == ("Follow-up treatment", "Ada L.", 7)


def test_time_off_is_drawn_with_its_reason_and_clinic_closures_for_everyone():
    away = [
        Away(MEI.id, ny(A_MONDAY, 14), ny(A_MONDAY, 15, 30), "Training course"),
        Away(None, ny(A_MONDAY, 17), ny(A_MONDAY + dt.timedelta(days=3), 12), "Holiday"),
        Away(DANIEL.id, ny(A_MONDAY, 9), ny(A_MONDAY, 10), "Dentist"),
    ]
    column = build_column(
        day=A_MONDAY,
        practitioner=MEI,
        hours=[(t(9), t(18))],
        away=away,
        visits=[],
        grid=(9 * 60, 18 * 60),
        zone=NEW_YORK,
    )
    blocks = [(b.top, b.height, b.label, b.detail, b.time_range) for b in column.time_off]
    assert blocks == [
        (300, 90, "Time off", "Training course", "2:00\N{EN DASH}3:30 PM"),
        (480, 60, "Clinic closed", "Holiday", "5:00 PM\N{EN DASH}12:00 AM"),
    ]
    next_day = build_column(
        day=A_MONDAY + dt.timedelta(days=1),
        practitioner=MEI,
        hours=[(t(9), t(18))],
        away=away,
        visits=[],
        grid=(9 * 60, 18 * 60),
        zone=NEW_YORK,
    )
    [closed] = next_day.time_off
    assert (closed.top, closed.height, closed.time_range) == (0, 540, "All day")


def test_a_day_without_hours_is_marked_not_working_and_the_grid_falls_back_to_8_to_7():
    sunday = A_MONDAY - dt.timedelta(days=1)
    grid = build_grid(
        days=[sunday],
        practitioners=[MEI, DANIEL],
        hours={MEI.id: {0: [(t(9), t(18))]}},
        away=[],
        visits=[],
        zone=NEW_YORK,
    )
    assert (grid.start, grid.end, grid.height) == (480, 1140, 660)
    assert grid.hour_marks[0] == ("8 AM", 0)
    assert grid.hour_marks[-1] == ("6 PM", 600)
    for column in grid.days[0].columns:
        assert not column.is_working
        assert column.is_empty
        assert [(b.kind, b.top, b.height, b.label) for b in column.background] == [
            ("break", 0, 660, "Not working")
        ]


def test_a_week_grid_spans_everyone_s_hours_and_has_a_column_per_day_and_practitioner():
    week = [A_MONDAY + dt.timedelta(days=n) for n in range(7)]
    grid = build_grid(
        days=week,
        practitioners=[MEI, DANIEL],
        hours={
            MEI.id: {0: [(t(9), t(12, 30)), (t(13, 30), t(18))]},
            DANIEL.id: {1: [(t(10), t(18))], 5: [(t(8, 30), t(13))]},
        },
        away=[],
        visits=[visit(1, DANIEL.id, ny(week[1], 16, 45), minutes=75)],
        zone=NEW_YORK,
        today=week[1],
    )
    assert (grid.start, grid.end) == (8 * 60, 18 * 60)
    assert [d.is_today for d in grid.days] == [False, True, False, False, False, False, False]
    assert [[c.practitioner.name for c in d.columns] for d in grid.days] == [
        ["Rosa Lind", "Omar Haddad"]
    ] * 7
    assert grid.appointment_count == 1
    # 16:45 to 18:00: inside the grid, 525 minutes below 08:00.
    [block] = grid.days[1].columns[1].appointments
    assert (block.top, block.height) == (525, 75)


@pytest.mark.parametrize(
    ("utc_start", "local_day"),
    [
        # Clocks go back on Sunday 1 November 2026: 09:00 local is 14:00 UTC that day and
        # the day after, but 13:00 UTC the day before.
        (dt.datetime(2026, 10, 31, 13, 0, tzinfo=UTC), dt.date(2026, 10, 31)),
        (dt.datetime(2026, 11, 1, 14, 0, tzinfo=UTC), dt.date(2026, 11, 1)),
        (dt.datetime(2026, 11, 2, 14, 0, tzinfo=UTC), dt.date(2026, 11, 2)),
        # Clocks go forward on Sunday 8 March 2026.
        (dt.datetime(2026, 3, 8, 13, 0, tzinfo=UTC), dt.date(2026, 3, 8)),
    ],
)
def test_the_grid_uses_local_wall_clock_times_across_daylight_saving_changes(utc_start, local_day):
    grid = build_grid(
        days=[local_day],
        practitioners=[MEI],
        hours={MEI.id: {local_day.weekday(): [(t(8), t(17))]}},
        away=[],
        visits=[visit(1, MEI.id, utc_start)],
        zone=NEW_YORK,
    )
    assert grid.start == 8 * 60
    [block] = grid.days[0].columns[0].appointments
    assert (block.top, block.height, block.time_range) == (60, 50, "9:00\N{EN DASH}9:50 AM")
    assert ("9 AM", 60) in grid.hour_marks


def test_local_span_clips_to_the_day_and_skips_other_days():
    day = dt.date(2026, 6, 2)
    assert local_span(ny(day, 22), ny(day, 23), day, NEW_YORK) == (22 * 60, 23 * 60)
    assert local_span(ny(day, 22), ny(day + dt.timedelta(1), 2), day, NEW_YORK) == (1320, 1440)
    assert local_span(ny(day, 22), ny(day + dt.timedelta(1), 2), day + dt.timedelta(1), NEW_YORK)
    assert local_span(ny(day, 9), ny(day, 10), day + dt.timedelta(1), NEW_YORK) is None
    assert local_span(ny(day - dt.timedelta(1), 9), ny(day, 0), day, NEW_YORK) is None


def test_patients_show_as_first_name_and_last_initial():
    assert patient_short_name("Ada", "Lovelace") == "Ada L."
    assert patient_short_name(" Grace ", "hopper") == "Grace H."
    assert patient_short_name("Cher", "") == "Cher"


# --- Free time --------------------------------------------------------------------------


def test_what_is_left_of_the_hours_once_appointments_and_time_off_are_cut_out():
    hours = [(540, 750), (810, 1080)]  # 09:00-12:30, 13:30-18:00
    assert subtract_spans(hours, []) == hours
    assert subtract_spans(hours, [(600, 660), (700, 900)]) == [(540, 600), (660, 700), (900, 1080)]
    assert subtract_spans(hours, [(0, 1440)]) == []
    assert subtract_spans(hours, [(500, 560), (1070, 1100)]) == [(560, 750), (810, 1070)]


def test_free_time_is_cut_at_each_half_hour_never_into_a_sliver():
    def pieces(lo, hi):
        block = Block("free", lo - 540, hi - lo, lo, hi, label="Free")
        return [(p.start, p.end, p.top) for p in split_block(block, 30)]

    assert pieces(540, 630) == [(540, 570, 0), (570, 600, 30), (600, 630, 60)]
    # 10:50-12:10: the ten minutes to 11:00 and after 12:00 join their neighbours.
    assert pieces(650, 730) == [(650, 690, 110), (690, 730, 150)]
    assert pieces(660, 670) == [(660, 670, 120)]


def test_free_time_leaves_out_the_buffer_time_off_the_past_and_short_gaps():
    column = build_column(
        day=A_MONDAY,
        practitioner=MEI,
        hours=[(t(9), t(12, 30)), (t(13, 30), t(18))],
        away=[Away(MEI.id, ny(A_MONDAY, 15), ny(A_MONDAY, 16), "Dentist")],
        visits=[
            Visit(
                id=7,
                practitioner_id=MEI.id,
                starts_at=ny(A_MONDAY, 10),
                ends_at=ny(A_MONDAY, 10, 50),
                blocked_until=ny(A_MONDAY, 11),
                service="Follow-up treatment",
                patient="Ada Lovelace",
            ),
            visit(8, MEI.id, ny(A_MONDAY, 11, 10), minutes=70),  # leaves 12:20-12:30
            visit(9, DANIEL.id, ny(A_MONDAY, 14)),  # someone else's
        ],
        grid=(9 * 60, 18 * 60),
        zone=NEW_YORK,
        not_before=9 * 60 + 30,
    )
    free = [b.time_range for b in column.free]
    assert free == [
        "9:30\N{EN DASH}10:00 AM",
        "1:30\N{EN DASH}3:00 PM",
        "4:00\N{EN DASH}6:00 PM",
    ]  # 11:00-11:10 and 12:20-12:30 are too short for any session
    assert [b.kind for b in column.timeline] == [
        "free",
        "appointment",
        "appointment",
        "free",
        "time_off",
        "free",
    ]
    assert column.free_pieces[0].start_clock == "9:30 AM"
    assert column.free_pieces[0].start_value == "09:30"
    assert len(column.free_pieces) == 1 + 3 + 4


def test_time_is_free_from_the_next_quarter_hour_today_and_never_on_a_past_day():
    now = ny(A_MONDAY, 12, 5)
    assert first_free_minute(A_MONDAY, now, NEW_YORK) == 12 * 60 + 15
    assert first_free_minute(A_MONDAY, ny(A_MONDAY, 12, 15), NEW_YORK) == 12 * 60 + 15
    assert first_free_minute(A_MONDAY - dt.timedelta(days=1), now, NEW_YORK) == 24 * 60
    assert first_free_minute(A_MONDAY + dt.timedelta(days=1), now, NEW_YORK) == 0
    assert first_free_minute(A_MONDAY, None, NEW_YORK) == 0


def test_the_week_turned_around_is_a_row_a_practitioner_with_a_column_a_day():
    week = [A_MONDAY + dt.timedelta(days=n) for n in range(7)]
    grid = build_grid(
        days=week,
        practitioners=[MEI, DANIEL],
        hours={MEI.id: {0: [(t(9), t(18))]}, DANIEL.id: {1: [(t(10), t(18))]}},
        away=[],
        visits=[visit(7, DANIEL.id, ny(week[1], 10))],
        zone=NEW_YORK,
    )
    [(first, mei_days), (second, daniel_days)] = grid.rows
    assert (first, second) == (MEI, DANIEL)
    assert [c.day for c in mei_days] == week
    assert {c.practitioner for c in daniel_days} == {DANIEL}
    assert [len(c.appointments) for c in daniel_days] == [0, 1, 0, 0, 0, 0, 0]
    assert daniel_days[1].free[0].time_range == "10:50 AM\N{EN DASH}6:00 PM"  # no buffer known


def test_a_visit_sums_itself_up_for_the_cards_title():
    assert visit(1, MEI.id, ny(A_MONDAY, 9)).summary == "Follow-up treatment, Ada L."
    marked = visit(
        1, MEI.id, ny(A_MONDAY, 9), flagged=True, first_visit=True, status_label="No-show"
    )
    assert marked.summary == "Follow-up treatment, Ada L., Flagged, First visit, No-show"
    assert visit(1, MEI.id, ny(A_MONDAY, 9), unscreened=True, flagged=True).summary == (
        "Follow-up treatment, Ada L., Not screened yet"
    )
