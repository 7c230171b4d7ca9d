"""A course of treatment: more sessions of one service with one practitioner, at the same
local time every one to four weeks, booked at once after a preview.

``plan`` is the date arithmetic (pure, like ``booking.slots``), ``selectors`` loads what the
preview needs, ``services`` books, cancels and moves the sessions; each session is an
ordinary appointment (``Appointment.course``).
"""
