"""Pages of the Centerkontrakt lifecycle. Thin: a form parses, a service decides, a page shows."""

from io import BytesIO

from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from accounts.roles import ROLE_JOBCENTERCHEF, ROLE_JOBKONSULENT
from audit.context import client_ip
from audit.once import submitted_once
from centers.models import Centre
from codes import clock
from documents.paging import PAGE_SIZE, keyset_page

from . import rows, selectors, services
from .forms import (
    AmendmentForm,
    ApprovalForm,
    ChiefSignForm,
    ContractForm,
    ContractTemplateForm,
    DirectorSignForm,
    SigningLinkForm,
    TerminationForm,
    contract_initial,
)
from .models import Amendment, ApprovalSettings, Contract, ContractDocument, ContractStatus
from .pdf import version_context, version_fingerprint
from .permissions import MANAGE_ROLES, READ_ROLES, SIGN_ROLES, can_manage, can_sign
from .permissions import contract_roles_required as roles_required


def _get_contract_or_404(pk: int) -> Contract:
    """The contract in this jobcentre's schema (another jobcentre's id is simply not there)."""
    return get_object_or_404(
        Contract.objects.select_related("centre__company", "chief_signed_by"),
        pk=pk,
    )


def _get_version_or_404(contract: Contract, version: int):
    try:
        return services.contract_version_get(contract=contract, version=version)
    except Amendment.DoesNotExist:
        raise Http404 from None


