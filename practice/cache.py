"""The shared cache (Redis), kept from taking the site down with it.

Everything Redis holds can be worked out again or lost without harm: pages, and sessions
written through to the database. So when Redis cannot be reached, or is full and refuses
writes, a read is a miss and a write is dropped, and the page is rendered fresh (slower,
never an error page). A warning is logged at most once a minute.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import OutOfMemoryError as RedisOutOfMemoryError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, RedisOutOfMemoryError)
WARN_EVERY_SECONDS = 60
_last_warning = 0.0


def _warn(error: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning("Cache unusable, serving without it: %s", error.__class__.__name__)


def _or(fallback):
    """Runs the cache operation; when Redis is unreachable, returns ``fallback(*args)``."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                _warn(error)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key {key!r} not found (cache unreachable)")


class ForgivingRedisCache(RedisCache):
    get = _or(lambda key, default=None, **kwargs: default)(RedisCache.get)
    get_many = _or(lambda keys, **kwargs: {})(RedisCache.get_many)
    has_key = _or(lambda key, **kwargs: False)(RedisCache.has_key)
    set = _or(lambda *args, **kwargs: None)(RedisCache.set)
    set_many = _or(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    add = _or(lambda *args, **kwargs: False)(RedisCache.add)
    touch = _or(lambda *args, **kwargs: False)(RedisCache.touch)
    delete = _or(lambda *args, **kwargs: False)(RedisCache.delete)
    delete_many = _or(lambda *args, **kwargs: None)(RedisCache.delete_many)
    clear = _or(lambda *args, **kwargs: False)(RedisCache.clear)
    incr = _or(_missing)(RedisCache.incr)
