"""A statement as a Peppol BIS Billing 3.0 invoice (UBL 2.1): the BIS rules we can express
offline, and totals that agree with the statement to the øre.

Checked here (rule ids of EN 16931 / Peppol BIS 3.0): the profile (PEPPOL-EN16931-R001,
R007), invoice type code 380, currency DKK, BuyerReference (R003), seller and buyer
electronic addresses with their schemes (R010, R020; 0184 CVR, 0088 GLN), country codes
(BR-09, BR-11), seller legal entity by CVR (DK-R-002), line ids, quantity x price = line
amount (R120), no negative price (BR-27), sum of lines = LineExtensionAmount (BR-CO-10),
TaxInclusive = TaxExclusive + VAT (BR-CO-15), VAT by category (BR-CO-17, BR-S-*, BR-O-*,
BR-E-*: no seller VAT id and no rate for O, an exemption reason for O and E), payment
terms when an amount is due (BR-CO-25). Not checked: the UBL 2.1 XSD and the official
schematron files themselves (no kept package ships them), nor the Peppol network.
"""

from datetime import date
from decimal import Decimal as D
from xml.etree import ElementTree as ET

import pytest
from django_tenants.utils import schema_context

from billing import einvoice
from billing.einvoice import NS, InvoiceNotReady, invoice_totals, statement_invoice_xml
from billing.models import InvoiceSettings, Statement
from billing.rules import gln_valid, invoice_line_price, invoice_vat
from billing.services import billing_month_build, invoice_settings_update
from contracts.models import PaymentModel
from tests.billing.conftest import BUILT_ON, contract, log_hours, mentor_for

pytestmark = pytest.mark.django_db
GLN = "5798000000018"


def _mentor_hours_statement(centre, tenant_a):
    m1 = mentor_for(centre, tenant_a, "mentor.einv@alpha.test")
    with schema_context("alpha"):
        c = contract(
            centre,
            start=date(2025, 1, 15),
            end=date(2025, 3, 12),
            payment_model=PaymentModel.MENTOR_HOURS,
            payment_amount=None,
            payment_hours_per_week=D("10.0"),
            payment_hourly_rate=D("212.50"),
            establishment_amount=D("2500.00"),
        )
        log_hours(m1, centre, date(2025, 1, 13), "8.0")
        billing_month_build(month=date(2025, 1, 1), today=BUILT_ON)
        statement = Statement.objects.select_related("centre__company", "contract").get(contract=c)
        InvoiceSettings.objects.create(buyer_gln=GLN, buyer_name="Alfa Kommune")
        return statement, list(statement.lines.order_by("position"))


def _text(root, path):
    element = root.find(path, NS)
    assert element is not None, path
    return element.text


def test_gln_check_digit_and_vat_rules():
    assert gln_valid(GLN) and not gln_valid("5798000000017") and not gln_valid("57980000")
    assert invoice_vat(taxable=D("5160.72"), category="S") == D("1290.18")
    assert invoice_vat(taxable=D("5160.72"), category="O") == D("0.00")
    assert invoice_line_price(quantity=D("4"), rate=D("1500.00"), amount=D("6000.00")) == (
        D("4"),
        D("1500.00"),
    )
    # 7.1429 h x 212.50 = 1,517.87 but the line is 1,517.86: invoiced as 1 x the amount.
    assert invoice_line_price(quantity=D("7.1429"), rate=D("212.50"), amount=D("1517.86")) == (
        D("1"),
        D("1517.86"),
    )
    assert invoice_line_price(quantity=D("2"), rate=D("100"), amount=D("-150.00")) == (
        D("-1"),
        D("150.00"),
    )


def test_a_statement_with_several_lines_parses_back_to_its_totals_to_the_ore(centre, tenant_a):
    statement, lines = _mentor_hours_statement(centre, tenant_a)
    assert len(lines) >= 4  # three mentor-hour weeks and the establishment amount
    with schema_context("alpha"):
        xml = statement_invoice_xml(statement=statement, lines=lines, issue_date=date(2025, 2, 3))
    totals = invoice_totals(xml)
    assert totals["lines_sum"] == totals["line_extension"] == statement.total
    assert totals["payable"] == totals["tax_inclusive"] == statement.total  # outside VAT (O)
    assert totals["tax"] == D("0.00")
    root = ET.fromstring(xml)
    invoice_lines = root.findall("cac:InvoiceLine", NS)
    assert [D(_text(x, "cbc:LineExtensionAmount")) for x in invoice_lines] == [
        line.amount for line in lines
    ]
    for element in invoice_lines:  # PEPPOL-EN16931-R120 and BR-27
        quantity = D(_text(element, "cbc:InvoicedQuantity"))
        price = D(_text(element, "cac:Price/cbc:PriceAmount"))
        assert price >= 0
        assert (quantity * price).quantize(D("0.01")) == D(
            _text(element, "cbc:LineExtensionAmount")
        )


