"""Who calls: the API key in `Authorization: Bearer <key>`, looked up in the schema of the
host it is presented at; its scopes; a rate limit per key (Redis, a fixed minute window).

The key's own user (api.models.ApiKey.user) becomes `request.user`, named in the audit log
by the key (`audit_actor_label`): every service records it as it records a person.
"""

import time

from django.conf import settings
from django.core.cache import cache
from ninja.security import HttpBearer

from . import rules
from .models import ApiKey
from .problems import Problem
from .services import api_key_used


def _rate_limit(key: ApiKey) -> None:
    """At most API_RATE_LIMIT_PER_MINUTE requests a key a minute; 429 with Retry-After.

    A fixed window in Redis (INCR, expiry 61 s); the cache key is prefixed with the
    tenant's schema. With Redis down the cache lets requests through (config/cache.py).
    """
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    now = time.time()
    window = int(now // 60)
    name = f"api-rate:{key.pk}:{window}"
    cache.add(name, 0, timeout=61)
    count = cache.incr(name)
    if count > limit:
        retry = str(60 - int(now % 60))
        raise Problem(
            429,
            f"Nøglen har brugt sine {limit} forespørgsler i dette minut. Prøv igen om {retry} s.",
            code="for-mange",
            headers={"Retry-After": retry},
        )


class ApiKeyAuth(HttpBearer):
    """Bearer authentication by an API key of the jobcentre whose host is called."""

    def authenticate(self, request, token):
        parts = rules.key_parse(token)
        if parts is None:
            return None
        key = ApiKey.objects.select_related("user").filter(prefix=parts.prefix).first()
        if key is None or not rules.key_matches(secret=parts.secret, digest=key.digest):
            return None
        if not key.is_active():
            return None
        _rate_limit(key)
        api_key_used(key=key)
        user = key.user
        user.audit_actor_label = key.actor_label
        user.audit_actor_role = "api"
        request.user = user
        request.api_key = key
        return key


def need(request, scope: str) -> ApiKey:
    """The request's key, or 403 naming the scope it lacks."""
    key: ApiKey = request.auth
    if scope not in key.scopes:
        raise Problem(403, f"Nøglen har ikke rettigheden {scope}.", code="mangler-rettighed")
    return key
