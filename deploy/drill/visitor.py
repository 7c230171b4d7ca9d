"""A visitor's browser, as far as the drill needs one: HTTPS through nginx from an address of
its own on loopback (127.0.0.2, 127.0.0.3, …, so the booking limit counts each apart),
cookies, the CSRF token, and the five booking steps as the forms send them."""

from __future__ import annotations

import http.client
import re
import ssl
import time
import urllib.parse
from dataclasses import dataclass, field

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
SLOT = re.compile(rb'name="slot" id="[^"]+" value="([^"]+)"')
DAY = re.compile(rb'class="day-strip__day" href="\?week=[0-9-]+&amp;day=([0-9-]+)"')
KEY = re.compile(rb'name="idempotency_key" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    seconds: float

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    @property
    def upstream(self) -> str:
        return self.headers.get("X-Drill-Upstream", "")

    @property
    def cache(self) -> str:
        """What nginx's page cache did: HIT, MISS, BYPASS, EXPIRED (empty: not asked)."""
        return self.headers.get("X-Drill-Cache", "")


@dataclass
class Visitor:
    port: int
    certificate: str
    address: str = "127.0.0.2"
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    timeout: float = 15
    # Straight to an app server (plain HTTP, as nginx talks to it), not through nginx.
    direct: bool = False
    # One connection for every request, as a browser keeps it open between pages (one TLS
    # handshake a visit, not one a page); off, each request opens and closes its own.
    keep_alive: bool = False
    _open: http.client.HTTPConnection | None = field(default=None, repr=False)

    def _connection(self) -> http.client.HTTPConnection:
        if self.direct:
            return http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return http.client.HTTPSConnection(
            "127.0.0.1",
            self.port,
            context=ssl.create_default_context(cafile=self.certificate),
            timeout=self.timeout,
            source_address=(self.address, 0),
        )

    def request(
        self, method: str, path: str, form: dict | list | None = None, *, host: str = ""
    ) -> Answer:
        origin = f"https://127.0.0.1:{self.port}"
        headers = {"Host": host or f"127.0.0.1:{self.port}", "User-Agent": "practice-drill"}
        if self.direct:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            pairs = list(form.items()) if isinstance(form, dict) else list(form)
            if self.csrf:
                pairs.append(("csrfmiddlewaretoken", self.csrf))
            body = urllib.parse.urlencode(pairs, doseq=True)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": origin,
                    "Referer": origin + path,
                }
            )
        started = time.perf_counter()
        response, content = self._exchange(method, path, body, headers)
        answer = Answer(response.status, response.headers, content, time.perf_counter() - started)
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if match := CSRF.search(content):
            self.csrf = match.group(1).decode()
        return answer

    def _exchange(self, method, path, body, headers):
        if not self.keep_alive:
            connection = self._connection()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                return response, response.read()
            finally:
                connection.close()
        reused = self._open is not None
        if not reused:
            self._open = self._connection()
        try:
            self._open.request(method, path, body=body, headers=headers)
            response = self._open.getresponse()
            content = response.read()
        except (http.client.RemoteDisconnected, ConnectionError, ssl.SSLEOFError):
            self.close()
            if not reused:
                raise
            # The server closed the idle connection before this request reached it; a
            # browser sends it again on a new one.
            return self._exchange(method, path, body, headers)
        if response.will_close:
            self.close()
        return response, content

    def close(self) -> None:
        if self._open is not None:
            self._open.close()
            self._open = None

    def get(self, path: str, *, host: str = "") -> Answer:
        return self.request("GET", path, host=host)

    def post(self, path: str, form: dict | list) -> Answer:
        return self.request("POST", path, form)


def expect(answer: Answer, status: int, step: str) -> Answer:
    if answer.status != status:
        raise AssertionError(f"{step}: answered {answer.status}, expected {status}")
    return answer


def choose_service(visitor: Visitor, service_slug: str, service_id: int) -> None:
    # A link naming the session (an article's call to action) leads straight to its times.
    answer = expect(visitor.get(f"/book/?service={service_slug}"), 302, "the booking link")
    if not answer.location.endswith("/book/time/"):
        raise AssertionError(f"the booking link led to {answer.location}, not the time step")
    expect(visitor.get("/book/"), 200, "the booking page")
    answer = visitor.post("/book/", {"service": service_id, "practitioner": ""})
    expect(answer, 302, "choosing a session")


def choose_time(visitor: Visitor, slot: str) -> None:
    expect(visitor.post("/book/time/", {"slot": slot}), 302, "choosing a time")


def give_details(visitor: Visitor, details: dict) -> None:
    expect(visitor.get("/book/details/"), 200, "the details page")
    answer = visitor.post("/book/details/", {**details, "website": ""})
    expect(answer, 302, "sending the details")


def answer_questions(visitor: Visitor, answers: list) -> None:
    expect(visitor.get("/book/health-questions/"), 200, "the health questions")
    expect(visitor.post("/book/health-questions/", answers), 302, "sending the answers")


def review_key(visitor: Visitor) -> str:
    answer = expect(visitor.get("/book/review/"), 200, "the review page")
    return KEY.search(answer.body).group(1).decode()


def confirm(visitor: Visitor, key: str) -> Answer:
    # The consent is given on the summary, with the confirmation.
    data = {"idempotency_key": key, "consent_treatment": "on", "policies_ack": "on"}
    return visitor.post("/book/review/", data)


def manage_path(answer: Answer) -> str | None:
    """Where a confirmed booking leads: the private manage link."""
    if answer.status == 302 and "/book/appointment/" in answer.location:
        return urllib.parse.urlsplit(answer.location).path
    return None
