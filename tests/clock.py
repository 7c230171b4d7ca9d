"""The suite's clock and the local-time helpers every test shares.

No test sees today's date. The whole run happens from one instant, ``SUITE_START`` (the
``TEST_CLOCK`` environment variable, an ISO date and time in the practice's zone), with the
clock ticking on from there; ``tests/conftest.py`` starts it before any test module is
imported, so module-level dates are computed from it too. A test that needs a particular
moment travels there itself with ``time_machine.travel``.

    TEST_CLOCK=2028-02-29T09:00 make test
"""

import datetime as dt
import os

from django.utils import timezone

# A Wednesday morning in January, well clear of the clock changes; any other instant must
# pass as well (the README says which were run).
DEFAULT_START = "2027-01-13T09:30"

TZ = timezone.get_default_timezone()  # the practice's zone


def suite_start() -> dt.datetime:
    """The instant the suite's clock starts from, aware, in the practice's zone."""
    value = os.environ.get("TEST_CLOCK") or DEFAULT_START
    moment = dt.datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=timezone.get_default_timezone())
    return moment


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """An aware datetime at that wall-clock time in the practice's zone."""
    return dt.datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_default_timezone()
    )


def today() -> dt.date:
    return timezone.localdate()


def next_weekday(weekday: int, *, weeks_ahead: int = 1) -> dt.date:
    """``weekday`` (Monday = 0) of a coming week, clear of every notice and change window.

    Week 1 is the first week starting seven or more days from today; ``weeks_ahead`` counts
    on from it. Days of one week are always in order: ``next_weekday(0)`` is the Monday
    before ``next_weekday(1)``, whatever day the suite runs on.
    """
    first_monday = today() + dt.timedelta(days=7 + (-today().weekday()) % 7)
    return first_monday + dt.timedelta(weeks=weeks_ahead - 1, days=weekday)
