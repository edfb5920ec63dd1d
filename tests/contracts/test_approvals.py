"""Approvals before signing are the jobcentre's own steps (issue 20, part 3).

By default one step, the employee representative's statement on the ratio and the work
tasks; the chief adds named committees on the settings page. Each approval records who,
when and what it says. No local employment council anywhere: it closed on 31 December
2014, and one recorded before survives as a historical approval under its own name.
"""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from contracts import rules
from contracts.models import ApprovalSettings, Contract, ContractApproval
from contracts.pdf import contract_pdf_html
from contracts.rules import EMPLOYEE_STATEMENT_STEP
from contracts.services import (
    approval_settings_update,
    contract_approval_record,
    contract_sign_chief,
    contract_sign_director,
)
from tests.conftest import PASSWORD

from .conftest import approve_all
from .test_signing_links import send_link

NOW = datetime(2025, 12, 10, 12, 0, tzinfo=UTC)


def _record(contract, user, step, statement="Godkendt.", on=date(2025, 12, 1)):
    with schema_context("alpha"):
        return contract_approval_record(
            contract=contract,
            step=step,
            approved_by="Hanne Tillid",
            approved_on=on,
            statement=statement,
            today=on,
            acting_user=user,
        )


def _post_approval_settings(client, *, employee_statement: str, committees: str):
    return client.post(
        "/statistik/indstillinger/",
        {
            "approval-employee_statement": employee_statement,
            "approval-committees": committees,
            "form-TOTAL_FORMS": "0",
            "form-INITIAL_FORMS": "0",
            "yearly_benefit_saving": "32500",
        },
    )


def test_the_default_is_one_step_the_employee_representatives_statement():
    assert rules.approval_steps(employee_statement=True, committees=[]) == [
        "Medarbejderrepræsentantens udtalelse om rimelighedskravet og arbejdsopgaverne"
    ]
    assert rules.approval_steps(
        employee_statement=True, committees=["Beskæftigelsesudvalget", "MED-udvalget"]
    ) == [EMPLOYEE_STATEMENT_STEP, "Beskæftigelsesudvalget", "MED-udvalget"]
    assert rules.committees_parse(" Beskæftigelsesudvalget \n\n MED-udvalget\n") == [
        "Beskæftigelsesudvalget",
        "MED-udvalget",
    ]
    assert rules.approval_settings_problem(employee_statement=False, committees=[]) == (
        "Vælg mindst ét godkendelsestrin før underskrift."
    )
    assert "to gange" in rules.approval_settings_problem(
        employee_statement=True, committees=["MED-udvalget", "med-udvalget"]
    )
    assert rules.approval_settings_problem(employee_statement=False, committees=["x"]) is None
    assert rules.approvals_missing(steps=["a", "b", "c"], approved={"b"}) == ["a", "c"]


def test_a_contract_is_signed_with_no_local_employment_council_anywhere(
    login, client_a, draft, konsulent, chef
):
    """The default step alone approves; both sign; no page or PDF names the council or
    the old two-body approval."""
    contract = approve_all(draft, konsulent)
    assert contract.status == "approved"
    path = send_link(contract, konsulent)
    with schema_context("alpha"):
        contract_sign_chief(
            contract=contract, version=1, password=PASSWORD, now=NOW, acting_user=chef
        )
    with schema_context("alpha"):
        token = path.rstrip("/").rsplit("/", 1)[1]
        contract_sign_director(token=token, name="Dorthe Direktør", ip=None, now=NOW)
        contract.refresh_from_db()
        assert contract.status == "signed"
        html = contract_pdf_html(contract=contract, version=1, draft=False)
    login("alpha", user=konsulent)
    detail = client_a.get(f"/kontrakter/{contract.pk}/").content.decode()
    assert EMPLOYEE_STATEMENT_STEP in detail and EMPLOYEE_STATEMENT_STEP in html
    assert "Rimelighedskravet er overholdt" in html
    login("alpha", user=chef)
    settings_page = client_a.get("/statistik/indstillinger/").content.decode()
    dashboard = client_a.get("/statistik/").content.decode()
    for text in (detail, html, settings_page, dashboard):
        assert "beskæftigelsesråd" not in text.lower()
        assert "samarbejdsudvalg og" not in text.lower()


