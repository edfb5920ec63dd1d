"""A Redis cache that degrades instead of failing when Redis is down.

Django's RedisCache raises on a connection error, and the cache is on the login path
(allauth's rate limits count failed logins there). Sessions live in PostgreSQL, so with
this backend the pages and the login keep working while Redis is away: reads miss, writes
are dropped, `add` (allauth's lock) succeeds, and each error is logged. /healthz still
reports Redis as down, so nobody mistakes the degraded state for a healthy one.
"""

import functools
import logging

import redis
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)


def _fail_safe(default):
    def wrap(method):
        @functools.wraps(method)
        def inner(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except redis.RedisError as exc:
                logger.warning(
                    "Cache unavailable (%s.%s): %s", type(self).__name__, method.__name__, exc
                )
                return default(args, kwargs) if callable(default) else default

        return inner

    return wrap


def _get_default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class FailSafeRedisCache(RedisCache):
    get = _fail_safe(_get_default)(RedisCache.get)
    set = _fail_safe(None)(RedisCache.set)
    # A lock that cannot be taken must not lock everybody out (allauth's cache_lock).
    add = _fail_safe(True)(RedisCache.add)
    touch = _fail_safe(False)(RedisCache.touch)
    delete = _fail_safe(False)(RedisCache.delete)
    get_many = _fail_safe({})(RedisCache.get_many)
    has_key = _fail_safe(False)(RedisCache.has_key)
    set_many = _fail_safe(lambda args, kwargs: [])(RedisCache.set_many)  # noqa: ARG005 - _fail_safe passes (args, kwargs)
    delete_many = _fail_safe(None)(RedisCache.delete_many)
    clear = _fail_safe(None)(RedisCache.clear)
    incr = _fail_safe(lambda args, kwargs: kwargs.get("delta", 1))(RedisCache.incr)  # noqa: ARG005 - _fail_safe passes (args, kwargs)
