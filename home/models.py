"""The jobcentre's accessibility statement (tilgængelighedserklæring), linked from every
page's footer. Public authorities publish it through the Agency for Digital Government's
WAS tool (lov nr. 692 af 8. juni 2018 om tilgængelighed af offentlige organers websteder og
mobilapplikationer, § 3); the jobcentre fills in the link and its own text here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessibilityStatement(models.Model):
    """One row per jobcentre (its schema); edited by the jobcentre's admin in /admin/."""

    was_url = models.URLField(
        _("link til erklæringen i WAS-værktøjet"),
        blank=True,
        help_text=_("Adressen på jobcentrets tilgængelighedserklæring (was.digst.dk)."),
    )
    text = models.TextField(
        _("tekst"),
        blank=True,
        help_text=_("Kendte mangler, og hvordan man får indholdet i en anden form."),
    )
    contact = models.CharField(
        _("kontakt"),
        max_length=200,
        blank=True,
        help_text=_("Hvem brugere kan skrive til om tilgængelighed (e-mail eller telefon)."),
    )
    updated_at = models.DateTimeField(_("opdateret"), auto_now=True)

    class Meta:
        verbose_name = _("tilgængelighedserklæring")
        verbose_name_plural = _("tilgængelighedserklæring")

    def __str__(self) -> str:
        return str(_("Tilgængelighedserklæring"))
