"""A monthly statement as an electronic invoice: Peppol BIS Billing 3.0, UBL 2.1 (issue 27).

Danish public bodies receive invoices through NemHandel (Peppol), addressed to their EAN
number. The invoice is prefilled for the company: it is the seller (its CVR), the
municipality the buyer (its EAN number, billing.models.InvoiceSettings); the company
checks it, adds its own invoice number and bank account if it wants to, and sends it from
its own system. Amounts are the statement's to the øre (billing.rules.invoice_line_price,
invoice_vat); the VAT category is the company's setting (centers.models.VatCategory).

What is checked offline (tests/billing/test_einvoice.py): the BIS 3.0 business rules
that concern what we write (listed there), and that the invoice parses back to the
statement's totals. Not checked here: the UBL 2.1 XSD and the Peppol/EN 16931
schematrons as such (no kept package ships them), and the Peppol network's own checks.
"""

from datetime import date
from decimal import Decimal
from xml.etree import ElementTree as ET

from django.db import connection

from centers.models import VatCategory
from codes import clock

from . import rules
from .models import InvoiceSettings, Rule, Statement, StatementLine

NS = {
    "": "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
}
CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
# Peppol electronic address schemes (EAS): 0184 Danish CVR (DIGSTORG), 0088 GS1 GLN (EAN).
SCHEME_CVR = "0184"
SCHEME_GLN = "0088"
CURRENCY = "DKK"
# UN/ECE Recommendation 20 units of each billing rule's quantity.
UNITS = {
    Rule.PER_CANDIDATE_WEEK: "WEE",
    Rule.MENTOR_HOURS: "HUR",
    Rule.PER_PLACE_MONTH: "MON",
    Rule.ESTABLISHMENT: "C62",
}
# BR-O-10 / BR-E-10: an exemption reason for the categories without VAT.
EXEMPTION_REASONS = {
    VatCategory.OUTSIDE_SCOPE: "Mentorstøtte købt af kommunen - uden for momslovens område",
    VatCategory.EXEMPT: "Momsfritaget efter momsloven",
}

for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)


class InvoiceNotReady(Exception):
    """The statement cannot be invoiced yet; the message (Danish) says what is missing."""


def _q(tag: str) -> str:
    prefix, _, name = tag.rpartition(":")
    return f"{{{NS[prefix]}}}{name}"


def _el(parent, tag: str, text=None, **attrs):
    element = ET.SubElement(parent, _q(tag), {k.replace("_", ""): v for k, v in attrs.items()})
    if text is not None:
        element.text = str(text)
    return element


def _money(parent, tag: str, amount: Decimal):
    return _el(parent, tag, f"{rules.round_ore(amount):.2f}", currencyID=CURRENCY)


