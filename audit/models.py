"""Who did what to which object, when, and from where. Written by services only.

Append-only for the application: a PostgreSQL trigger (migration 0002) refuses UPDATE and
DELETE on the table, except the retention job's deletion of old access events and the
SET NULL of `actor` when a user is deleted.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept as text too: the log must say who it was even after the user is deleted.
    actor_label = models.CharField(_("bruger (tekst)"), max_length=254, blank=True)
    action = models.CharField(_("handling"), max_length=60, db_index=True)
    object_type = models.CharField(_("objekttype"), max_length=60)
    object_id = models.CharField(_("objekt-id"), max_length=40)
    object_label = models.CharField(_("objekt"), max_length=200, blank=True)
    fields = models.JSONField(_("felter"), default=list, blank=True)
    ip = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)
    # The actor's role at the time, and why: what a citizen is told in the access log.
    actor_role = models.CharField(_("rolle"), max_length=30, blank=True)
    purpose = models.CharField(_("formål"), max_length=200, blank=True)
    # A read (page, export, CPR shown) rather than a change: kept for the shorter
    # access-log retention (settings.AUDIT_ACCESS_LOG_RETENTION_DAYS).
    is_access = models.BooleanField(_("adgang (læsning)"), default=False)
    # A list read (a list page, a search): the ids of the candidates it showed, so that each
    # of them finds it in their access log; and the search criteria, a CPR number masked.
    subjects = ArrayField(
        models.IntegerField(), verbose_name=_("viste kandidater"), default=list, blank=True
    )
    criteria = models.CharField(_("søgekriterier"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("revisionshændelse")
        verbose_name_plural = _("revisionsspor")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"]),
            models.Index(fields=["actor", "-at"]),
            models.Index(fields=["is_access", "at"]),
            GinIndex(fields=["subjects"], name="audit_event_subjects_gin"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    @property
    def actor_display(self) -> str:
        """Who did it, by name (the user's current name); the stored label (the e-mail at
        the time, or "system") when the user has no name or is gone."""
        actor = self.actor if self.actor_id else None
        if actor is None:
            return self.actor_label
        return self.actor_display_of(actor.first_name, actor.last_name, self.actor_label)

    @staticmethod
    def actor_display_of(first_name, last_name, actor_label) -> str:
        """`actor_display` of an event read as plain values with its user's name (the
        user's full name, User.get_full_name, else the stored label)."""
        return f"{first_name or ''} {last_name or ''}".strip() or actor_label

    @property
    def action_label(self) -> str:
        """The action in Danish for the screen (audit.labels); the code stays in the row."""
        from .labels import action_label

        return action_label(self.action)


class FormSubmission(models.Model):
    """One submission of a form that creates something, by the one-time token it carried.

    A double click or a resent form carries the same token: the second submission finds
    this row and is answered with the first one's result instead of storing again
    (audit/once.py, issue 19). Kept a day (the retention job deletes older ones).
    """

    token = models.UUIDField(_("formular-token"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    path = models.CharField(_("adresse"), max_length=300)
    created_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)
    # The first submission's answer: a redirect's target, or a small page (htmx partial).
    status = models.PositiveSmallIntegerField(_("svarkode"), null=True, blank=True)
    location = models.CharField(_("videre til"), max_length=500, blank=True)
    content_type = models.CharField(_("indholdstype"), max_length=100, blank=True)
    body = models.BinaryField(_("svar"), blank=True, default=b"")

    class Meta:
        verbose_name = _("formularindsendelse")
        verbose_name_plural = _("formularindsendelser")

    def __str__(self):
        return f"{self.path} {self.created_at:%d.%m.%Y %H:%M}"
