"""The audit log page (issue 23): filters by person, user, action and date; pages by keyset
without counting the table; links each entry to its record for a role that may open it."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.services import audit_record
from documents.paging import PAGE_SIZE
from tests.conftest import make_user
from tests.factories import CandidateFactory, ContractFactory


@pytest.fixture
def world(tenant_a):
    konsulent = make_user(tenant_a, "jobkonsulent", email="k.audit@alpha.test")
    chef = make_user(tenant_a, "jobcenterchef", email="chef.audit@alpha.test")
    with schema_context("alpha"):
        candidate = CandidateFactory(name="Revisions Rasmussen")
        contract = ContractFactory()
        audit_record(
            acting_user=konsulent, action="candidate.update", obj=candidate, fields=["phone"]
        )
        audit_record(acting_user=konsulent, action="contract.update", obj=contract)
        for n in range(2 * PAGE_SIZE + 5):  # three pages
            audit_record(
                acting_user=chef,
                action="report.view",
                obj=None,
                object_type="",
                object_id="",
                label=f"r{n}",
            )
    return {"konsulent": konsulent, "chef": chef, "candidate": candidate, "contract": contract}


def _rows(body: str) -> int:
    return body.count("<tr><td>")


def test_the_log_pages_by_keyset_without_counting_the_table(login, world):
    chef = login("alpha", user=world["chef"])
    with CaptureQueriesContext(connection) as queries:
        first = chef.get("/revision/")
    assert first.status_code == 200
    assert not [
        q
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper() and "audit_auditevent" in q["sql"]
    ]
    body = first.content.decode()
    assert _rows(body) == PAGE_SIZE
    older = re.search(r'href="\?efter=(\d+)"', body).group(1)
    second = chef.get(f"/revision/?efter={older}").content.decode()
    assert _rows(second) == PAGE_SIZE and "Nyere hændelser" in second
    third = chef.get("/revision/?efter=" + re.search(r'href="\?efter=(\d+)"', second).group(1))
    body3 = third.content.decode()
    assert 0 < _rows(body3) <= PAGE_SIZE and "Ældre hændelser" not in body3
    newer = re.search(r'href="\?foer=(\d+)"', second).group(1)
    assert _rows(chef.get(f"/revision/?foer={newer}").content.decode()) == PAGE_SIZE


def test_the_log_filters_by_person_user_action_and_date(login, world):
    chef = login("alpha", user=world["chef"])
    candidate = world["candidate"]
    by_person = chef.get(f"/revision/?kandidat={candidate.pk}").content.decode()
    assert "candidate.update" in by_person and "report.view" not in by_person
    by_user = chef.get(f"/revision/?bruger={world['konsulent'].pk}").content.decode()
    assert "candidate.update" in by_user and "contract.update" in by_user
    assert "report.view" not in by_user
    by_action = chef.get("/revision/?handling=contract.").content.decode()
    assert "contract.update" in by_action and "candidate.update" not in by_action
    today = timezone.localdate()
    konsulent = world["konsulent"].pk
    recent = chef.get(f"/revision/?bruger={konsulent}&fra={today.isoformat()}")
    assert "candidate.update" in recent.content.decode()
    yesterday = (today - timedelta(days=1)).isoformat()
    before = chef.get(f"/revision/?bruger={konsulent}&til={yesterday}").content.decode()
    assert "candidate.update" not in before and "Ingen hændelser." in before
    # The filters are kept on the next page's link.
    paged = chef.get("/revision/?handling=report.").content.decode()
    assert re.search(r'href="\?handling=report\.&amp;efter=\d+"', paged)


def test_a_bad_filter_is_refused_in_danish_and_shows_nothing(login, world):
    chef = login("alpha", user=world["chef"])
    response = chef.get("/revision/?fra=2026-12-01&til=2026-11-01")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Til-datoen ligger før fra-datoen." in body
    assert _rows(body) == 0


def test_each_entry_links_to_its_record_for_a_role_that_may_open_it(login, world):
    chef = login("alpha", user=world["chef"])
    body = chef.get(f"/revision/?bruger={world['konsulent'].pk}").content.decode()
    assert f'href="/kontrakter/{world["contract"].pk}/"' in body
    assert f'href="/revision/kandidat/{world["candidate"].pk}/"' in body
    assert chef.get(f"/kontrakter/{world['contract'].pk}/").status_code == 200


def test_the_log_is_the_chefs_only(login, world, tenant_b):
    assert login("alpha", user=world["konsulent"]).get("/revision/").status_code == 403
    other = make_user(tenant_b, "jobcenterchef", email="chef.audit@beta.test")
    body = login("beta", user=other).get(f"/revision/?kandidat={world['candidate'].pk}")
    assert "Revisions Rasmussen" not in body.content.decode()
    assert "candidate.update" not in body.content.decode()


def test_each_row_shows_who_what_and_how_many_were_shown_with_every_text_escaped(login, world):
    """The rows are built in Python (audit/rows.py): time and IP, the actor linked to their
    log with the role, the action in Danish with its code as the title, fields and purpose,
    the search and the number of candidates a read showed; stored texts are escaped."""
    konsulent = world["konsulent"]
    with schema_context("alpha"):
        audit_record(
            acting_user=konsulent,
            action="list.view",
            obj=None,
            object_type="",
            object_id="",
            label="<script>alert(1)</script>",
            fields=["name", "<phone>"],
            ip="10.1.2.3",
            purpose="Venteliste",
            subjects=[world["candidate"].pk, world["candidate"].pk + 1],
            criteria="Søg: <b>",
            is_access=True,
        )
    body = login("alpha", user=world["chef"]).get(f"/revision/?bruger={konsulent.pk}")
    body = body.content.decode()
    row = re.search(r"<tr><td>[^<]*<br><small>10\.1\.2\.3</small>.*?</tr>", body).group(0)
    assert f'<a href="/revision/bruger/{konsulent.pk}/">' in row
    assert '<td title="list.view">' in row
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>" in row
    assert "<td>&lt;phone&gt;, name<br>Venteliste</td>" in row
    assert "<td>Søg: &lt;b&gt; · 2 kandidater</td>" in row
    assert "<script>" not in body
