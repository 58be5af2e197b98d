"""Caches that decide who may do what or who sees what (the private switch, the moderator
flag, the rules members must accept, the blocked words): never refilled with old data.

Deleting such a key when the data changes, before or even after the commit, leaves a race: a
concurrent request that read the rows as they were before the commit and stores them just
after the delete keeps the old value in the cache for its whole lifetime (a private community
readable by anyone, a removed moderator with the inbox, for minutes).

So each value is stored with the *version* of its data, a token in the cache that every
change replaces, once when it is made and again when its transaction commits. A reader reads
the token before it reads the database and stores what it loaded with that token: whatever a
request loaded before the commit is stored under a token the commit has already replaced, and
the next reader loads afresh.
"""

from collections.abc import Callable
from typing import TypeVar
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction

from config.pagecache import site_generation_bump

T = TypeVar("T")


def versioned_get(key: str, version_key: str, load: Callable[[], T], timeout: int) -> T:
    """The value under ``key`` if it was stored under the current ``version_key`` token, else
    ``load()`` (stored with the token read before loading)."""
    found = cache.get_many([version_key, key])
    version = found.get(version_key)
    if version is None:
        cache.add(version_key, uuid4().hex, None)  # unless another request just did
        version = cache.get(version_key)
    stored = found.get(key)
    if version is not None and isinstance(stored, tuple) and stored[0] == version:
        return stored[1]
    value = load()
    if version is not None:
        cache.set(key, (version, value), timeout)
    return value


def versioned_forget(version_key: str) -> None:
    """Everything kept under ``version_key`` is stale now (for this transaction's own reads)
    and again when the transaction commits (for what concurrent requests stored meanwhile);
    outside a transaction, at once."""
    cache.set(version_key, uuid4().hex, None)
    transaction.on_commit(lambda: _forget_committed(version_key))


def _forget_committed(version_key: str) -> None:
    cache.set(version_key, uuid4().hex, None)
    # This process's snapshots (community settings, rule choices, signed-in members with their
    # moderator flag) live under the site generation; the commit's own bump may have run just
    # before this callback, so one built in between would keep the old value: bump once more.
    site_generation_bump()
