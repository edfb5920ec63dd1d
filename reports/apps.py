from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

# What the dashboard's figures of today count (reports/today.py): a save or delete of one
# of these has them counted again on the next view.
TODAY_COUNTS = [
    "candidates.Course",
    "contracts.Contract",
    "contracts.Amendment",
    "centers.Centre",
    "centers.Company",
    "centers.Workplace",
    "centers.WorkplaceEmployees",
    "centers.WorkplaceOtherPlacement",
    "centers.WorkplaceStatement",
]


def _today_changed(sender, **kwargs) -> None:  # noqa: ARG001 - a signal's arguments
    from .today import forget

    forget()


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Statistik og baggrundsjob"

    def ready(self):
        for label in TODAY_COUNTS:
            model = self.apps.get_model(label)
            post_save.connect(_today_changed, sender=model, dispatch_uid=f"today-save-{label}")
            post_delete.connect(_today_changed, sender=model, dispatch_uid=f"today-del-{label}")
