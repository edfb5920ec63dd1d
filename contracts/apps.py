from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Centerkontrakter"

    def ready(self):
        # The audit log's entries link to the contract's page (issue 23).
        from audit.links import RecordLink, record_link_declare

        from .permissions import can_read

        record_link_declare("contracts.contract", RecordLink("contracts:detail", can_read))
