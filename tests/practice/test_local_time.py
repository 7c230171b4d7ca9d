"""How the practice writes times (practice/local_time.py) and the format modules that
decide it (practice/formats/): no database."""

import datetime as dt

import pytest
from django import forms
from django.conf import settings
from django.utils import timezone, translation

from practice import local_time
from practice.formats import picker_formats
from practice.formats.en import formats as us_formats
from practice.formats.en_GB import formats as uk_formats
from tests.clock import local

A_DAY = dt.date(2027, 1, 18)  # a Monday, in winter: New York is UTC-5


def test_the_us_practice_writes_the_12_hour_clock():
    assert local_time.clock(dt.time(14, 30)) == "2:30 PM"
    assert local_time.clock(dt.time(0, 5)) == "12:05 AM"
    assert local_time.hour_mark(dt.time(9)) == "9 AM"
    assert local_time.hour_mark(dt.time(12)) == "12 PM"


def test_a_moment_is_written_on_the_practices_clock_whatever_its_zone():
    in_utc = dt.datetime(2027, 1, 18, 19, 30, tzinfo=dt.UTC)
    assert local_time.clock(in_utc) == "2:30 PM"
    assert local_time.moment(in_utc) == "Mon Jan 18, 2027, 2:30 PM"
    assert local_time.moment(in_utc, "D M j") == "Mon Jan 18, 2:30 PM"
    # Just before midnight UTC is already the evening of the day before in New York.
    assert local_time.moment(dt.datetime(2027, 1, 19, 1, 0, tzinfo=dt.UTC), "D") == "Mon, 8:00 PM"


def test_a_range_leaves_off_the_starts_marker_only_when_the_end_has_the_same():
    dash = "\N{EN DASH}"
    assert local_time.clock_range(dt.time(9, 30), dt.time(10)) == f"9:30{dash}10:00 AM"
    assert local_time.clock_range(dt.time(11, 30), dt.time(13)) == f"11:30 AM{dash}1:00 PM"
    assert local_time.clock_range(local(A_DAY, 14), local(A_DAY, 15)) == f"2:00{dash}3:00 PM"


def test_a_practice_in_the_uk_writes_the_24_hour_clock():
    with translation.override("en-gb"):
        assert local_time.clock(dt.time(14, 30)) == "14:30"
        assert local_time.clock(dt.time(9, 5)) == "09:05"
        assert local_time.hour_mark(dt.time(9)) == "09:00"
        assert local_time.clock_range(dt.time(9, 30), dt.time(10)) == "09:30\N{EN DASH}10:00"
        assert local_time.moment(local(A_DAY, 14), "D j M") == "Mon 18 Jan, 14:00"


def test_each_locale_module_defines_every_name_so_none_falls_back_to_another_locale():
    # Django looks a name up in en_GB, then en: a name en_GB lacks would be the US one.
    def names(module):
        return {name for name in dir(module) if name.isupper()}

    assert names(uk_formats) == names(us_formats)
    assert {"TIME_FORMAT", "HOUR_FORMAT", "TIME_INPUT_FORMATS"} <= names(us_formats)


def test_the_pickers_write_the_locales_first_input_format():
    assert picker_formats("en-us") == ("%Y-%m-%d %I:%M %p", "%I:%M %p")
    assert picker_formats("en-gb") == ("%Y-%m-%d %H:%M", "%H:%M")
    assert picker_formats("en") == picker_formats("en-us")
    with pytest.raises(LookupError):
        picker_formats("fr-fr")
    # What the settings use, and staff cannot pick an admin language that reads otherwise.
    assert picker_formats(settings.LANGUAGE_CODE) == (
        settings.WAGTAIL_DATETIME_FORMAT,
        settings.WAGTAIL_TIME_FORMAT,
    )
    assert [code for code, _ in settings.WAGTAILADMIN_PERMITTED_LANGUAGES] == [
        settings.LANGUAGE_CODE
    ]


@pytest.mark.parametrize("language_code", ["en-us", "en-gb"])
def test_what_a_picker_writes_is_read_back_and_so_are_both_clocks(language_code):
    datetime_format, time_format = picker_formats(language_code)
    moment = dt.datetime(2027, 1, 18, 14, 30, tzinfo=dt.UTC)
    with translation.override(language_code), timezone.override(dt.UTC):
        times, moments = forms.TimeField(), forms.DateTimeField()
        assert times.clean(moment.strftime(time_format)) == dt.time(14, 30)
        assert moments.clean(moment.strftime(datetime_format)) == moment
        for typed in ("2:30 PM", "02:30pm", "14:30"):
            assert times.clean(typed) == dt.time(14, 30)
            assert moments.clean(f"2027-01-18 {typed}") == moment
        with pytest.raises(forms.ValidationError):
            times.clean("25:00")
