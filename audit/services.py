from django.db import models

from .models import AuditEvent


def audit_record(
    *,
    acting_user,
    action: str,
    obj: models.Model | None,
    fields: list[str] | None = None,
    ip: str | None = None,
    label: str = "",
) -> AuditEvent:
    """Append one event to the tenant's audit log.

    `acting_user` is None for system jobs; `obj` is None for an event about many objects
    (an import), which `label` then describes.
    """
    return AuditEvent.objects.create(
        actor=acting_user if getattr(acting_user, "pk", None) else None,
        actor_label=getattr(acting_user, "email", "") or "system",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=(label or str(obj))[:200],
        fields=sorted(fields or []),
        ip=ip,
    )
