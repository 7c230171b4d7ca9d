"""Spans of time as ``(start, end)`` pairs, half-open like every interval in booking.

Pure Python, shared by the agenda (minutes of a day) and the calendars (instants).
"""

from collections.abc import Iterable
from datetime import datetime


def merge_spans[T: (int, datetime)](spans: Iterable[tuple[T, T]]) -> list[tuple[T, T]]:
    """Overlapping or touching ``(start, end)`` spans joined, earliest first: minutes of a
    day (the agenda) or instants (busy times) alike."""
    merged: list[tuple[T, T]] = []
    for begins, ends in sorted(spans):
        if merged and begins <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], ends))
        else:
            merged.append((begins, ends))
    return merged
