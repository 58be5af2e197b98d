"""Django's Redis cache, reusing its client objects.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call
(the pool is shared, the client is not), and building one fills a table of ~170 response
callbacks: a signed-in question page made ten cache calls and spent about 1.5 ms on that
alone. A ``redis.Redis`` is safe to share between threads (each command takes a connection
from the pool), so one per pool is kept."""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        # Private helpers of Django's RedisCacheClient, not in django-stubs.
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(  # type: ignore[attr-defined]
                connection_pool=self._get_connection_pool(write)  # type: ignore[attr-defined]
            )
        return client


class VecheRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
