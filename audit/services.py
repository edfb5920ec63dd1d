"""Writes on the audit log: changes (by services) and reads of personal data (by pages)."""

from datetime import timedelta

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.roles import primary_role

from . import rules
from .context import client_ip, current_ip
from .models import AuditEvent


def _role_of(user) -> str:
    if not getattr(user, "pk", None):
        return ""
    # An integration's user (api/): set on the request's user by the API's authentication.
    return getattr(user, "audit_actor_role", "") or primary_role(user) or ""


def neutral_label(obj: models.Model) -> str:
    """The default label of an object in the log (audit.rules.neutral_label)."""
    return rules.neutral_label(str(obj._meta.verbose_name), obj.pk)


def _text(value: str, limit: int) -> str:
    """Text as PostgreSQL keeps it: no NUL bytes (a typed query may hold one), at most `limit`."""
    return (value or "").replace("\x00", "")[:limit]


def audit_record(
    *,
    acting_user,
    action: str,
    obj: models.Model | None,
    fields: list[str] | None = None,
    ip: str | None = None,
    label: str = "",
    purpose: str = "",
    is_access: bool = False,
    object_type: str = "",
    object_id: str = "",
    subjects: list[int] | None = None,
    criteria: str = "",
) -> AuditEvent:
    """Append one event to the tenant's audit log.

    `acting_user` is None for system jobs; `obj` is None for an event about many objects
    (an import), which `label` then describes, or when `object_type`/`object_id` name the
    object without loading it. The IP is the current request's unless given. `label` is
    a description without names (an import's counts); by default the object is named by
    kind and id (`neutral_label`).
    """
    return AuditEvent.objects.create(
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        # An integration is named by its key ("API-nøgle: KMD Momentum"), not its user.
        actor_label=getattr(acting_user, "audit_actor_label", "")
        or getattr(acting_user, "email", "")
        or "system",
        actor_role=_role_of(acting_user),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else str(object_id),
        object_label=_text(label or (neutral_label(obj) if obj is not None else ""), 200),
        fields=sorted(fields or []),
        ip=ip or current_ip.get(),
        purpose=purpose[:200],
        is_access=is_access,
        subjects=sorted(set(subjects or [])),
        criteria=_text(criteria, 500),
    )


def audit_access(
    *,
    request,
    action: str,
    purpose: str,
    candidate_id=None,
    fields=None,
    label: str = "",
    subjects: list[int] | None = None,
    criteria: str = "",
) -> AuditEvent:
    """Record that the request's user read personal data (a page, an export, a full CPR).

    The event names the candidate by id only: the log itself holds no name or CPR number,
    so it outlives a candidate's anonymisation without being changed. A list read names
    the candidates it showed in `subjects` and its search in `criteria` (CPR masked).
    """
    return audit_record(
        acting_user=request.user,
        action=action,
        obj=None,
        object_type="candidates.candidate" if candidate_id is not None else "",
        object_id=str(candidate_id) if candidate_id is not None else "",
        label=label or (f"Kandidat #{candidate_id}" if candidate_id is not None else ""),
        fields=fields,
        ip=client_ip(request),
        purpose=purpose,
        is_access=True,
        subjects=subjects,
        criteria=criteria,
    )


def _retention_delete(queryset) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('audit.retention', 'on', true)")
    try:
        deleted, _ = queryset.delete()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('audit.retention', 'off', true)")
    return deleted


@transaction.atomic
def audit_searches_for_names_prune(*, names: list[str]) -> int:
    """Delete the searches whose criteria name one of `names` (a person being anonymised).

    A search is logged with its text as typed (a name; a CPR number is masked), and the
    log keeps no name after an anonymisation: the searches for that name go with it - an
    access event, which the retention deletes anyway after its period."""
    query = models.Q()
    for name in {n.strip() for n in names if n and n.strip()}:
        query |= models.Q(criteria__icontains=name)
    if not query:
        return 0
    return _retention_delete(AuditEvent.objects.filter(query, is_access=True))


@transaction.atomic
def audit_access_log_prune(*, now=None) -> int:
    """Delete access events older than the retention (the only deletion the trigger allows).

    Changes of personal data are kept; they are part of the case's history.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.AUDIT_ACCESS_LOG_RETENTION_DAYS)
    return _retention_delete(AuditEvent.objects.filter(is_access=True, at__lt=cutoff))
