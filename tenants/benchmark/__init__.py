"""A tenant app for `manage.py tenants_benchmark` only (installed when the setting
TENANTS_BENCHMARK_MIGRATIONS names its migrations' folder): no models of its own, its
migrations written by the benchmark, so that migrating every jobcentre does real work."""
