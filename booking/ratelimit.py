"""A per-address limit on booking submissions, counted in the cache in fixed windows."""

import hashlib
import time

from django.core.cache import cache


def client_address(request) -> str:
    # Behind a reverse proxy, the WSGI server must put the client's address in
    # REMOTE_ADDR (gunicorn: --forwarded-allow-ips); headers are not trusted here.
    return request.META.get("REMOTE_ADDR", "")


def allow(request, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Counts this request; False once the address made more than ``limit`` in the window."""
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{address}:{int(time.time() // window_seconds)}"
    if cache.add(key, 1, timeout=window_seconds):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds)
            count = 1
    return count <= limit
