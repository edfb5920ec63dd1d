"""Settings kept as one row per jobcentre (its own schema).

The jobcentre's settings tables (approvals before signing, the contract's standard
paragraphs, invoices, mentors, statistics) hold at most one row: `singleton` is unique and
each model's CHECK constraint keeps it true. Reading never writes - a page that shows the
settings of a jobcentre that never saved any gets the defaults, unsaved - and a change
takes the row locked, made from the defaults first, so two first saves at once wait for
each other instead of one failing on the unique key.
"""

from typing import Self

from django.db import models


class OneRow(models.Model):
    singleton = models.BooleanField(default=True, unique=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def defaults(cls) -> Self:
        """The settings a jobcentre has before it saves any (unsaved)."""
        return cls()

    @classmethod
    def current(cls) -> Self:
        """The stored settings, or the defaults (unsaved) when none were ever saved."""
        return cls.objects.filter(singleton=True).first() or cls.defaults()

    @classmethod
    def for_update(cls) -> Self:
        """The stored row, locked until the transaction ends (call inside one); created from
        the defaults when there is none (INSERT ... ON CONFLICT DO NOTHING)."""
        row = cls.objects.select_for_update().filter(singleton=True).first()
        if row is None:
            cls.objects.bulk_create([cls.defaults()], ignore_conflicts=True)
            row = cls.objects.select_for_update().get(singleton=True)
        return row
