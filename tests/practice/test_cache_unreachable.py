"""When Redis cannot be reached or is full, the cache misses and forgets; pages are still
served."""

import shutil
import subprocess
import time

import pytest
import redis
from django.core.cache import caches

from practice.settings.env import caches_from_url
from tests.support import free_port


@pytest.fixture
def unreachable(settings):
    # Nothing listens on this port: every connection is refused at once.
    settings.CACHES = caches_from_url(f"redis://127.0.0.1:{free_port()}/0")
    cache = caches["default"]
    yield cache
    cache.close()


def test_reads_miss_and_writes_are_dropped(unreachable):
    assert unreachable.get("page", "fallback") == "fallback"
    assert unreachable.get_many(["a", "b"]) == {}
    assert unreachable.has_key("page") is False
    assert unreachable.add("page", 1) is False
    assert unreachable.set("page", 1) is None
    assert unreachable.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert unreachable.delete("page") is False
    assert unreachable.get_or_set("page", 42) == 42
    with pytest.raises(ValueError):
        unreachable.incr("page")


def test_the_warning_is_logged_once_a_minute_not_per_request(unreachable, caplog, monkeypatch):
    monkeypatch.setattr("practice.cache._last_warning", 0.0)
    monkeypatch.setattr("practice.cache.time.monotonic", lambda: 10_000.0)
    for _ in range(5):
        unreachable.get("page")
    warnings = [r for r in caplog.records if r.name == "practice.cache"]
    assert len(warnings) == 1
    assert "Cache unusable" in warnings[0].getMessage()


@pytest.mark.django_db
def test_pages_and_booking_are_served_without_it(unreachable, client, home):
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200
    assert client.get("/book/").status_code == 200


@pytest.fixture
def full_redis(settings):
    """A Redis of its own, capped at its smallest and refusing writes once full (its default
    policy), already full."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--maxmemory",
            "1mb",
            "--maxmemory-policy",
            "noeviction",
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(port=port)
        for _ in range(50):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.1)
        with pytest.raises(redis.exceptions.OutOfMemoryError):
            for n in range(10_000):
                client.set(f"filler:{n}", "x" * 1000)
        settings.CACHES = caches_from_url(f"redis://127.0.0.1:{port}/0")
        yield
        for alias in ("default", "pages"):
            caches[alias].close()
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.django_db
def test_a_full_redis_is_an_outage_not_an_error_page(full_redis, client, home):
    for _ in range(3):
        assert client.get("/").status_code == 200
        assert client.get("/faq/").status_code == 200
