from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Revisionsspor"

    def ready(self):
        # The admin's saves and deletions into the audit log (a LogEntry receiver).
        from . import middleware  # noqa: F401
