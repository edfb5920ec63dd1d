"""API keys of a jobcentre's integrations and the answers to idempotent writes (issue 27).

Both live in the jobcentre's own schema: a key is looked up in the schema of the host it is
presented at, so a key of one jobcentre is unknown at another.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """One integration's key: a name, scopes, an expiry; only the secret's digest is kept.

    Each key acts through a user of its own (`user`, no role, no password), so that every
    service that records `acting_user` and the audit log work for it unchanged; the audit
    log names the key (`actor_label`).
    """

    name = models.CharField(_("navn"), max_length=100)
    purpose = models.CharField(
        _("formål"),
        max_length=200,
        help_text=_("Står i revisionssporet ved hver læsning af personoplysninger."),
    )
    prefix = models.CharField(_("nøglens start"), max_length=8, unique=True)
    digest = models.CharField(_("SHA-256 af nøglen"), max_length=64)
    scopes = ArrayField(models.CharField(max_length=30), verbose_name=_("rettigheder"))
    expires_at = models.DateTimeField(_("udløber"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("API-bruger"),
        on_delete=models.PROTECT,
        related_name="api_key",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oprettet af"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("sidst brugt"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nøgle")
        verbose_name_plural = _("API-nøgler")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(prefix__regex=r"^[0-9a-f]{8}$"), name="api_key_prefix_hex"
            ),
            models.CheckConstraint(
                condition=Q(digest__regex=r"^[0-9a-f]{64}$"), name="api_key_digest_hex"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="api_key_name_required"),
            models.CheckConstraint(condition=~Q(purpose=""), name="api_key_purpose_required"),
        ]

    def __str__(self):
        return self.name

    @property
    def actor_label(self) -> str:
        return f"API-nøgle: {self.name}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class IdempotentRequest(models.Model):
    """The first answer to a write sent with an `Idempotency-Key` header: a retry with the
    same key gets it again instead of writing twice. Kept a day."""

    api_key = models.ForeignKey(
        ApiKey, verbose_name=_("API-nøgle"), on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(_("Idempotency-Key"), max_length=200)
    fingerprint = models.CharField(_("forespørgslens fingeraftryk"), max_length=64)
    status = models.PositiveSmallIntegerField(_("svarkode"))
    body = models.BinaryField(_("svar"))
    created_at = models.DateTimeField(_("tidspunkt"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent forespørgsel")
        verbose_name_plural = _("idempotente forespørgsler")
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="api_idempotency_key_unique"),
        ]

    def __str__(self):
        return self.key
