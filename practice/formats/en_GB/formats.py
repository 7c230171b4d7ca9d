"""How a practice in the UK writes and reads times and dates (``LANGUAGE_CODE = "en-gb"``):
the 24-hour clock, the day before the month. The same names as ``en/formats.py``."""

TIME_FORMAT = "H:i"
HOUR_FORMAT = "H:i"
DATE_FORMAT = "l j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %I:%M %p",
    "%Y-%m-%d %I:%M%p",
    "%d/%m/%Y %H:%M",
]
