"""The date the candidate pages work from. One function, so tests can freeze it."""

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.localdate()
