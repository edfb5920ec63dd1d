"""`updated_at` that really follows every change the integration API shows.

The API's changed-since lists (api/selectors.py) read `updated_at`. Django's `auto_now` sets
it in `pre_save`, but `save(update_fields=[...])` writes only the fields named, so a status
change saved that way left `updated_at` behind and a client asking "what changed since"
never saw it. And a resource that shows rows of another table (a contract its amendments, a
company its workplaces) changes when those rows do. (A statement's lines are only
written with the statement itself, by billing.services._statement_fill, which saves it.)

`ChangeTracked` (before `models.Model` among a model's bases) adds `updated_at` to every
`update_fields`, and bumps `updated_at` of the rows named by `touches` (foreign keys to the
resource that shows this row) on every save and delete of it.
"""

from django.db import models
from django.utils import timezone


class ChangeTracked:
    touches: tuple[str, ...] = ()

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is not None and hasattr(self, "updated_at"):
            kwargs["update_fields"] = {*fields, "updated_at"}
        super().save(*args, **kwargs)
        self._parents_touch()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._parents_touch()
        return result

    def _parents_touch(self) -> None:
        now = timezone.now()
        for name in self.touches:
            field = self._meta.get_field(name)
            parent_id = getattr(self, field.attname)
            if parent_id is not None:
                parent: type[models.Model] = field.related_model
                parent._default_manager.filter(pk=parent_id).update(updated_at=now)
