"""Early termination (issue 21): date and reason, courses past the date listed, places stop
counting from the day after, status *terminated* set and shown; bad input changes nothing."""

from datetime import UTC, date, datetime

import pytest
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from contracts.models import Contract, ContractStatus
from contracts.rules import courses_past_termination, termination_blockers, termination_problem
from contracts.selectors import contract_courses_past_end, contracts_with_capacity
from contracts.services import contract_terminate
from tests.factories import ContractFactory, CourseFactory

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
CAUSES = ["centre_closed", "company_notice", "jobcentre_notice"]


@pytest.fixture
def running(tenant_a, centre_a):  # noqa: ARG001 - the tenant must exist
    """A running contract (Jan 2026 - Dec 2027) with a course ending before 31 March 2026
    and one planned beyond it."""
    with schema_context("alpha"):
        contract = ContractFactory(centre=centre_a, start=date(2026, 1, 1), end=date(2027, 12, 31))
        places = list(contract.place_set.order_by("number"))
        early = CourseFactory(
            contract=contract,
            place=places[0],
            start=date(2026, 1, 5),
            end=date(2026, 3, 1),
            outcome="ordinaert_job",
        )
        late = CourseFactory(
            contract=contract,
            place=places[1],
            start=date(2026, 2, 2),
            planned_end=date(2026, 5, 3),
        )
    return contract, early, late


def test_termination_rule_needs_a_date_inside_the_period_a_cause_and_a_reason():
    period = {"start": date(2026, 1, 1), "end": date(2027, 12, 31), "causes": CAUSES}
    ok = {"cause": "centre_closed", "reason": "Butikken lukker."}
    assert termination_problem(terminated_on=date(2026, 3, 31), **period, **ok) is None
    assert termination_problem(terminated_on=date(2026, 1, 1), **period, **ok) is None
    assert "før den er begyndt" in termination_problem(
        terminated_on=date(2025, 12, 31), **period, **ok
    )
    assert "før kontraktens slutdato" in termination_problem(
        terminated_on=date(2027, 12, 31), **period, **ok
    )
    assert "Skriv den dato" in termination_problem(terminated_on=None, **period, **ok)
    assert "årsagen" in termination_problem(
        terminated_on=date(2026, 3, 31), **period, cause="x", reason="y"
    )
    assert "begrundelsen" in termination_problem(
        terminated_on=date(2026, 3, 31), **period, cause="centre_closed", reason="  "
    )


def test_courses_past_termination_are_those_running_on_the_day_or_ending_after_it():
    class C:
        def __init__(self, start, end, planned_end):
            self.start, self.end, self.planned_end = start, end, planned_end

    day, jan = date(2026, 3, 31), date(2026, 1, 5)
    ended_before, ended_on = C(jan, date(2026, 3, 1), day), C(jan, day, day)
    running_past, running_to_the_day = C(jan, None, date(2026, 5, 3)), C(jan, None, day)
    running_within, ended_after = C(jan, None, date(2026, 3, 20)), C(jan, date(2026, 4, 2), day)
    starts_after = C(date(2026, 4, 6), None, date(2026, 7, 5))
    courses = [
        ended_before,
        ended_on,
        running_past,
        running_to_the_day,
        running_within,
        ended_after,
        starts_after,
    ]
    assert courses_past_termination(courses=courses, terminated_on=day) == [
        running_past,
        running_to_the_day,
        ended_after,
        starts_after,
    ]
    # Started or ended after the date: the date cannot be; running past it moves its plan.
    assert termination_blockers(courses=courses, terminated_on=day) == [ended_after, starts_after]


