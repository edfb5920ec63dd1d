from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q, QuerySet

from .models import User


def users_with_roles() -> QuerySet[User]:
    """The jobcentre's users with their roles' names (`role_list`, alphabetical), in one
    query whatever their number (the groups' prefetch was a second query and a manager a
    row, issue 24)."""
    return (
        User.objects.order_by("email")
        .only("first_name", "last_name", "email", "is_active")
        .annotate(
            role_list=ArrayAgg(
                "groups__name",
                order_by="groups__name",
                filter=Q(groups__isnull=False),
                default=[],
            )
        )
    )
