"""The integration page of the jobcentre's admin: API keys (created, shown once, revoked)
and the municipality's details for electronic invoices. Thin: forms parse, services write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import ROLE_ADMIN, roles_required
from billing.models import InvoiceSettings
from billing.services import invoice_settings_update

from . import selectors, services
from .forms import ApiKeyForm, InvoiceSettingsForm
from .models import ApiKey


def _page(request, *, form=None, invoice_form=None, new_key: str = "", status: int = 200):
    current = InvoiceSettings.current()
    context = {
        "keys": selectors.api_keys(),
        "form": form or ApiKeyForm(),
        "invoice_form": invoice_form
        or InvoiceSettingsForm(
            initial={
                "buyer_gln": current.buyer_gln,
                "buyer_name": current.buyer_name,
                "buyer_reference": current.buyer_reference,
            }
        ),
        "new_key": new_key,
    }
    return render(request, "api/integrations.html", context, status=status)


@roles_required(ROLE_ADMIN)
def integrations(request):
    return _page(request)


@roles_required(ROLE_ADMIN)
@require_POST
def key_create(request):
    """Create a key and show it once, in this answer only (never stored, never redirected)."""
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _page(request, form=form, status=422)
    try:
        _key, full_key = services.api_key_create(
            name=form.cleaned_data["name"],
            purpose=form.cleaned_data["purpose"],
            scopes=form.cleaned_data["scopes"],
            expires_on=form.cleaned_data["expires_on"],
            acting_user=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _page(request, form=form, status=422)
    return _page(request, new_key=full_key)


@roles_required(ROLE_ADMIN)
@require_POST
def key_revoke(request, pk: int):
    key = get_object_or_404(ApiKey, pk=pk)
    services.api_key_revoke(key=key, acting_user=request.user)
    messages.success(request, _("Nøglen “%(name)s” er tilbagekaldt.") % {"name": key.name})
    return redirect("api_integrations")


@roles_required(ROLE_ADMIN)
@require_POST
def invoice_settings(request):
    form = InvoiceSettingsForm(request.POST)
    if form.is_valid():
        try:
            invoice_settings_update(**form.cleaned_data, acting_user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("buyer_gln", message)
        else:
            messages.success(request, _("Oplysningerne til elektroniske fakturaer er gemt."))
            return redirect("api_integrations")
    return _page(request, invoice_form=form, status=422)
