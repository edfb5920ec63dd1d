"""The jobcentre's one-row settings (codes/onerow.py): a read never writes, and two first
saves at the same moment both succeed with one row, each in its own connection.

Before, the contract template and the invoice settings looked for the row with
`select_for_update().first()`, which locks nothing while there is no row: both inserted and
the second failed on the unique key (a 500 for the admin who saved second).
"""

import pytest
from django.db import connections, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import InvoiceSettings
from billing.services import invoice_settings_update
from codes.onerow import OneRow
from contracts.models import ApprovalSettings, ContractTemplate
from contracts.rules import STANDARD_PARAGRAPHS
from contracts.services import contract_template_update
from mentors.models import MentorSettings
from reports.models import JobcenterSettings
from tests.e2e.conftest import audit_events_delete
from tests.live import race

pytestmark = pytest.mark.django_db
MODELS = [ApprovalSettings, ContractTemplate, InvoiceSettings, MentorSettings, JobcenterSettings]


def test_every_settings_table_is_one_row():
    assert set(MODELS) == {m for m in _subclasses(OneRow) if not m._meta.abstract}


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_a_read_of_settings_never_saved_gives_the_defaults_and_writes_nothing(tenant_a, model):  # noqa: ARG001
    with schema_context("alpha"):
        model.objects.all().delete()
        shown = model.current()
        assert shown.pk is None
        assert not model.objects.exists()
    if model is ContractTemplate:
        assert shown.reception == STANDARD_PARAGRAPHS["reception"]


def _first_saves_at_once(save, model):
    def work(i):
        try:
            with schema_context("alpha"):
                save(i)
        finally:
            connections.close_all()

    def committed(read):
        """`read()` in a connection of its own: the rows the threads committed, outside the
        test's transaction."""

        def run(_i):
            try:
                with schema_context("alpha"):
                    return read()
            finally:
                connections.close_all()

        return race(1, run)[0]

    def clean_up():
        model.objects.all().delete()
        audit_events_delete(at__gte=started)

    started = timezone.now()
    committed(clean_up)
    try:
        race(2, work)
        return committed(lambda: list(model.objects.all()))
    finally:
        committed(clean_up)


def test_two_first_saves_of_the_contract_template_at_once_both_succeed(tenant_a):  # noqa: ARG001
    rows = _first_saves_at_once(
        lambda i: contract_template_update(acting_user=None, reception=f"Modtagelse {i}"),
        ContractTemplate,
    )
    assert len(rows) == 1 and rows[0].reception in {"Modtagelse 0", "Modtagelse 1"}
    # The texts not given keep the concept's defaults, not blanks.
    assert rows[0].udslusning == STANDARD_PARAGRAPHS["udslusning"]


def test_two_first_saves_of_the_invoice_settings_at_once_both_succeed(tenant_a):  # noqa: ARG001
    rows = _first_saves_at_once(
        lambda i: invoice_settings_update(
            buyer_gln="5798000000018",
            buyer_name=f"Kommune {i}",
            buyer_reference="",
            acting_user=None,
        ),
        InvoiceSettings,
    )
    assert len(rows) == 1 and rows[0].buyer_gln == "5798000000018"


def test_a_refused_change_leaves_no_row_behind(tenant_a):  # noqa: ARG001
    from django.core.exceptions import ValidationError

    from reports.services import jobcenter_settings_update

    with schema_context("alpha"):
        JobcenterSettings.objects.all().delete()
        with pytest.raises(ValidationError), transaction.atomic():
            jobcenter_settings_update(acting_user=None, yearly_benefit_saving=-1)
        assert not JobcenterSettings.objects.exists()