def test_terminating_sets_the_status_ends_places_the_day_after_and_lists_courses(
    running, login, konsulent
):
    contract, early, late = running
    client = login("alpha", user=konsulent)
    response = client.post(
        f"/kontrakter/{contract.pk}/opsig/",
        {
            "terminated_on": "2026-03-31",
            "cause": "centre_closed",
            "reason": "Butikken lukker ved udgangen af marts.",
        },
    )
    assert response.status_code == 302
    with schema_context("alpha"):
        contract.refresh_from_db()
        assert contract.status == ContractStatus.TERMINATED
        assert (contract.terminated_on, contract.end) == (date(2026, 3, 31), date(2026, 3, 31))
        assert contract.planned_end == date(2027, 12, 31)
        assert contract.terminated_by == konsulent
        assert AuditEvent.objects.filter(
            action="contract.terminate", object_id=str(contract.pk)
        ).exists()
        # The places count up to and including the termination date, not the day after.
        assert contract in contracts_with_capacity(today=date(2026, 3, 31))
        assert contract not in contracts_with_capacity(today=date(2026, 4, 1))
        assert contract_courses_past_end(contract=contract) == [late]
        # The running course now ends (as planned) on the termination date, audited.
        late.refresh_from_db()
        assert late.planned_end == date(2026, 3, 31) and late.end is None
        assert AuditEvent.objects.filter(
            action="course.planned_end.contract_terminated", object_id=str(late.pk)
        ).exists()
        # The ended course keeps its end; its plan is cut to the contract's new end too.
        early.refresh_from_db()
        assert early.end == date(2026, 3, 1) and early.planned_end == date(2026, 3, 31)
    page = client.get(f"/kontrakter/{contract.pk}/").content.decode()
    assert "Opsagt" in page and "ophører 31.03.2026" in page
    assert "Butikken lukker ved udgangen af marts." in page
    assert f"/kandidater/forloeb/{late.pk}/" in page
    assert f"/kandidater/forloeb/{early.pk}/" not in page
    # The list says it by status too.
    assert "Opsagt" in client.get("/kontrakter/?status=terminated").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"terminated_on": "2028-01-01", "cause": "centre_closed", "reason": "x"}, "slutdato"),
        ({"terminated_on": "2025-06-01", "cause": "centre_closed", "reason": "x"}, "begyndt"),
        ({"terminated_on": "2026-03-31", "cause": "centre_closed", "reason": ""}, "Begrundelse"),
        ({"terminated_on": "2026-03-31", "cause": "nope", "reason": "x"}, "årsagen"),
        ({"terminated_on": "31-31-2026", "cause": "centre_closed", "reason": "x"}, "dato"),
    ],
)
def test_bad_termination_is_refused_in_danish_and_changes_nothing(
    running, login, konsulent, data, message
):
    contract, _early, _late = running
    client = login("alpha", user=konsulent)
    response = client.post(f"/kontrakter/{contract.pk}/opsig/", data, follow=True)
    assert response.status_code == 200
    assert message.lower() in response.content.decode().lower()
    with schema_context("alpha"):
        contract.refresh_from_db()
        assert contract.status == ContractStatus.ACTIVE
        assert contract.end == date(2027, 12, 31) and contract.terminated_on is None


def test_a_draft_cannot_be_terminated(draft, konsulent):
    from django.core.exceptions import ValidationError

    with schema_context("alpha"), pytest.raises(ValidationError, match="underskrevet eller aktiv"):
        contract_terminate(
            contract=draft,
            terminated_on=date(2026, 3, 31),
            cause="centre_closed",
            reason="x",
            now=NOW,
            acting_user=konsulent,
        )
    with schema_context("alpha"):
        assert Contract.objects.get(pk=draft.pk).status == ContractStatus.DRAFT


def test_only_the_jobkonsulent_of_the_jobcentre_terminates(running, login, chef, tenant_b):  # noqa: ARG001
    contract, _early, _late = running
    data = {"terminated_on": "2026-03-31", "cause": "company_notice", "reason": "Opsagt."}
    url = f"/kontrakter/{contract.pk}/opsig/"
    assert login("alpha", user=chef).post(url, data).status_code == 403
    other = login("beta", role="jobkonsulent")
    assert other.post(f"/kontrakter/{contract.pk}/opsig/", data).status_code == 404
    with schema_context("alpha"):
        contract.refresh_from_db()
        assert contract.status == ContractStatus.ACTIVE


def test_the_drafting_form_offers_the_jobcentres_standard_paragraphs(
    login,
    konsulent,
    tenant_b,  # noqa: ARG001 - the other jobcentre must exist
):
    client = login("alpha", user=konsulent)
    concept = client.get("/kontrakter/ny/").content.decode()
    assert "Afklaring og udredning af kandidaternes" in concept
    response = client.post(
        "/kontrakter/standardtekster/",
        {
            "goals_text": "Middelfarts mål: job eller uddannelse.",
            "target_group": "",
            "support_activities": "Netværksmøde hver måned.",
            "reception": "Modtagelse ved mentor.",
            "absence_handling": "Fravær meldes før kl. 8.",
            "udslusning": "Samtale fire uger før slut.",
        },
    )
    assert response.status_code == 302
    form = client.get("/kontrakter/ny/").content.decode()
    assert "Middelfarts mål: job eller uddannelse." in form
    assert "Fravær meldes før kl. 8." in form
    with schema_context("alpha"):
        assert AuditEvent.objects.filter(action="contract_template.update").exists()
    # Another jobcentre keeps the concept's wording.
    other = login("beta", role="jobkonsulent")
    assert "Middelfarts mål" not in other.get("/kontrakter/ny/").content.decode()


def test_a_course_ended_after_the_date_is_named_and_nothing_changes(running, konsulent):
    from django.core.exceptions import ValidationError

    contract, early, _late = running
    with schema_context("alpha"), pytest.raises(ValidationError, match="plads 1: 05.01.2026"):
        contract_terminate(
            contract=contract,
            terminated_on=date(2026, 2, 15),  # the early course ended on 1 March
            cause="company_notice",
            reason="Opsagt.",
            now=NOW,
            acting_user=konsulent,
        )
    with schema_context("alpha"):
        contract.refresh_from_db()
        assert contract.status == ContractStatus.ACTIVE and contract.end == date(2027, 12, 31)
