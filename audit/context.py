"""The request a service runs in, so the audit log knows the IP without every service
taking the request: set by audit.middleware for the length of one request."""

from contextvars import ContextVar

from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)


def client_ip(request) -> str | None:
    """The client's address: behind TRUSTED_PROXY_COUNT proxies the entry they appended to
    X-Forwarded-For (a client's own entries further left are never trusted), else
    REMOTE_ADDR. The same rule as the login limits (allauth's adapter), so the audit log
    records the person's address, not the proxy's."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        # No usable address (or fewer X-Forwarded-For entries than proxies): what the
        # server saw.
        return request.META.get("REMOTE_ADDR") or None
