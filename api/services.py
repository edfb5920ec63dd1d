"""Writes of the integration API's own rows: keys (by the jobcentre's admin) and the stored
answers of idempotent writes. Every change of a key is in the audit log."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from codes import clock

from . import rules
from .models import ApiKey, IdempotentRequest

# A key lives at most two years; the admin makes a new one before it runs out.
MAX_KEY_DAYS = 730
IDEMPOTENCY_RETENTION = timedelta(days=1)


@transaction.atomic
def api_key_create(
    *, name: str, purpose: str, scopes: list[str], expires_on: date, acting_user
) -> tuple[ApiKey, str]:
    """Create a key; returns it and the full key, which is shown once and never stored.

    The key acts through a user of its own: inactive (it can never sign in or reset a
    password) and without roles. Raises ValidationError (Danish) for an empty name or
    purpose, no or unknown scopes, `read:cpr` without `read:candidates`, or an expiry
    that is not within the next two years; nothing is stored then.
    """
    name = (name or "").strip()
    purpose = (purpose or "").strip()
    if not name:
        raise ValidationError("Giv nøglen et navn, fx det system den bruges af.")
    if not purpose:
        raise ValidationError("Skriv formålet med nøglen; det står i revisionssporet.")
    try:
        scopes = rules.scopes_valid(scopes)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    if not scopes:
        raise ValidationError("Vælg mindst én rettighed.")
    if "read:cpr" in scopes and "read:candidates" not in scopes:
        raise ValidationError("CPR-numre kan kun læses sammen med kandidaterne (read:candidates).")
    today = clock.today()
    if not today < expires_on <= today + timedelta(days=MAX_KEY_DAYS):
        raise ValidationError("Udløbsdatoen skal ligge efter i dag og højst to år frem.")
    full_key, prefix, digest = rules.key_new()
    user = User.objects.create_user(
        email=f"api-{prefix}@api.invalid", password=None, first_name=name[:150], is_active=False
    )
    expires_at = timezone.make_aware(datetime.combine(expires_on, time(23, 59, 59)))
    key = ApiKey.objects.create(
        name=name,
        purpose=purpose,
        prefix=prefix,
        digest=digest,
        scopes=scopes,
        expires_at=expires_at,
        user=user,
        created_by=acting_user,
    )
    audit_record(
        acting_user=acting_user,
        action="api_key.create",
        obj=key,
        fields=["name", "purpose", "scopes", "expires_at"],
        label=f"API-nøgle {key.name}",
    )
    return key, full_key


@transaction.atomic
def api_key_revoke(*, key: ApiKey, acting_user) -> ApiKey:
    """Revoke a key at once; a revoked key stays (the audit log names it) but opens nothing."""
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked_at is not None:
        return key
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    audit_record(
        acting_user=acting_user,
        action="api_key.revoke",
        obj=key,
        fields=["revoked_at"],
        label=f"API-nøgle {key.name}",
    )
    return key


def api_key_used(*, key: ApiKey) -> None:
    """Note when a key was last used (at most once a minute: no write per request)."""
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > timedelta(minutes=1):
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)


def idempotent_answer(*, key: ApiKey, idempotency_key: str) -> IdempotentRequest | None:
    return IdempotentRequest.objects.filter(api_key=key, key=idempotency_key).first()


def idempotent_store(
    *, key: ApiKey, idempotency_key: str, fingerprint: str, status: int, body: bytes
) -> IdempotentRequest:
    """Keep the first answer to an idempotent write; a concurrent twin's row wins."""
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(
                api_key=key,
                key=idempotency_key,
                fingerprint=fingerprint,
                status=status,
                body=body,
            )
    except IntegrityError:
        return IdempotentRequest.objects.get(api_key=key, key=idempotency_key)


def idempotent_prune(*, now=None) -> int:
    now = now or timezone.now()
    deleted, _ = IdempotentRequest.objects.filter(
        created_at__lt=now - IDEMPOTENCY_RETENTION
    ).delete()
    return deleted