def test_the_chief_names_committees_and_each_must_approve_before_signing(
    login, client_a, draft, konsulent, chef
):
    login("alpha", user=chef)
    response = _post_approval_settings(
        client_a, employee_statement="yes", committees="Beskæftigelsesudvalget\nMED-udvalget"
    )
    assert response.status_code == 302
    with schema_context("alpha"):
        assert ApprovalSettings.current().steps == [
            EMPLOYEE_STATEMENT_STEP,
            "Beskæftigelsesudvalget",
            "MED-udvalget",
        ]
    contract = _record(draft, konsulent, EMPLOYEE_STATEMENT_STEP, "1 pr. 5 ansatte; i orden.")
    contract = _record(contract, konsulent, "Beskæftigelsesudvalget", "Vedtaget på mødet.")
    assert contract.status == "draft"
    with pytest.raises(ValidationError, match="mangler godkendelser"):
        send_link(contract, konsulent)
    login("alpha", user=konsulent)
    page = client_a.get(f"/kontrakter/{contract.pk}/").content.decode()
    assert "Vedtaget på mødet." in page
    assert '<option value="MED-udvalget">' in page  # the one step still to record
    assert '<option value="Beskæftigelsesudvalget">' not in page
    contract = _record(contract, konsulent, "MED-udvalget", "Ingen indvendinger.")
    assert contract.status == "approved"
    with pytest.raises(ValidationError, match="Ukendt godkendelsestrin"):
        _record(draft, konsulent, "Det politiske udvalg")


def test_bad_approval_settings_are_refused_in_danish_and_change_nothing(login, client_a, chef):
    login("alpha", user=chef)
    response = _post_approval_settings(client_a, employee_statement="no", committees="")
    assert response.status_code == 200
    assert "Vælg mindst ét godkendelsestrin før underskrift." in response.content.decode()
    with schema_context("alpha"):
        assert ApprovalSettings.current().steps == [EMPLOYEE_STATEMENT_STEP]
        with pytest.raises(ValidationError, match="to gange"):
            approval_settings_update(
                employee_statement=True, committees=["MED", "MED "], acting_user=chef
            )


def test_an_approval_records_who_when_and_what_and_refuses_an_empty_statement(draft, konsulent):
    with pytest.raises(ValidationError, match="Skriv hvad udtalelsen"):
        _record(draft, konsulent, EMPLOYEE_STATEMENT_STEP, statement="  ")
    contract = _record(draft, konsulent, EMPLOYEE_STATEMENT_STEP, "2 personer ved 12 ansatte.")
    with schema_context("alpha"):
        approval = contract.current_approvals.get()
    assert (approval.approved_by, approval.approved_on, approval.statement) == (
        "Hanne Tillid",
        date(2025, 12, 1),
        "2 personer ved 12 ansatte.",
    )
    assert approval.recorded_by_id == konsulent.pk and not approval.historical


def test_an_old_council_approval_migrates_as_a_historical_approval_under_its_own_name(
    draft, konsulent
):
    """The data step of the `_approvals` migration, run on the old columns (re-added for
    the test inside its transaction) with the models as they were at that point."""
    import importlib

    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    (key,) = [
        k for k in loader.disk_migrations if k[0] == "contracts" and k[1].endswith("_approvals")
    ]
    migration = loader.get_migration(*key)
    state = loader.project_state(migration.dependencies[0])
    for operation in migration.operations:
        if operation.__class__.__name__ == "RunPython":
            break
        operation.state_forwards("contracts", state)
    module = importlib.import_module(f"contracts.migrations.{key[1]}")
    with schema_context("alpha"), connection.cursor() as cursor:
        columns = ", ".join(
            f"ADD COLUMN {prefix}_approved_on date, ADD COLUMN {prefix}_approved_by "
            f"varchar(200) NOT NULL DEFAULT '', ADD COLUMN {prefix}_recorded_by_id bigint"
            for prefix, _name in module.HISTORICAL
        )
        # The draft's deferred foreign-key checks must run before the table is altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE contracts_contract {columns}")
        # The council's old columns, named as the migration (history) names them.
        council = next(p for p, name in module.HISTORICAL if "Beskæftigelsesråd" in name)
        cursor.execute(
            f"UPDATE contracts_contract SET {council}_approved_on = '2014-06-02', "
            f"{council}_approved_by = 'Rådets møde', {council}_recorded_by_id = %s "
            "WHERE id = %s",
            [konsulent.pk, draft.pk],
        )
        module.approvals_forward(state.apps, None)
        approval = ContractApproval.objects.get(contract=draft)
        assert approval.step == "Det Lokale Beskæftigelsesråd (historisk)"
        assert approval.historical
        assert (approval.approved_by, approval.approved_on) == ("Rådets møde", date(2014, 6, 2))
        assert approval.recorded_by_id == konsulent.pk
        # It is shown, but does not count as one of today's steps.
        assert Contract.objects.get(pk=draft.pk).status == "draft"
