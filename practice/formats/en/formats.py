"""How the practice writes and reads times and dates in English (US): one place for the
admin, the public site and the emails.

Templates write ``{{ value|time }}``; Python code calls ``practice.local_time.clock`` and
``moment``: both read the names below for the active language, which is the practice's
``LANGUAGE_CODE`` everywhere (the admin offers no other, see settings). A US practice
writes 12-hour times ("9:30 AM"); a practice in the UK sets ``LANGUAGE_CODE = "en-gb"``
and gets ``en_GB/formats.py`` beside this one (24-hour). A module for another locale
defines every name this one does: Django falls back from ``en_GB`` to ``en`` name by name.
"""

TIME_FORMAT = "g:i A"
# The agenda's hour marks: the short form of a whole hour ("9 AM").
HOUR_FORMAT = "g A"
DATE_FORMAT = "l, F j, Y"
SHORT_DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "M j, Y, g:i A"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"

# The browser's own date fields send ISO dates, and are given them: ISO comes first.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"]
# What staff may type in the admin's time fields. The first is what the pickers write
# (settings.WAGTAIL_TIME_FORMAT and WAGTAIL_DATETIME_FORMAT come from it); 24-hour times
# ("14:30") are read too, as are the ISO formats Django always adds.
TIME_INPUT_FORMATS = ["%I:%M %p", "%I:%M%p", "%H:%M", "%H:%M:%S"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %I:%M %p",
    "%Y-%m-%d %I:%M%p",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
]
