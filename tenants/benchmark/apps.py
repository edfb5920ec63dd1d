from django.apps import AppConfig


class TenantsBenchmarkConfig(AppConfig):
    name = "tenants.benchmark"
    label = "tenants_benchmark"
    verbose_name = "provisioning benchmark"
