"""Reading a practitioner's calendar over the network: an ICS address, or a CalDAV server.

Only the task worker calls this, never a page. Every request has a timeout; an ICS feed
is asked conditionally (ETag, Last-Modified) and read to a size limit. A failure raises
``SourceError`` with a message fit for the practitioner's page: it never holds the
address, the user name or the password, nor the server's own words (which may echo them).
"""

from __future__ import annotations

import datetime as dt
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from icalendar import Calendar

MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024
USER_AGENT = "practice-booking-calendar-sync/1"


class SourceError(Exception):
    """A source could not be read; ``str()`` is safe to store and show."""


@dataclass(frozen=True)
class Fetched:
    """What a source holds now: ``calendars`` is None when it has not changed since the
    ``etag``/``last_modified`` given (HTTP 304)."""

    calendars: list[Calendar] | None
    etag: str = ""
    last_modified: str = ""


def http_address(address: str) -> str:
    """``webcal://`` as ``https://``; only http and https are read (never file: or ftp:)."""
    parts = urlsplit(address.strip())
    scheme = parts.scheme.lower()
    if scheme in {"webcal", "webcals"}:
        parts = parts._replace(scheme="https")
    elif scheme not in {"http", "https"}:
        raise SourceError("The address must start with https://, http:// or webcal://.")
    if not parts.hostname:
        raise SourceError("The address names no server.")
    return urlunsplit(parts)


def address_hint(address: str) -> str:
    """What the admin shows of an address: its scheme and server, never its path (where
    Google, iCloud and Outlook keep the feed's secret)."""
    parts = urlsplit(address.strip())
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme.lower()}://{host}{port}/…"


class _HTTPOnlyRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in {"http", "https"}:
            raise SourceError("The server sent the request somewhere that is not a web address.")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _HTTPOnlyRedirects(),
    ):
        opener.add_handler(handler)
    return opener


def ics_fetch(address: str, *, etag: str, last_modified: str, timeout: float) -> Fetched:
    """The feed at ``address``, unless unchanged since ``etag``/``last_modified``."""
    request = urllib.request.Request(
        http_address(address), headers={"User-Agent": USER_AGENT, "Accept": "text/calendar"}
    )
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    deadline = time.monotonic() + timeout
    try:
        with _opener().open(request, timeout=timeout) as response:
            body = _read_until(response, deadline)
            headers = response.headers
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Fetched(None, etag=etag, last_modified=last_modified)
        raise SourceError(_status_message(error.code)) from None
    except TimeoutError:
        raise SourceError(f"The server did not answer within {timeout:g} seconds.") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise SourceError(f"The server did not answer within {timeout:g} seconds.") from None
        raise SourceError("The server could not be reached.") from None
    except OSError:
        raise SourceError("The server could not be reached.") from None
    return Fetched(
        [calendar_parse(body)],
        etag=headers.get("ETag", "")[:300],
        last_modified=headers.get("Last-Modified", "")[:100],
    )


def _read_until(response, deadline: float) -> bytes:
    """The body, refused past ``MAX_BYTES`` or the deadline: a server that trickles its
    answer is as slow as one that does not answer."""
    parts, size = [], 0
    while chunk := response.read(CHUNK):
        size += len(chunk)
        if size > MAX_BYTES:
            raise SourceError(f"The calendar is larger than {MAX_BYTES // (1024 * 1024)} MB.")
        if time.monotonic() > deadline:
            raise TimeoutError
        parts.append(chunk)
    return b"".join(parts)


def _status_message(code: int) -> str:
    if code in {401, 403}:
        return f"The server refused access ({code}): the address may have been renewed."
    if code in {404, 410}:
        return f"Nothing is at this address any more ({code})."
    return f"The server answered with an error ({code})."


def calendar_parse(body: bytes) -> Calendar:
    try:
        calendar = Calendar.from_ical(body)
    except Exception:  # icalendar raises ValueError and a few others on bad input
        raise SourceError("The address did not give a calendar file.") from None
    if calendar.name != "VCALENDAR":
        raise SourceError("The address did not give a calendar file.")
    return calendar


def caldav_fetch(
    address: str,
    *,
    username: str,
    password: str,
    calendar_name: str,
    start: dt.datetime,
    end: dt.datetime,
    timeout: float,
) -> Fetched:
    """The events between ``start`` and ``end`` in the CalDAV calendar at ``address``, or,
    for a server's address, in every calendar of the user (those named ``calendar_name``
    if given). A time-range search, since free-busy queries are not offered everywhere
    (iCloud); repeating events come back whole, to be expanded here (``busy``)."""
    import caldav
    from caldav.lib import error as dav_error

    try:
        with caldav.DAVClient(
            url=http_address(address),
            username=username,
            password=password,
            timeout=timeout,
            enable_rfc6764=False,
        ) as client:
            everyone = client.principal().get_calendars()
            calendars = _chosen_calendars(everyone, address, calendar_name)
            found = [
                item.icalendar_instance
                for calendar in calendars
                for item in calendar.search(start=start, end=end, event=True, expand=False)
            ]
    except SourceError:
        raise
    except dav_error.AuthorizationError:
        raise SourceError("The server refused the user name or app password.") from None
    except dav_error.NotFoundError:
        raise SourceError("No calendar was found at this address.") from None
    except dav_error.DAVError:
        raise SourceError("The calendar server answered with an error.") from None
    except Exception as error:  # the HTTP library's own: timeouts, refused connections
        if "timeout" in type(error).__name__.lower():
            raise SourceError(f"The server did not answer within {timeout:g} seconds.") from None
        raise SourceError("The server could not be reached.") from None
    return Fetched(found)


def _chosen_calendars(calendars: list, address: str, calendar_name: str) -> list:
    wanted = address.strip().rstrip("/")
    exact = [c for c in calendars if str(c.url).rstrip("/") == wanted]
    if exact:
        return exact
    if calendar_name:
        named = [c for c in calendars if (c.get_display_name() or "") == calendar_name]
        if not named:
            raise SourceError("No calendar of that name was found on the server.")
        return named
    if not calendars:
        raise SourceError("The server holds no calendar for this user.")
    return calendars
