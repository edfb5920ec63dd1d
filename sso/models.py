"""A jobcentre's sign-in policy. The identity providers themselves are allauth's SocialApp
rows in the jobcentre's schema (their `settings` hold the protocol's configuration and ours
under the key "vc", see sso.services)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SignInPolicy(models.Model):
    """One row per jobcentre schema (pk 1): how its people may sign in."""

    staff_sso_required = models.BooleanField(
        _("personale skal logge ind med kommunens login"),
        default=False,
        help_text=_(
            "Når det er slået til, afvises personalets adgangskode-login; "
            "virksomhedsmentorer logger stadig ind med adgangskode."
        ),
    )

    mentor_sso_required = models.BooleanField(
        _("mentorer skal logge ind med MitID Erhverv"),
        default=False,
        help_text=_(
            "Når det er slået til, afvises virksomhedsmentorernes adgangskode-login og "
            "nulstilling af adgangskode; de logger ind med MitID Erhverv."
        ),
    )

    class Meta:
        verbose_name = _("login-politik")
        verbose_name_plural = _("login-politikker")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
