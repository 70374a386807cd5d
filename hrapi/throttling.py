"""Per-client API throttling, counted atomically in the shared cache (Redis in production).

DRF's SimpleRateThrottle reads a history list, decides, then writes it back: two workers
reading at once both pass, so N workers let up to N times the limit through. Here each
fixed window has one counter, created if missing and bumped in one step: a MULTI/EXEC of
SET NX and INCR on Redis, `cache.add` and `cache.incr` on the per-process local-memory
cache. Both are atomic, so the limit holds across processes that share the cache.
"""

import time

from django.conf import settings
from django.core.cache import cache as default_cache
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework import exceptions
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
        count = count_request(f"{key}:{window}", self.duration)
        remember_quota(request, self.num_requests, count, self.window_ends_at - self.now)
        return count <= self.num_requests

    def wait(self):
        return max(self.window_ends_at - self.now, 0)


def remember_quota(request, limit: int, count: int, reset: float) -> None:
    """What the RateLimit-* headers say (added to every API answer by the input guard)."""
    http_request = getattr(request, "_request", request)
    http_request.rate_limit = (limit, max(limit - count, 0), max(int(reset + 0.999), 0))


def refuse_bad_tokens_from(request) -> None:
    """Called on every invalid or revoked token: past API_BAD_TOKEN_RATE per address a 429,
    so a guesser cannot try tokens at the speed of the network (authentication fails before
    DRF's throttles run, so they never counted these)."""
    limit, duration = SimpleRateThrottle.parse_rate(None, settings.API_BAD_TOKEN_RATE)
    now = time.time()
    window = int(now // duration)
    address = request.META.get("REMOTE_ADDR", "")
    count = count_request(f"throttle_bad_token_{address}:{window}", duration)
    reset = (window + 1) * duration - now
    remember_quota(request, limit, count, reset)
    if count > limit:
        raise exceptions.Throttled(wait=reset)


def count_request(key: str, duration: int) -> int:
    """Add one to the window's counter and return the new count, atomically."""
    # The counter outlives its window a little so a slow request cannot recreate it at zero.
    timeout = duration + 5
    backend = caches["default"]  # `cache` is a proxy: isinstance() on it is always False
    if isinstance(backend, RedisCache):
        # One round trip instead of the three that add + incr cost through the cache API
        # (SET NX, EXISTS, INCRBY): this runs on every API request.
        raw = backend.make_and_validate_key(key)
        pipe = backend._cache.get_client(raw, write=True).pipeline(transaction=True)
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


def quota_of(request) -> tuple[int, int, int]:
    """The quota the answer reports: the one a throttle counted, or, for answers given before
    any throttle ran (no credentials, a missing scope, a refused body), the address's
    anonymous window as it stands, without counting."""
    quota = getattr(request, "rate_limit", None)
    if quota is not None:
        return quota
    throttle = ClientRateThrottle()
    now = time.time()
    window = int(now // throttle.duration)
    ident = f"anon-{request.META.get('REMOTE_ADDR', '')}"
    key = throttle.cache_format % {"scope": throttle.scope, "ident": ident}
    count = default_cache.get(f"{key}:{window}", 0)
    reset = (window + 1) * throttle.duration - now
    return throttle.num_requests, max(throttle.num_requests - count, 0), int(reset + 0.999)