def test_the_invoice_follows_the_bis_rules_for_parties_profile_and_vat_outside_scope(
    centre, tenant_a
):
    statement, lines = _mentor_hours_statement(centre, tenant_a)
    with schema_context("alpha"):
        root = ET.fromstring(statement_invoice_xml(statement=statement, lines=lines))
    company = statement.centre.company
    assert _text(root, "cbc:CustomizationID") == einvoice.CUSTOMIZATION_ID
    assert _text(root, "cbc:ProfileID") == einvoice.PROFILE_ID
    assert _text(root, "cbc:InvoiceTypeCode") == "380"
    assert _text(root, "cbc:DocumentCurrencyCode") == "DKK"
    assert _text(root, "cbc:BuyerReference")
    seller = root.find("cac:AccountingSupplierParty/cac:Party", NS)
    endpoint = seller.find("cbc:EndpointID", NS)
    assert (endpoint.get("schemeID"), endpoint.text) == ("0184", f"DK{company.cvr}")
    assert _text(seller, "cac:PartyLegalEntity/cbc:CompanyID") == company.cvr
    assert _text(seller, "cac:PostalAddress/cac:Country/cbc:IdentificationCode") == "DK"
    assert seller.find("cac:PartyTaxScheme", NS) is None  # BR-O-02
    buyer = root.find("cac:AccountingCustomerParty/cac:Party", NS)
    endpoint = buyer.find("cbc:EndpointID", NS)
    assert (endpoint.get("schemeID"), endpoint.text) == ("0088", GLN)
    assert _text(buyer, "cac:PartyLegalEntity/cbc:RegistrationName") == "Alfa Kommune"
    category = root.find("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory", NS)
    assert _text(category, "cbc:ID") == "O"
    assert category.find("cbc:Percent", NS) is None  # BR-O-05
    assert _text(category, "cbc:TaxExemptionReason")  # BR-O-10
    assert _text(root, "cac:PaymentTerms/cbc:Note")  # BR-CO-25
    for line in root.findall("cac:InvoiceLine", NS):
        assert _text(line, "cac:Item/cac:ClassifiedTaxCategory/cbc:ID") == "O"
    # No empty elements (PEPPOL-EN16931-R008).
    assert all((e.text or "").strip() or len(e) for e in root.iter())


def test_a_standard_rated_company_gets_25_percent_vat_and_its_vat_number(centre, tenant_a):
    statement, lines = _mentor_hours_statement(centre, tenant_a)
    with schema_context("alpha"):
        company = statement.centre.company
        company.vat_category = "S"
        company.save()
        xml = statement_invoice_xml(statement=statement, lines=lines)
    totals = invoice_totals(xml)
    vat = (statement.total * D("0.25")).quantize(D("0.01"))
    assert totals["tax"] == vat
    assert totals["payable"] == totals["tax_inclusive"] == statement.total + vat  # BR-CO-15
    root = ET.fromstring(xml)
    assert _text(root, ".//cac:AccountingSupplierParty//cac:PartyTaxScheme/cbc:CompanyID") == (
        f"DK{company.cvr}"
    )
    assert _text(root, "cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent") == "25"


def test_without_an_ean_number_or_lines_the_invoice_is_refused_in_danish(centre, tenant_a):
    statement, lines = _mentor_hours_statement(centre, tenant_a)
    with schema_context("alpha"):
        InvoiceSettings.objects.all().delete()
        with pytest.raises(InvoiceNotReady, match="EAN-nummer mangler"):
            statement_invoice_xml(statement=statement, lines=lines)
        InvoiceSettings.objects.create(buyer_gln=GLN)
        with pytest.raises(InvoiceNotReady, match="ingen linjer"):
            statement_invoice_xml(statement=statement, lines=[])


def test_the_ean_setting_is_refused_without_a_valid_check_digit(tenant_a):  # noqa: ARG001
    from django.core.exceptions import ValidationError

    with schema_context("alpha"):
        with pytest.raises(ValidationError, match="kontrolciffer"):
            invoice_settings_update(
                buyer_gln="5798000000017", buyer_name="", buyer_reference="", acting_user=None
            )
        assert not InvoiceSettings.objects.exists()
        invoice_settings_update(
            buyer_gln=GLN, buyer_name="Alfa", buyer_reference="Jobcenter", acting_user=None
        )
        assert InvoiceSettings.current().buyer_gln == GLN


def test_the_invoice_is_served_by_the_api_and_the_statement_page(centre, tenant_a, login):
    from tests.api.conftest import ApiClient, key_for

    statement, _lines = _mentor_hours_statement(centre, tenant_a)
    _key, full = key_for("alpha", ["read:billing"])
    response = ApiClient("alpha", full).get(f"/api/v1/statements/{statement.pk}/invoice")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert invoice_totals(response.content)["line_extension"] == statement.total
    page = login(tenant_a, "jobkonsulent").get(f"/afregning/opgoerelse/{statement.pk}/faktura.xml")
    assert page.status_code == 200
    assert invoice_totals(page.content)["payable"] == statement.total
