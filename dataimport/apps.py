from django.apps import AppConfig


class DataimportConfig(AppConfig):
    name = "dataimport"
    verbose_name = "Dataimport"
