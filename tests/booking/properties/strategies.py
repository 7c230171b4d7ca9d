"""Hypothesis strategies for hostile input: what a careless or malicious client may send.

Each strategy knows whether what it draws can never be valid (``definitely_invalid``), so a
property can say more than "no server error": invalid input must be refused, never saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import strategies as st

from tests.clock import TZ

# A marker no page contains by itself: if it shows up inside live markup, the page echoed
# the payload without escaping it.
MARKER = "xq7hostile"
MARKUP = [
    f"<script>{MARKER}()</script>",
    f'"><img src=x onerror={MARKER}()>',
    f"'><svg/onload={MARKER}()>",
    f'" onmouseover="{MARKER}()" x="',
    f"</textarea><script>{MARKER}()</script>",
    f"<a href=javascript:{MARKER}()>click</a>",
    f"{{{{ {MARKER} }}}}{{% debug %}}",  # template syntax must stay text too
]
CONTROL = "".join(chr(n) for n in [*range(32), 127, 0x85, 0x2028, 0x2029])
UNICODE_TRICKS = [
    "\u202egnp.exe",  # right-to-left override
    "مرحبا بالعالم",
    "שלום",
    "😀🧘‍♀️🇺🇸",
    "Zalgo: Z̵̡̢a̶l̷g̸o̴",
    "\ufeffBOM",
    "\u200b\u200c\u200d",
    "\uff21\uff44\uff41",  # "Ada" in fullwidth letters
    "ǅ ß İ ﬁ",
]


@dataclass(frozen=True)
class Hostile:
    """A value to send, and whether a correct form must refuse it whatever else is sent."""

    value: str | list[str]
    definitely_invalid: bool
    kind: str

    def __repr__(self) -> str:  # shrunk examples print readably, long ones shortened
        text = repr(self.value)
        return f"Hostile({self.kind}, {text[:120]}{'…' if len(text) > 120 else ''})"


def _hostile(kind: str, *, invalid: bool):
    return lambda value: Hostile(value=value, definitely_invalid=invalid, kind=kind)


def overlong(min_size: int = 10_001) -> st.SearchStrategy[str]:
    """Text longer than any field takes: a repeated chunk keeps generation cheap."""
    return st.builds(
        lambda chunk, times: (chunk * times)[: max(min_size, len(chunk) * times)],
        st.text(min_size=1, max_size=8).filter(lambda s: s.strip()),
        st.integers(min_value=min_size, max_value=min_size + 3000),
    )


def with_nul() -> st.SearchStrategy[str]:
    return st.builds(lambda a, b: f"{a}\x00{b}", st.text(max_size=20), st.text(max_size=20))


def control_text() -> st.SearchStrategy[str]:
    return st.text(alphabet=st.sampled_from(CONTROL), min_size=1, max_size=30)


def markup() -> st.SearchStrategy[str]:
    return st.builds(lambda p, a: a + p, st.sampled_from(MARKUP), st.sampled_from(["", "Ada "]))


def wild_text() -> st.SearchStrategy[str]:
    """Any text at all: random unicode, tricks, control characters, markup, overlong."""
    return st.one_of(
        st.text(max_size=60),
        st.sampled_from(UNICODE_TRICKS),
        control_text(),
        with_nul(),
        markup(),
        overlong(),
        st.sampled_from(["", " ", "\t\n", "null", "None", "undefined", "NaN", "0", "-1"]),
    )


def free_text(max_length: int, *, required: bool = False) -> st.SearchStrategy[Hostile]:
    """What a text box may receive, labelled: too long or a NUL is always refused."""

    def label(kind):
        def classify(value: str) -> Hostile:
            too_long = len(value.strip()) > max_length
            blank = required and not value.strip()
            return Hostile(value, too_long or "\x00" in value or blank, kind)

        return classify

    return st.one_of(
        overlong(max_length + 1).map(label("overlong")),
        with_nul().map(label("nul")),
        control_text().map(label("control")),
        markup().map(label("markup")),
        st.sampled_from(UNICODE_TRICKS).map(label("unicode")),
        st.text(max_size=40).map(label("text")),
    )


BROKEN_DATES = [
    "2026-02-30",
    "2025-02-29",
    "99999-01-01",
    "1980-13-01",
    "1980-00-10",
    "1980-01-32",
    "0000-01-01",
    "",
    " ",
    "NaN",
    "1e309",
    "-1",
    "1980-05-01\x00",
    "\x00",
    "1980/05/01/02",
    "1980-05-01T10:00:00",
    "'; DROP TABLE booking_patient; --",
    "9" * 400,
]


def broken_date() -> st.SearchStrategy[Hostile]:
    return st.one_of(
        st.sampled_from(BROKEN_DATES).map(_hostile("broken-date", invalid=True)),
        markup().map(_hostile("markup-date", invalid=True)),
        with_nul().map(_hostile("nul-date", invalid=True)),
    )


def date_of_birth(today: dt.date) -> st.SearchStrategy[Hostile]:
    """Broken dates, and real dates outside the ages the practice books online."""
    never_born = st.dates(min_value=today + dt.timedelta(days=1), max_value=dt.date(9999, 12, 31))
    too_young = st.dates(
        min_value=today - dt.timedelta(days=16 * 365 - 30), max_value=today - dt.timedelta(days=1)
    )
    too_old = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(today.year - 121, 1, 1))
    return st.one_of(
        broken_date(),
        st.one_of(never_born, too_young, too_old).map(
            lambda d: Hostile(d.isoformat(), True, "out-of-range-date")
        ),
    )


BAD_NUMBERS = [
    "-1",
    "11",
    "12",
    "100",
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "inf",
    "Infinity",
    "5.5",
    "05 ",
    " 5",
    "\u0665",  # an Arabic-Indic five
    "\uff15",  # a fullwidth five
    "0x5",
    "5\x00",
    "",
    "9" * 5000,
    "-0",
]


def pain_score() -> st.SearchStrategy[Hostile]:
    return st.one_of(
        st.sampled_from(BAD_NUMBERS).map(_hostile("bad-number", invalid=True)),
        st.integers()
        .filter(lambda n: not 0 <= n <= 10)
        .map(str)
        .map(_hostile("int", invalid=True)),
        # repr() of a float always has a point, an exponent, "inf" or "nan": never a choice.
        st.floats().map(repr).map(_hostile("float", invalid=True)),
    )


def bad_choice(valid: list[str]) -> st.SearchStrategy[Hostile]:
    """A value for a radio button or select that is not one of its choices."""
    return wild_text().filter(lambda v: v not in valid).map(_hostile("bad-choice", invalid=True))


def bad_checkboxes(valid: list[str]) -> st.SearchStrategy[Hostile]:
    """A list of checkbox values with at least one that is not a choice."""
    return st.builds(
        lambda good, bad: [*good, bad],
        st.lists(st.sampled_from(valid), max_size=3),
        wild_text().filter(lambda v: v not in valid),
    ).map(_hostile("bad-checkbox", invalid=True))


def a_few_changed(fields: dict[str, st.SearchStrategy], *, most: int = 3):
    """One to ``most`` of a form's fields changed, the others left valid: each field's own
    refusal is then seen, rather than hidden behind another field's."""
    names = st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=most, unique=True)
    return names.flatmap(lambda chosen: st.fixed_dictionaries({n: fields[n] for n in chosen}))


