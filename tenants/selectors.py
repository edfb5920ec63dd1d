from django.db.models import OuterRef, QuerySet, Subquery
from django_tenants.utils import get_public_schema_name

from .models import Domain, Jobcenter


def jobcenters_with_primary_domain() -> QuerySet[Jobcenter]:
    primary = Domain.objects.filter(tenant=OuterRef("pk"), is_primary=True).values("domain")[:1]
    return (
        Jobcenter.objects.exclude(schema_name=get_public_schema_name())
        .annotate(primary_domain=Subquery(primary))
        .order_by("name")
    )
