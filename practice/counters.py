"""Counters for the site's own limits (the admin's sign-in and password reset), in the
``limits`` cache (the database: no full cache can evict a counter and so reset it), and
what counts as one visitor's address. ``booking.ratelimit`` counts the booking's limits
the same way, with this module's ``counted_address``."""

import hashlib
import ipaddress
import time

from django.core.cache import caches


def counted_address(address: str) -> str:
    """What a limit counts: the IPv4 address, or the /64 network of an IPv6 one (one home
    or phone gets a whole /64 and can change the rest at will; an IPv4-mapped IPv6 address
    counts as its IPv4 address)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def count_up(key: str, window_seconds: int) -> int:
    """One more on ``key``; how many in all while it lives."""
    cache = caches["limits"]
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1


def allow_name(name: str, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Counts one more for ``name`` (an address, an email address) in this fixed window;
    False once past ``limit``. Only a hash of the name reaches the cache key."""
    digest = hashlib.sha256(f"{scope}:{name.strip().lower()}".encode()).hexdigest()[:32]
    key = f"limit:{scope}:{digest}:{int(time.time() // window_seconds)}"
    return count_up(key, window_seconds) <= limit
