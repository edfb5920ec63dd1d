"""The database engine of the read replica's alias: django-tenants' engine, whose schema
follows the default connection's.

django-tenants' middleware (and schema_context, and tenant-schemas-celery in a worker) sets
the jobcentre on the `default` connection only; a second alias would stay on the public
schema and find no jobcentre's table - or, worse, keep the schema of whatever set it last.
Here every cursor of the replica alias first takes the tenant of this thread's `default`
connection, so a read routed to the replica (config/replica.py) runs in the schema of the
request or task it serves. django-tenants then sets the search_path on it as on `default`.
"""

from django.db import connections
from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


class DatabaseWrapper(TenantDatabaseWrapper):
    def _follow_default(self) -> None:
        default = connections["default"]
        if (
            default.schema_name != self.schema_name
            or default.include_public_schema != self.include_public_schema
        ):
            self.set_tenant(default.tenant, include_public=default.include_public_schema)

    def _cursor(self, name=None):
        self._follow_default()
        return super()._cursor(name)
