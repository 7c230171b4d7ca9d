"""A version for "everything cached about X", changed whenever X changes.

Cached entries put the current version in their keys, so changing it forgets them all at
once, on every app server sharing the cache, without having to know which keys exist.

Each new version is a random token rather than a counter: if the cache ever drops the
version key (a full memory cache culls entries), the next one cannot repeat an old value
and bring back the entries made under it.

A change is announced twice: at once, and again when the transaction that made it commits.
Signals fire inside the transaction, before other connections can see the new rows; a
reader that filled the cache in between stored what it saw before the commit under the
first new version, and the second one leaves that entry behind. Once the writer's
request has finished, every reader gets fresh data.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import transaction


class CacheVersion:
    def __init__(self, key: str):
        self.key = key

    def current(self) -> str | None:
        """The version to put in keys; ``None`` when the cache keeps nothing (do not cache)."""
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, secrets.token_hex(8), None)
            version = cache.get(self.key)
        return version

    def change(self) -> None:
        """Forget every entry made under the current version, now and again on commit."""
        self._renew()
        transaction.on_commit(self._renew)

    def _renew(self) -> None:
        cache.set(self.key, secrets.token_hex(8), None)
