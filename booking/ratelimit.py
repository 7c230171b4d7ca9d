"""Limits on what one visitor may do in a while, counted in fixed windows in the ``limits``
cache (the database: no full cache can evict a counter and so reset it).

A limit is counted per client address (``allow``), or per any other name for the one
asking (``allow_for``): their session (``session_name``) or the email address they typed
(``email_name``). Names are hashed before they reach the cache key, so no address is
stored in it. An address is counted by what one visitor holds: an IPv4 address whole, an
IPv6 address by its /64 network (one home or phone gets a whole /64, and can change the
rest at will).
"""

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.core.cache import caches

from practice.counters import counted_address

SESSION_NAME_KEY = "ratelimit_name"


def client_address(request) -> str:
    # Behind a reverse proxy, practice.middleware.ProxyClientAddressMiddleware has put the
    # visitor's address here (X-Real-IP from TRUSTED_PROXIES); no header is trusted here.
    return request.META.get("REMOTE_ADDR", "")


def _hashed(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:32]


def _window_key(scope: str, hashed_name: str, window_seconds: int) -> str:
    return f"ratelimit:{scope}:{hashed_name}:{int(time.time() // window_seconds)}"


def _key(request, scope: str, window_seconds: int) -> str:
    return _window_key(scope, _hashed(counted_address(client_address(request))), window_seconds)


def _counted(key: str, window_seconds: int, cost: int = 1) -> int:
    cache = caches["limits"]
    if cache.add(key, cost, timeout=window_seconds):
        return cost
    try:
        return cache.incr(key, cost)
    except ValueError:  # expired between add and incr
        cache.set(key, cost, timeout=window_seconds)
        return cost


def count(request, *, scope: str, window_seconds: int) -> int:
    """How many times this address was counted in the current window."""
    return caches["limits"].get(_key(request, scope, window_seconds), 0)


def allow(request, *, scope: str, limit: int, window_seconds: int, cost: int = 1) -> bool:
    """Counts this request (as ``cost``: a course request counts each appointment it asks
    for); False once the address made more than ``limit`` in the window."""
    return _counted(_key(request, scope, window_seconds), window_seconds, cost) <= limit


def allow_for(name: str, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Counts one more for ``name`` (see ``session_name``, ``email_name``); False once it
    was counted more than ``limit`` times in the window."""
    key = _window_key(scope, _hashed(f"{scope}:{name}"), window_seconds)
    return _counted(key, window_seconds) <= limit


def session_name(request) -> str:
    """A random name for this visitor's session, made on first use: counting by session
    key would change with every sign-in (the key is cycled) and needs a saved session."""
    name = request.session.get(SESSION_NAME_KEY)
    if not isinstance(name, str) or not name:
        name = secrets.token_hex(16)
        request.session[SESSION_NAME_KEY] = name
    return name


def email_name(email: str) -> str:
    """An email address as a name to count by: keyed with the site's secret, so the cache
    holds nothing a list of addresses could be matched against."""
    normal = email.strip().lower()
    return hmac.new(settings.SECRET_KEY.encode(), normal.encode(), hashlib.sha256).hexdigest()


def allow_all(request, *, scope: str, email: str | None, limits: tuple[int, int, int]) -> bool:
    """One hour's limits on ``scope`` for this session, this client address and (when
    given) this email address: (per session, per address, per email). Each is counted,
    even when another has already refused."""
    per_session, per_address, per_email = limits
    hour = 3600
    allowed = [
        allow_for(
            session_name(request), scope=f"{scope}:s", limit=per_session, window_seconds=hour
        ),
        allow(request, scope=f"{scope}:a", limit=per_address, window_seconds=hour),
    ]
    if email:
        allowed.append(
            allow_for(email_name(email), scope=f"{scope}:e", limit=per_email, window_seconds=hour)
        )
    return all(allowed)


def link_missed(request) -> bool:
    """A private link (manage, waiting-list entry or offer, "sooner", calendar feed) that
    opened nothing: counted against the address, one count for every kind of link.

    True once the address is past ``TOKEN_GUESSES_PER_HOUR``: the view answers 429 instead
    of 404. Only failed lookups count, and a link that opens something is always served,
    so a patient's own link works even from an address that guessed."""
    return not allow(
        request,
        scope="link-miss",
        limit=settings.TOKEN_GUESSES_PER_HOUR,
        window_seconds=3600,
    )
