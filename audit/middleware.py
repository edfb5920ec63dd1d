"""The client's IP for every audit event written while a request runs.

Reads of personal data are declared by the views that read (audit/reads.py); changes are
logged by the services that make them.
"""

from .context import client_ip, current_ip


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