def _number(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def invoice_number(statement: Statement) -> str:
    """The prefilled invoice number (BT-1): month and statement; the company may use its own."""
    return f"VC-{statement.month:%Y%m}-{statement.pk}"


def statement_invoice_xml(
    *, statement: Statement, lines: list[StatementLine], issue_date: date | None = None
) -> bytes:
    """The statement as a UBL 2.1 invoice (bytes, UTF-8) for Peppol BIS Billing 3.0.

    Raises InvoiceNotReady (Danish) when the jobcentre has no EAN number, the statement has
    no lines or a negative total (that is a credit note, not made here), or its lines do not
    add up to its total.
    """
    settings = InvoiceSettings.current()
    if not settings.buyer_gln:
        raise InvoiceNotReady(
            "Jobcentrets EAN-nummer mangler; administratoren angiver det under Integrationer."
        )
    if not lines:
        raise InvoiceNotReady("Opgørelsen har ingen linjer at fakturere.")
    total = sum((line.amount for line in lines), Decimal("0.00"))
    if total != statement.total:
        raise InvoiceNotReady("Opgørelsens linjer stemmer ikke med dens total; beregn den igen.")
    if total < 0:
        raise InvoiceNotReady(
            "Opgørelsen har et negativt beløb og skal udstedes som en kreditnota, "
            "som ikke dannes her."
        )
    company = statement.centre.company
    category = company.vat_category
    vat = rules.invoice_vat(taxable=total, category=category)
    issue_date = issue_date or clock.today()
    buyer_name = settings.buyer_name or _tenant_name()

    root = ET.Element(_q(":Invoice"))
    _el(root, "cbc:CustomizationID", CUSTOMIZATION_ID)
    _el(root, "cbc:ProfileID", PROFILE_ID)
    _el(root, "cbc:ID", invoice_number(statement))
    _el(root, "cbc:IssueDate", issue_date.isoformat())
    _el(root, "cbc:InvoiceTypeCode", "380")
    _el(
        root,
        "cbc:Note",
        f"Afregning af virksomhedscenter {statement.centre.name}, {statement.month:%m.%Y}"
        + (" (korrektion)" if statement.is_correction else ""),
    )
    _el(root, "cbc:DocumentCurrencyCode", CURRENCY)
    _el(root, "cbc:BuyerReference", settings.buyer_reference or f"Kontrakt {statement.contract_id}")
    period = _el(root, "cac:InvoicePeriod")
    _el(period, "cbc:StartDate", statement.month.isoformat())
    _el(period, "cbc:EndDate", rules.month_last_day(statement.month).isoformat())
    if statement.is_correction and statement.corrects is not None:
        reference = _el(_el(root, "cac:BillingReference"), "cac:InvoiceDocumentReference")
        _el(reference, "cbc:ID", invoice_number(statement.corrects))
    _el(_el(root, "cac:ContractDocumentReference"), "cbc:ID", f"Kontrakt {statement.contract_id}")

    _seller(root, company, category)
    _buyer(root, settings.buyer_gln, buyer_name)

    terms = _el(root, "cac:PaymentTerms")
    _el(terms, "cbc:Note", f"Betaling efter centerkontrakt nr. {statement.contract_id}.")

    tax_total = _el(root, "cac:TaxTotal")
    _money(tax_total, "cbc:TaxAmount", vat)
    subtotal = _el(tax_total, "cac:TaxSubtotal")
    _money(subtotal, "cbc:TaxableAmount", total)
    _money(subtotal, "cbc:TaxAmount", vat)
    _tax_category(subtotal, "cac:TaxCategory", category, with_reason=True)

    totals = _el(root, "cac:LegalMonetaryTotal")
    _money(totals, "cbc:LineExtensionAmount", total)
    _money(totals, "cbc:TaxExclusiveAmount", total)
    _money(totals, "cbc:TaxInclusiveAmount", total + vat)
    _money(totals, "cbc:PayableAmount", total + vat)

    for number, line in enumerate(lines, start=1):
        _line(root, number, line, category)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _tenant_name() -> str:
    tenant = getattr(connection, "tenant", None)
    return getattr(tenant, "name", "") or "Kommunen"


def _seller(root, company, category: str) -> None:
    party = _el(_el(root, "cac:AccountingSupplierParty"), "cac:Party")
    _el(party, "cbc:EndpointID", f"DK{company.cvr}", schemeID=SCHEME_CVR)
    _el(_el(party, "cac:PartyName"), "cbc:Name", company.name)
    address = _el(party, "cac:PostalAddress")
    if company.address:
        _el(address, "cbc:StreetName", company.address)
    if company.city:
        _el(address, "cbc:CityName", company.city)
    if company.postal_code:
        _el(address, "cbc:PostalZone", company.postal_code)
    _el(_el(address, "cac:Country"), "cbc:IdentificationCode", "DK")
    if category != VatCategory.OUTSIDE_SCOPE:
        # BR-O-02: no seller VAT identifier on an invoice outside the scope of VAT.
        tax = _el(party, "cac:PartyTaxScheme")
        _el(tax, "cbc:CompanyID", f"DK{company.cvr}")
        _el(_el(tax, "cac:TaxScheme"), "cbc:ID", "VAT")
    legal = _el(party, "cac:PartyLegalEntity")
    _el(legal, "cbc:RegistrationName", company.name)
    _el(legal, "cbc:CompanyID", company.cvr, schemeID=SCHEME_CVR)


def _buyer(root, gln: str, name: str) -> None:
    party = _el(_el(root, "cac:AccountingCustomerParty"), "cac:Party")
    _el(party, "cbc:EndpointID", gln, schemeID=SCHEME_GLN)
    identification = _el(party, "cac:PartyIdentification")
    _el(identification, "cbc:ID", gln, schemeID=SCHEME_GLN)
    _el(_el(party, "cac:PartyName"), "cbc:Name", name)
    _el(_el(_el(party, "cac:PostalAddress"), "cac:Country"), "cbc:IdentificationCode", "DK")
    _el(_el(party, "cac:PartyLegalEntity"), "cbc:RegistrationName", name)


def _tax_category(parent, tag: str, category: str, *, with_reason: bool) -> None:
    element = _el(parent, tag)
    _el(element, "cbc:ID", category)
    if category != VatCategory.OUTSIDE_SCOPE:
        # BR-O-05: no rate for "not subject to VAT"; 0 for exempt, 25 for standard.
        percent = rules.VAT_STANDARD_PERCENT if category == VatCategory.STANDARD else 0
        _el(element, "cbc:Percent", _number(Decimal(percent)))
    if with_reason and category in EXEMPTION_REASONS:
        _el(element, "cbc:TaxExemptionReason", EXEMPTION_REASONS[category])
    _el(_el(element, "cac:TaxScheme"), "cbc:ID", "VAT")


def _line(root, number: int, line: StatementLine, category: str) -> None:
    quantity, price = rules.invoice_line_price(
        quantity=line.quantity, rate=line.rate, amount=line.amount
    )
    unit = UNITS.get(line.rule, "C62") if quantity == line.quantity else "C62"
    element = _el(root, "cac:InvoiceLine")
    _el(element, "cbc:ID", number)
    _el(element, "cbc:InvoicedQuantity", _number(quantity), unitCode=unit)
    _money(element, "cbc:LineExtensionAmount", line.amount)
    period = _el(element, "cac:InvoicePeriod")
    _el(period, "cbc:StartDate", line.period_start.isoformat())
    _el(period, "cbc:EndDate", line.period_end.isoformat())
    item = _el(element, "cac:Item")
    _el(item, "cbc:Name", line.description[:200])
    _tax_category(item, "cac:ClassifiedTaxCategory", category, with_reason=False)
    _el(_el(element, "cac:Price"), "cbc:PriceAmount", f"{price:.2f}", currencyID=CURRENCY)


def invoice_totals(xml: bytes) -> dict[str, Decimal]:
    """The totals an invoice states, read back from its XML (for checks and tests)."""
    root = ET.fromstring(xml)  # noqa: S314 - our own document, not outside input
    totals = root.find("cac:LegalMonetaryTotal", NS)
    if totals is None:
        raise ValueError("no LegalMonetaryTotal")

    def amount(element, tag: str) -> Decimal:
        found = element.find(tag, NS)
        if found is None or found.text is None:
            raise ValueError(f"no {tag}")
        return Decimal(found.text)

    return {
        "line_extension": amount(totals, "cbc:LineExtensionAmount"),
        "tax_exclusive": amount(totals, "cbc:TaxExclusiveAmount"),
        "tax_inclusive": amount(totals, "cbc:TaxInclusiveAmount"),
        "payable": amount(totals, "cbc:PayableAmount"),
        "tax": amount(root.find("cac:TaxTotal", NS), "cbc:TaxAmount"),
        "lines_sum": sum(
            (
                amount(line, "cbc:LineExtensionAmount")
                for line in root.findall("cac:InvoiceLine", NS)
            ),
            Decimal("0.00"),
        ),
    }
