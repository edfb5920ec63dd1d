from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = "Afregning"

    def ready(self):
        # The audit log's entries link to the statement's page (issue 23).
        from audit.links import RecordLink, record_link_declare

        from .permissions import can_read

        record_link_declare("billing.statement", RecordLink("billing:statement", can_read))
