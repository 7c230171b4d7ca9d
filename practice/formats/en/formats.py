"""How the practice writes times and dates in English: one place for the admin, the public
site and the emails (``{{ value|time }}``, ``{{ value|date }}`` with no format given).

A US practice writes 12-hour times ("9:30 AM"). A practice elsewhere changes these lines, or
adds a module for its own language beside this one (Django's FORMAT_MODULE_PATH).
"""

TIME_FORMAT = "g:i A"
DATE_FORMAT = "l, F j, Y"
SHORT_DATE_FORMAT = "M j, Y"
DATETIME_FORMAT = "M j, Y, g:i A"
