"""Per-client API throttling, counted atomically in the shared cache (Redis in production).

DRF's SimpleRateThrottle reads a history list, decides, then writes it back: two workers
reading at once both pass, so N workers let up to N times the limit through. Here each
fixed window has one counter, created if missing and bumped in one step: a MULTI/EXEC of
SET NX and INCR on Redis, `cache.add` and `cache.incr` on the per-process local-memory
cache. Both are atomic, so the limit holds across processes that share the cache.
"""

import time

from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCache
from rest_framework.throttling import SimpleRateThrottle

from hrapi.permissions import client_of


class ClientRateThrottle(SimpleRateThrottle):
    scope = "client"
    cache = default_cache

    def get_cache_key(self, request, view):
        client = client_of(request)
        if client is not None:
            ident = f"client-{client.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = time.time()
        window = int(self.now // self.duration)
        self.window_ends_at = (window + 1) * self.duration
        return count_request(f"{key}:{window}", self.duration) <= self.num_requests

    def wait(self):
        return max(self.window_ends_at - self.now, 0)


def count_request(key: str, duration: int) -> int:
    """Add one to the window's counter and return the new count, atomically."""
    # The counter outlives its window a little so a slow request cannot recreate it at zero.
    timeout = duration + 5
    if isinstance(default_cache, RedisCache):
        # One round trip instead of the three that add + incr cost through the cache API
        # (SET NX, EXISTS, INCRBY): this runs on every API request.
        raw = default_cache.make_and_validate_key(key)
        pipe = default_cache._cache.get_client(raw, write=True).pipeline(transaction=True)
        pipe.set(raw, 0, ex=timeout, nx=True)
        pipe.incr(raw)
        return pipe.execute()[1]
    default_cache.add(key, 0, timeout=timeout)
    try:
        return default_cache.incr(key)
    except ValueError:
        # The key expired between add and incr: this request opens the next counter.
        default_cache.add(key, 1, timeout=timeout)
        return 1
