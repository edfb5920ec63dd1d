"""The request a service runs in, so the audit log knows the IP without every service
taking the request: set by audit.middleware for the length of one request."""

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)


def client_ip(request) -> str | None:
    """REMOTE_ADDR as the web server saw it (the proxy in front sets it; we trust no header)."""
    return request.META.get("REMOTE_ADDR") or None
