from django.db import models

from .models import AuditEvent


def audit_record(
    *,
    acting_user,
    action: str,
    obj: models.Model,
    fields: list[str] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the tenant's audit log. `acting_user` is None for system jobs."""
    return AuditEvent.objects.create(
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        actor_label=getattr(acting_user, "email", "") or "system",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:200],
        fields=sorted(fields or []),
        ip=ip,
    )