# --- slot values: "<UTC iso>|<practitioner id>" -------------------------------------------


def slot_text(start: dt.datetime, practitioner_id) -> str:
    return f"{start.astimezone(dt.UTC).isoformat()}|{practitioner_id}"


def _local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def spring_forward_gap(after: dt.date) -> dt.datetime:
    """02:30 on the next day the clocks go forward in the practice's zone: a wall-clock
    time that does not exist, written with the offset it would have had before."""
    day = after
    while True:
        day += dt.timedelta(days=1)
        before = dt.datetime(day.year, day.month, day.day, 1, 0, tzinfo=TZ)
        after_jump = dt.datetime(day.year, day.month, day.day, 4, 0, tzinfo=TZ)
        if after_jump.utcoffset() > before.utcoffset():
            naive = dt.datetime(day.year, day.month, day.day, 2, 30)
            return naive.replace(tzinfo=dt.timezone(before.utcoffset()))


GARBAGE_SLOTS = [
    "",
    "|",
    "||",
    "x|y",
    "2026-01-05T15:00:00|",
    "|1",
    "2026-01-05T15:00:00|1",  # naive: no offset
    "2026-01-05T15:00:00+00:00|one",
    "2026-01-05T15:00:00+00:00|1|1",
    "2026-01-05T15:00:00+00:00|1.0",
    "2026-01-05T15:00:00+00:00|1e309",
    "2026-01-05T15:00:00+00:00|" + "9" * 5000,
    "0001-01-01T00:00:00+23:59|1",
    "0001-01-01T00:00:00+00:00|1",
    "9999-12-31T23:59:59+00:00|1",
    "9999-12-31T23:59:59-23:59|1",
    "9999-12-31T12:00:00-05:00|1",
    "2026-02-30T10:00:00+00:00|1",
    "2026-01-05T25:00:00+00:00|1",
    "2026-01-05T15:00:00+99:00|1",
    "2026-01-05T15:00:00+00:00\x00|1",
    "\x00",
]


