"""Heartbeats of this deployment's own background processes, kept in Redis.

A broadcast ping (``app.control.ping``) is answered by every worker on the same Redis, also
by a worker of another checkout or another deployment sharing the server; a dead worker of
ours would then look alive. Instead each worker of ours writes a heartbeat every
``INTERVAL_SECONDS`` under a key that names this deployment (its database and its queue), and
``/healthz`` asks whether one is fresher than ``STALE_AFTER_SECONDS``.

The key is a sorted set per component: one member per process (its hostname), scored by the
time of its last beat, so several workers keep one component alive and a worker that stops
removes only itself. ``component`` is e.g. ``"worker:<queue>"``; beat can write its own.
"""

import hashlib
import time

import redis
from django.conf import settings

INTERVAL_SECONDS = 10
STALE_AFTER_SECONDS = 45
TIMEOUT_SECONDS = 2


def deployment_id() -> str:
    """A short id of this deployment: the database it writes to.

    Two processes share a deployment exactly when they share the database, so a worker of a
    checkout with another database (or another deployment on the same Redis) never counts.
    Read at call time: the test runner renames the database after settings are loaded.
    """
    db = settings.DATABASES["default"]
    where = "|".join(
        str(part or "")
        for part in (
            db.get("HOST"),
            db.get("PORT"),
            db.get("OPTIONS", {}).get("host"),
            db.get("NAME"),
        )
    )
    return hashlib.sha256(where.encode()).hexdigest()[:16]


# Beat has one component for the deployment (one beat process runs at a time).
BEAT_COMPONENT = "beat"


def worker_component(queue: str | None = None) -> str:
    return f"worker:{queue or settings.CELERY_TASK_DEFAULT_QUEUE}"


def _key(component: str) -> str:
    return f"virksomhedscenter:heartbeat:{deployment_id()}:{component}"


def _client() -> redis.Redis:
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )


def heartbeat_write(*, component: str, member: str, now: float | None = None) -> None:
    """Record that `member` (a process) of `component` is alive now."""
    now = time.time() if now is None else now
    key = _key(component)
    client = _client()
    try:
        pipe = client.pipeline()
        pipe.zadd(key, {member: now})
        # Members that stopped without saying so fall out; the key itself expires with them.
        pipe.zremrangebyscore(key, "-inf", now - STALE_AFTER_SECONDS)
        pipe.expire(key, STALE_AFTER_SECONDS * 2)
        pipe.execute()
    finally:
        client.close()


def heartbeat_remove(*, component: str, member: str) -> None:
    """A process that stops in order says so at once."""
    client = _client()
    try:
        client.zrem(_key(component), member)
    finally:
        client.close()


def heartbeat_age(*, component: str, now: float | None = None) -> float | None:
    """Seconds since the freshest beat of `component`, or None when it never beat (or expired).

    Raises redis.RedisError when Redis does not answer.
    """
    now = time.time() if now is None else now
    client = _client()
    try:
        newest = client.zrevrange(_key(component), 0, 0, withscores=True)
    finally:
        client.close()
    if not newest:
        return None
    return max(0.0, now - newest[0][1])