def _add_errors(form, exc: ValidationError) -> None:
    """Put a service's Danish errors on the form's fields (or on the form as a whole)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _error_message(request, exc: ValidationError) -> None:
    for error in exc.messages:
        messages.error(request, error)


@roles_required(*READ_ROLES)
def contract_list(request):
    status = request.GET.get("status") or None
    if status not in ContractStatus.values:
        status = None
    page = keyset_page(selectors.contracts_for_list(status=status), request=request, size=PAGE_SIZE)
    return render(
        request,
        "contracts/contract_list.html",
        {
            "page": page,
            "rows": rows.contract_rows(page.rows),
            "status": status,
            "statuses": ContractStatus.choices,
            "can_manage": can_manage(request.user),
        },
    )


@roles_required(*MANAGE_ROLES)
@submitted_once
def contract_create(request):
    if request.method == "POST":
        form = ContractForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                contract = services.contract_create(acting_user=request.user, **data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Udkastet er oprettet."))
                return redirect("contracts:detail", pk=contract.pk)
    else:
        centre = None
        if (centre_id := request.GET.get("centre", "")).isdigit():
            centre = Centre.objects.filter(pk=centre_id).first()
        form = ContractForm(initial=contract_initial(today=clock.today(), centre=centre))
    return render(request, "contracts/contract_form.html", {"form": form, "contract": None})


@roles_required(*MANAGE_ROLES)
def contract_edit(request, pk: int):
    contract = _get_contract_or_404(pk)
    if not contract.is_editable:
        messages.error(request, _("Kontrakten er underskrevet og kan ikke ændres. Lav et tillæg."))
        return redirect("contracts:detail", pk=contract.pk)
    if request.method == "POST":
        form = ContractForm(request.POST, instance=Contract.objects.get(pk=contract.pk))
        if form.is_valid():
            try:
                services.contract_update(
                    contract=contract, acting_user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Udkastet er gemt."))
                return redirect("contracts:detail", pk=contract.pk)
    else:
        form = ContractForm(instance=contract)
    return render(request, "contracts/contract_form.html", {"form": form, "contract": contract})


@roles_required(*READ_ROLES)
def contract_detail(request, pk: int):
    contract = _get_contract_or_404(pk)
    versions = selectors.contract_versions(contract=contract)
    approvals = selectors.contract_approval_state(contract=contract)
    user = request.user
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "company": contract.centre.company,
            "versions": versions,
            "can_manage": can_manage(user),
            "can_sign": can_sign(user),
            "can_amend": can_manage(user)
            and contract.status in (ContractStatus.SIGNED, ContractStatus.ACTIVE)
            and not any(v.amendment and not v.is_signed for v in versions),
            "approvals": approvals,
            "approval_form": ApprovalForm(
                initial={"approved_on": clock.today()}, steps=approvals.missing
            ),
            "link_form": SigningLinkForm(
                initial={
                    "director_name": contract.director_name,
                    "director_email": contract.director_email,
                }
            ),
            **version_context(
                contract=contract, version=1, jobcenter=request.tenant.name, approvals=approvals
            ),
            "termination_form": TerminationForm(initial={"terminated_on": clock.today()}),
            "courses_past_end": selectors.contract_courses_past_end(contract=contract),
        },
    )


@require_POST
@roles_required(*MANAGE_ROLES)
@submitted_once
def contract_terminate(request, pk: int):
    """End a signed or running contract early (date, cause, reason)."""
    contract = _get_contract_or_404(pk)
    form = TerminationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("contracts:detail", pk=contract.pk)
    try:
        services.contract_terminate(
            contract=contract,
            terminated_on=form.cleaned_data["terminated_on"],
            cause=form.cleaned_data["cause"],
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
            acting_user=request.user,
        )
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("Kontrakten er opsagt."))
    return redirect("contracts:detail", pk=contract.pk)


@roles_required(*READ_ROLES)
def contract_template_edit(request):
    """The jobcentre's standard paragraphs: the defaults of a new contract's texts."""
    template = services.contract_template_current()
    form = ContractTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        services.contract_template_update(
            acting_user=request.user,
            **{name: form.cleaned_data[name] for name in form.Meta.fields},
        )
        messages.success(request, _("Standardteksterne er gemt."))
        return redirect("contracts:template")
    return render(
        request,
        "contracts/contract_template_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@roles_required(*MANAGE_ROLES)
def contract_approve(request, pk: int):
    contract = _get_contract_or_404(pk)
    form = ApprovalForm(request.POST, steps=ApprovalSettings.current().steps)
    if not form.is_valid():
        messages.error(request, _("Vælg trinnet og udfyld godkender, dato og udtalelse."))
        return redirect("contracts:detail", pk=contract.pk)
    try:
        services.contract_approval_record(
            contract=contract,
            today=clock.today(),
            acting_user=request.user,
            **form.cleaned_data,
        )
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(request, _("Godkendelsen er registreret."))
    return redirect("contracts:detail", pk=contract.pk)


@require_POST
@roles_required(*MANAGE_ROLES)
def signing_link_send(request, pk: int, version: int):
    contract = _get_contract_or_404(pk)
    _get_version_or_404(contract, version)
    form = SigningLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv direktørens navn og en gyldig e-mail."))
        return redirect("contracts:detail", pk=contract.pk)
    try:
        link = services.contract_signing_link_send(
            contract=contract,
            version=version,
            url_for_token=lambda token: request.build_absolute_uri(
                reverse("contracts:director_sign", args=[token])
            ),
            now=timezone.now(),
            acting_user=request.user,
            **form.cleaned_data,
        )
    except ValidationError as exc:
        _error_message(request, exc)
    else:
        messages.success(
            request, _("Underskriftslinket er sendt til %(email)s.") % {"email": link.email}
        )
    return redirect("contracts:detail", pk=contract.pk)


@roles_required(*SIGN_ROLES)
def chief_sign(request, pk: int, version: int):
    contract = _get_contract_or_404(pk)
    signer = _get_version_or_404(contract, version)
    user = request.user
    form = ChiefSignForm(
        request.POST or None,
        initial={"name": user.get_full_name(), "title": user.title or _("Jobcenterchef")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_sign_chief(
                contract=contract,
                version=version,
                password=form.cleaned_data["password"],
                # Left blank: the user's own name and title.
                name=form.cleaned_data["name"] or None,
                title=form.cleaned_data["title"] or None,
                now=timezone.now(),
                acting_user=request.user,
                # What the page showed (absent only from a page older than the field).
                shown=request.POST.get("shown"),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Du har underskrevet kontrakten."))
            return redirect("contracts:detail", pk=contract.pk)
    return render(
        request,
        "contracts/chief_sign.html",
        {
            "contract": contract,
            "signer": signer,
            "version": version,
            "form": form,
            **version_context(contract=contract, version=version, jobcenter=request.tenant.name),
            "shown": version_fingerprint(contract, version),
        },
        status=400 if form.errors else 200,
    )


@roles_required(*MANAGE_ROLES)
@submitted_once
def amendment_create(request, pk: int):
    contract = _get_contract_or_404(pk)
    if request.method == "POST":
        form = AmendmentForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                amendment = services.amendment_create(
                    contract=contract,
                    valid_from=data.pop("valid_from"),
                    reason=data.pop("reason"),
                    acting_user=request.user,
                    **data,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("Tillæg version %(v)s er oprettet.") % {"v": amendment.version}
                )
                return redirect("contracts:detail", pk=contract.pk)
    else:
        current = contract.amendments.filter(status="signed").order_by("-version").first()
        base = current or contract
        form = AmendmentForm(
            initial={name: getattr(base, name) for name in services.TERMS_FIELDS}
            | {"valid_from": max(clock.today(), contract.start)}
        )
    return render(request, "contracts/amendment_form.html", {"form": form, "contract": contract})


@require_POST
@roles_required(*READ_ROLES)
@submitted_once
def document_request(request, pk: int, version: int):
    contract = _get_contract_or_404(pk)
    _get_version_or_404(contract, version)
    kind = request.POST.get("kind", ContractDocument.Kind.PREVIEW)
    try:
        document = services.contract_document_request(
            contract=contract, version=version, kind=kind, acting_user=request.user
        )
    except ValidationError as exc:
        _error_message(request, exc)
        return redirect("contracts:detail", pk=contract.pk)
    if request.htmx:
        return render(
            request, "contracts/_document_status.html", {"run": document, "contract": contract}
        )
    return redirect("contracts:detail", pk=contract.pk)


def _get_document_or_404(pk: int, document_pk: int) -> ContractDocument:
    contract = _get_contract_or_404(pk)
    return get_object_or_404(
        ContractDocument.objects.select_related("contract"), pk=document_pk, contract=contract
    )


@roles_required(*READ_ROLES)
def document_status(request, pk: int, document_pk: int):
    """The htmx partial polled while a PDF is queued or being rendered."""
    document = _get_document_or_404(pk, document_pk)
    return render(
        request,
        "contracts/_document_status.html",
        {"run": document, "contract": document.contract},
    )


@roles_required(*READ_ROLES)
def document_download(request, pk: int, document_pk: int):  # noqa: ARG001 - Django passes every view the request
    """The PDF, only through this permission-checked view (no public media URL exists)."""
    document = _get_document_or_404(pk, document_pk)
    if document.state != ContractDocument.State.DONE:
        raise Http404
    return _pdf_response(document, attachment=False)


def _pdf_response(document: ContractDocument, *, attachment: bool) -> FileResponse:
    """The stored bytes as they are (byte-identical on every download), with their SHA-256."""
    name = f"centerkontrakt-{document.contract_id}-v{document.version}-{document.kind}.pdf"
    # The bytes come from the row (deferred until now; about 100 KB).
    content = BytesIO(bytes(document.content))
    response = FileResponse(
        content, content_type="application/pdf", filename=name, as_attachment=attachment
    )
    response["X-Content-SHA256"] = document.sha256
    response["Cache-Control"] = "private, no-store"
    return response


def _director_link_or_response(request, token: str):
    """(link, None) for a usable signing link, or (None, the page saying why not)."""
    try:
        return services.signing_link_check(token=token, now=timezone.now()), None
    except services.SigningLinkError as exc:
        return None, render(
            request,
            "contracts/director_sign_unavailable.html",
            {"reason": exc.reason},
            status=exc.status,
        )


def _director_document(link) -> ContractDocument:
    """The PDF of the link's version to be signed (rendered in the background; asking again
    for unchanged content returns the same document)."""
    return services.contract_document_request(
        contract=link.contract,
        version=link.version,
        kind=ContractDocument.Kind.PREVIEW,
        acting_user=None,
    )


def director_sign(request, token: str):
    """The company's director reads the PDF of the version and signs it through the e-mailed
    one-time link. No account needed."""
    link, unavailable = _director_link_or_response(request, token)
    if unavailable is not None:
        return unavailable
    contract = link.contract
    form = DirectorSignForm(request.POST or None, initial={"name": link.director_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.contract_sign_director(
                token=token,
                name=form.cleaned_data["name"],
                title=form.cleaned_data["title"],
                ip=client_ip(request),
                now=timezone.now(),
                shown=request.POST.get("shown"),
                document_sha256=form.cleaned_data["document_sha256"],
            )
        except services.SigningLinkError as exc:
            return render(
                request,
                "contracts/director_sign_unavailable.html",
                {"reason": exc.reason},
                status=exc.status,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return render(
                request,
                "contracts/director_sign_done.html",
                {"contract": contract, "name": form.cleaned_data["name"]},
            )
    return render(
        request,
        "contracts/director_sign.html",
        {
            **version_context(
                contract=contract, version=link.version, jobcenter=request.tenant.name
            ),
            "shown": version_fingerprint(contract, link.version),
            "document": _director_document(link),
            "link": link,
            "token": token,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def director_document_status(request, token: str):
    """The htmx partial the director's page polls while its PDF is rendered; once the PDF
    is there the page reloads to show it and the signing form."""
    link, unavailable = _director_link_or_response(request, token)
    if unavailable is not None:
        return unavailable
    document = _director_document(link)
    response = render(
        request,
        "contracts/_director_document_status.html",
        {"run": document, "token": token},
    )
    if document.state == ContractDocument.State.DONE:
        response["HX-Refresh"] = "true"
    return response


@xframe_options_sameorigin
# Embedded in the signing page (same origin only); the browser's PDF viewer is a plugin.
@csp_replace({"frame-ancestors": ["'self'"], "object-src": ["'self'"]})
def director_document(request, token: str, sha256: str):
    """The PDF to be signed, for the director's page (embedded) or as a download
    (?hent=1). Only a finished PDF of the link's own version, named by its SHA-256."""
    link, unavailable = _director_link_or_response(request, token)
    if unavailable is not None:
        return unavailable
    document = get_object_or_404(
        ContractDocument.objects.all(),
        contract=link.contract,
        version=link.version,
        kind=ContractDocument.Kind.PREVIEW,
        state=ContractDocument.State.DONE,
        sha256=sha256,
    )
    return _pdf_response(document, attachment=bool(request.GET.get("hent")))


def contracts_start_context(user, *, role: str | None) -> dict:
    """The contract lists of the start page: what the chief signs, what the konsulent follows."""
    if role == ROLE_JOBCENTERCHEF and can_sign(user):
        return {"contracts_to_sign": selectors.contracts_awaiting_chief_signature()}
    if role == ROLE_JOBKONSULENT and can_manage(user):
        return {"contracts_in_progress": selectors.contracts_in_progress()}
    return {}