@dataclass(frozen=True)
class SlotContext:
    """What the slot strategies need to know about the practice right now."""

    now: dt.datetime
    free: tuple[tuple[dt.datetime, int], ...]  # some genuinely free (start, practitioner id)
    practitioner_ids: tuple[int, ...]
    horizon_days: int
    working_day: dt.date  # a local date with working hours, a few weeks ahead


def slot_value(ctx: SlotContext) -> st.SearchStrategy[Hostile]:
    """A slot field: garbage, or a well-formed value naming a time that is never bookable.

    Only ``valid-time`` values (a free time, with any practitioner id) may be accepted.
    """
    today = ctx.now.astimezone(TZ).date()
    any_id = st.one_of(
        st.sampled_from(ctx.practitioner_ids),
        st.integers(min_value=-(2**63), max_value=2**63),
        st.sampled_from([0, -1, 10**30]),
    )
    past = st.builds(
        lambda days, hour, quarter: _local(today - dt.timedelta(days=days), hour, quarter * 15),
        st.integers(min_value=0, max_value=4000),
        st.integers(min_value=9, max_value=16),
        st.integers(min_value=0, max_value=3),
    ).filter(lambda t: t < ctx.now)
    outside_hours = st.builds(
        lambda hour, minute: _local(ctx.working_day, hour, minute),
        st.sampled_from([0, 3, 6, 7, 8, 19, 20, 22, 23]),
        st.sampled_from([0, 15, 30, 45]),
    )
    sunday = ctx.working_day + dt.timedelta(days=(6 - ctx.working_day.weekday()) % 7)
    on_a_sunday = st.builds(
        lambda hour: _local(sunday, hour, 0), st.integers(min_value=9, max_value=16)
    )
    off_grid = st.builds(
        lambda start, delta: start + delta,
        st.sampled_from([start for start, _ in ctx.free]),
        st.one_of(
            st.integers(min_value=1, max_value=14).map(lambda m: dt.timedelta(minutes=m)),
            st.integers(min_value=1, max_value=59).map(lambda s: dt.timedelta(seconds=s)),
            st.just(dt.timedelta(microseconds=1)),
        ),
    )
    beyond_horizon = st.builds(
        lambda days, hour: _local(today + dt.timedelta(days=days), hour, 0),
        st.integers(min_value=ctx.horizon_days + 1, max_value=2_900_000),
        st.integers(min_value=9, max_value=16),
    )
    gap = st.just(spring_forward_gap(today))
    never_bookable = st.one_of(
        past.map(lambda t: ("past", t)),
        outside_hours.map(lambda t: ("outside-hours", t)),
        on_a_sunday.map(lambda t: ("day-off", t)),
        off_grid.map(lambda t: ("off-grid", t)),
        beyond_horizon.map(lambda t: ("beyond-horizon", t)),
        gap.map(lambda t: ("spring-forward-gap", t)),
    )
    return st.one_of(
        st.sampled_from(GARBAGE_SLOTS).map(_hostile("garbage", invalid=True)),
        wild_text().map(_hostile("wild", invalid=True)),
        st.builds(
            lambda kind_time, pid: Hostile(slot_text(kind_time[1], pid), True, kind_time[0]),
            never_bookable,
            any_id,
        ),
        # The same instant written with the practice's own offset, not UTC.
        never_bookable.map(
            lambda kt: Hostile(f"{kt[1].astimezone(TZ).isoformat()}|1", True, kt[0] + "-local")
        ),
        st.builds(
            lambda free, pid: Hostile(slot_text(free[0], pid), False, "valid-time"),
            st.sampled_from(ctx.free),
            any_id,
        ),
    )


def token_tampering(token: str) -> st.SearchStrategy[str]:
    """Manage-link tokens that are not the real one: edited, cut, extended, or noise."""
    positions = st.integers(min_value=0, max_value=len(token) - 1)
    return st.one_of(
        st.builds(
            lambda i, c: token[:i] + c + token[i + 1 :],
            positions,
            st.characters(codec="ascii", exclude_characters="/?#%"),
        ).filter(lambda t: t != token),
        positions.filter(bool).map(lambda i: token[:i]),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_-")
        .filter(bool)
        .map(lambda extra: token + extra),
        wild_text().filter(lambda t: t.strip(" /") and "/" not in t and t != token),
    )
