"""A practitioner's own calendars (an ICS address, a CalDAV calendar) keep patients out of
their busy times.

- ``busy.py``: pure, calendar data in, busy spans out (repeats expanded, free, declined and
  the practice's own events left out).
- ``fetch.py``: the network, with timeouts; only the task worker calls it.
- ``sync.py``: the writes (add, remove, refresh a source).
- ``selectors.py``: the reads; ``booking.selectors.schedule_list_for`` subtracts the stored
  busy times from free times like time off.

Pages and bookings read stored busy times only: a slow or dead calendar server never
slows or breaks them. See docs/calendars.md.
"""
