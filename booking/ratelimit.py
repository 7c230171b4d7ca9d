"""A per-address limit on booking submissions, counted in fixed windows in the ``limits``
cache (the database: no full cache can evict a counter and so reset it)."""

import hashlib
import time

from django.core.cache import caches


def client_address(request) -> str:
    # Behind a reverse proxy, practice.middleware.ProxyClientAddressMiddleware has put the
    # visitor's address here (X-Real-IP from TRUSTED_PROXIES); no header is trusted here.
    return request.META.get("REMOTE_ADDR", "")


def _key(request, scope: str, window_seconds: int) -> str:
    address = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{address}:{int(time.time() // window_seconds)}"


def count(request, *, scope: str, window_seconds: int) -> int:
    """How many times this address was counted in the current window."""
    return caches["limits"].get(_key(request, scope, window_seconds), 0)


def allow(request, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Counts this request; False once the address made more than ``limit`` in the window."""
    key = _key(request, scope, window_seconds)
    cache = caches["limits"]
    if cache.add(key, 1, timeout=window_seconds):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window_seconds)
            count = 1
    return count <= limit
