from django.db.models import Prefetch, QuerySet

from .models import User


def users_with_roles() -> QuerySet[User]:
    """The jobcentre's users with their roles, in two queries whatever their number."""
    from django.contrib.auth.models import Group

    return User.objects.order_by("email").prefetch_related(
        Prefetch("groups", queryset=Group.objects.order_by("name"))
    )
