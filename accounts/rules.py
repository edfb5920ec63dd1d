"""Rules of signing in: pure functions, no database.

The lock-out protects one account against password guessing from any number of addresses
(OWASP's authentication cheat sheet: lock by account, not only by address); it must hold
while Redis is away, so its state is kept in PostgreSQL (accounts.models.LoginLock).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

LOGIN_FAILURES_BEFORE_LOCK = 5
LOGIN_FAILURE_WINDOW = timedelta(minutes=15)
LOGIN_LOCK_DURATION = timedelta(minutes=15)


@dataclass(frozen=True)
class LoginFailures:
    """An account's failed sign-ins: how many since `window_start`, and any lock."""

    failures: int
    window_start: datetime
    locked_until: datetime | None


def login_failure_next(state: LoginFailures | None, *, now: datetime) -> LoginFailures:
    """The state after one more failed sign-in at `now`.

    Failures count within LOGIN_FAILURE_WINDOW of the first one; the LOGIN_FAILURES_BEFORE_LOCK
    th failure locks the account for LOGIN_LOCK_DURATION from that moment. A failure after the
    window starts a new count (an old lock that ran out is forgotten).
    """
    if state is None or now - state.window_start >= LOGIN_FAILURE_WINDOW:
        failures, window_start = 1, now
    else:
        failures, window_start = state.failures + 1, state.window_start
    locked_until = state.locked_until if state is not None else None
    if locked_until is not None and locked_until <= now:
        locked_until = None
    if failures >= LOGIN_FAILURES_BEFORE_LOCK:
        locked_until = now + LOGIN_LOCK_DURATION
    return LoginFailures(failures=failures, window_start=window_start, locked_until=locked_until)


def login_locked(state: LoginFailures | None, *, now: datetime) -> bool:
    """True while the account's lock runs."""
    return bool(state and state.locked_until and state.locked_until > now)
