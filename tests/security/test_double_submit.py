"""A double-clicked form stores once (issue 19, finding 2), against a live server: the two
identical posts leave together and run in two server threads with their own connections.

Every form that creates a row carries a one-time token (`{% form_token %}`); the second post
with it is answered with the first answer. Before, follow-up notes, goals and mentor progress
notes each stored two rows, and every click on "preview" made a new PDF document.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.e2e.conftest import audit_events_delete
from tests.live import LiveClient, race

pytestmark = pytest.mark.django_db

EMAILS = ("dobbelt.konsulent@alpha.test", "dobbelt.mentor@alpha.test")
TOKEN = re.compile(r'name="form_token" value="([0-9a-f-]{36})"')


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # noqa: ARG001 - a fixture asked for its effect
    """A centre with a placed candidate, its jobkonsulent and mentor, committed; removed after."""
    from accounts.services import user_create
    from mentors.models import Mentor
    from tests.factories import CandidateFactory, CentreFactory, ContractFactory, CourseFactory

    today = timezone.localdate()
    with django_db_blocker.unblock(), schema_context("alpha"):
        konsulent = user_create(email=EMAILS[0], password=None, roles=["jobkonsulent"])
        mentor_user = user_create(email=EMAILS[1], password=None, roles=["mentor"])
        centre = CentreFactory(name="Dobbeltklik-centret", consultant=konsulent)
        contract = ContractFactory(
            centre=centre, start=today - timedelta(days=90), end=today + timedelta(days=300)
        )
        course = CourseFactory(
            contract=contract,
            place=contract.place_set.get(number=1),
            candidate=CandidateFactory(name="Dennis Dobbelt"),
            start=today - timedelta(days=30),
            hours_per_week=Decimal(20),
        )
        mentor = Mentor.objects.create(user=mentor_user, company=centre.company)
        mentor.centres.set([centre])
    try:
        yield {"course": course, "contract": contract, "users": (konsulent, mentor_user)}
    finally:
        with django_db_blocker.unblock(), schema_context("alpha"):
            for email in EMAILS:
                audit_events_delete(actor_label=email)
            candidate = course.candidate
            course.delete()
            candidate.delete()
            contract.delete()
            centre.delete()
            mentor.delete()
            centre.company.delete()
            for user in (konsulent, mentor_user):
                user.delete()


@pytest.fixture(scope="module")
def clients(world, tenant_server):
    port = int(tenant_server("alpha").rsplit(":", 1)[1])
    return {
        role: LiveClient(port).login(user)
        for role, user in zip(("jobkonsulent", "mentor"), world["users"], strict=True)
    }


def _token_of(client, page: str, action: str) -> str:
    """The one-time token of the form on `page` that posts to `action`."""
    body = client.get(page).body
    form = body[body.index(f'action="{action}"') :]
    return TOKEN.search(form[: form.index("</form>")]).group(1)


def _double_click(client, page: str, action: str, data: dict, **headers):
    token = _token_of(client, page, action)
    responses = race(2, lambda _i: client.post(action, {**data, "form_token": token}, headers))
    assert all(r.status < 500 for r in responses), [r.body[:300] for r in responses]
    return responses


def _count(model, **lookups) -> int:
    with schema_context("alpha"):
        return model.objects.filter(**lookups).count()


@pytest.mark.parametrize(
    ("role", "where", "action", "data", "model", "lookups"),
    [
        (
            "jobkonsulent",
            "/kandidater/forloeb/{course}/",
            "/kandidater/forloeb/{course}/notat/",
            {"date": "{today}", "text": "Talte med mentor om næste uge."},
            "candidates.FollowUpNote",
            {"text": "Talte med mentor om næste uge."},
        ),
        (
            "jobkonsulent",
            "/kandidater/forloeb/{course}/",
            "/kandidater/forloeb/{course}/maal/",
            {"text": "Kan køre truck alene"},
            "candidates.Goal",
            {"text": "Kan køre truck alene"},
        ),
        (
            "mentor",
            "/mentor/forloeb/{course}/",
            "/mentor/forloeb/{course}/note/",
            {"work_tasks": "Fylder mælk op uden hjælp"},
            "mentors.ProgressNote",
            {"work_tasks": "Fylder mælk op uden hjælp"},
        ),
    ],
    ids=["follow_up_note", "goal", "mentor_progress_note"],
)
def test_a_double_clicked_form_stores_one_row_and_both_answers_lead_to_it(
    world, clients, django_db_blocker, role, where, action, data, model, lookups
):
    from django.apps import apps

    model = apps.get_model(model)
    fill = {"course": world["course"].pk, "today": timezone.localdate().isoformat()}
    with django_db_blocker.unblock():
        responses = _double_click(
            clients[role],
            where.format(**fill),
            action.format(**fill),
            {k: v.format(**fill) for k, v in data.items()},
        )
        assert _count(model, **lookups) == 1
    # The second answer is the first one's: the same page to go on to.
    assert [r.status for r in responses] == [302, 302]
    assert responses[0].location == responses[1].location


def test_preview_clicked_twice_and_again_makes_one_pdf_document(world, clients, django_db_blocker):
    from contracts.models import ContractDocument

    contract = world["contract"]
    page = f"/kontrakter/{contract.pk}/"
    action = f"/kontrakter/{contract.pk}/version/1/pdf/"
    client = clients["jobkonsulent"]
    with django_db_blocker.unblock():
        _double_click(client, page, action, {"kind": "preview"}, **{"HX-Request": "true"})
        # A later click on the unchanged draft (a new page, a new token) reuses it too.
        _double_click(client, page, action, {"kind": "preview"}, **{"HX-Request": "true"})
        assert _count(ContractDocument, contract=contract, kind="preview") == 1
