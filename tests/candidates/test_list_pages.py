"""Long lists page by keyset (issue 24, documents/paging.py): the next page shows the next
rows in the list's order, the previous link goes back, the total is shown, the read logs the
rows of the page shown, and a page costs the same queries however long the list."""

import re
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from candidates.models import Candidate, Referral
from tests.conftest import TODAY
from tests.factories import CandidateFactory, ContractFactory, CourseFactory


def _names(body: str) -> list[str]:
    return re.findall(r">(Person \d{3})<", body)


def _link(body: str, name: str) -> str:
    return re.search(rf'href="\?([^"]*{name}=\d+)"', body).group(1).replace("&amp;", "&")


def test_the_candidate_list_shows_the_next_page_and_goes_back(as_role):
    with schema_context("alpha"):
        for n in range(55, 0, -1):  # made in reverse: the order is the name's, not the id's
            CandidateFactory(name=f"Person {n:03d}")
        pks = dict(Candidate.objects.values_list("name", "pk"))
    client = as_role("jobkonsulent")
    first = client.get("/kandidater/").content.decode()
    assert _names(first) == [f"Person {n:03d}" for n in range(1, 51)]
    assert "55 rækker" in first and 'rel="prev"' not in first
    assert _link(first, "efter") == f"efter={pks['Person 050']}"

    second = client.get("/kandidater/?" + _link(first, "efter")).content.decode()
    assert _names(second) == [f"Person {n:03d}" for n in range(51, 56)]
    assert 'rel="next"' not in second and "Forrige" in second
    # The arrows keep their names where DKFDS hides their text (phone width).
    assert 'rel="next" aria-label="Næste"' in first
    assert 'rel="prev" aria-label="Forrige"' in second
    with schema_context("alpha"):
        read = AuditEvent.objects.filter(action="list.view").latest("id")
    assert sorted(read.subjects) == sorted(pks[f"Person {n:03d}"] for n in range(51, 56))

    back = client.get("/kandidater/?" + _link(second, "foer")).content.decode()
    assert _names(back) == _names(first) and 'rel="prev"' not in back


def test_a_descending_sort_pages_in_its_own_order_and_keeps_the_sort(as_role):
    with schema_context("alpha"):
        for n in range(1, 56):
            CandidateFactory(name=f"Person {n:03d}")
    client = as_role("jobkonsulent")
    first = client.get("/kandidater/", {"sort": "-name"}).content.decode()
    assert _names(first)[:2] == ["Person 055", "Person 054"] and len(_names(first)) == 50
    link = _link(first, "efter")
    assert link.startswith("sort=-name&efter=")
    second = client.get("/kandidater/?" + link).content.decode()
    assert _names(second) == [f"Person {n:03d}" for n in range(5, 0, -1)]


def test_a_bad_cursor_shows_the_first_page(as_role):
    with schema_context("alpha"):
        CandidateFactory(name="Person 001")
    client = as_role("jobkonsulent")
    for query in ("efter=abc", "foer=99999999", "efter=" + "9" * 30):
        response = client.get("/kandidater/?" + query)
        assert response.status_code == 200
        assert _names(response.content.decode()) == ["Person 001"]


def _running_courses(n: int) -> None:
    """n running courses without a follow-up note (each due for one), 4 to a contract."""
    with schema_context("alpha"):
        contract = None
        for i in range(n):
            if i % 4 == 0:
                contract = ContractFactory()
            CourseFactory(
                candidate=CandidateFactory(name=f"Person {i + 1:03d}"),
                contract=contract,
                place=contract.place_set.get(number=i % 4 + 1),
                start=TODAY - timedelta(days=30),
                planned_end=TODAY + timedelta(days=60),
            )


def test_the_due_list_of_all_centres_pages_with_its_total(as_role):
    _running_courses(55)
    client = as_role("jobkonsulent")
    first = client.get("/kandidater/opfoelgning/", {"alle": "1"}).content.decode()
    assert len(_names(first)) == 50 and "55 rækker" in first
    link = _link(first, "efter")
    assert link == "alle=1&efter=50"
    second = client.get("/kandidater/opfoelgning/?" + link).content.decode()
    assert len(_names(second)) == 5
    assert not set(_names(second)) & set(_names(first))
    back = client.get("/kandidater/opfoelgning/?" + _link(second, "foer")).content.decode()
    assert _names(back) == _names(first)


def test_the_due_list_and_the_candidate_list_cost_the_same_queries_at_any_size(as_role):
    """5 rows, then 60 and 65 (more than a page): a longer list costs no more queries (one
    that fits on its first page may cost one fewer: its rows are its total)."""
    client = as_role("jobkonsulent")
    counts: dict[str, list[int]] = {}
    for n in (5, 55, 5):
        _running_courses(n)
        for url in ("/kandidater/opfoelgning/?alle=1", "/kandidater/", "/kandidater/forloeb/"):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            counts.setdefault(url, []).append(len(ctx.captured_queries))
    for url, (small, large, larger) in counts.items():
        assert small <= large == larger, (url, counts)


def test_a_search_that_fits_on_one_page_shows_its_total_without_counting_again(as_role):
    with schema_context("alpha"):
        for n in range(1, 4):
            CandidateFactory(name=f"Person {n:03d}")
        CandidateFactory(name="Other")
    client = as_role("jobkonsulent")
    with CaptureQueriesContext(connection) as ctx:
        body = client.get("/kandidater/", {"q": "person"}).content.decode()
    assert _names(body) == ["Person 001", "Person 002", "Person 003"]
    assert "3 rækker" in body and 'rel="next"' not in body
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"]]


def test_the_search_finds_a_name_part_and_the_birth_date_of_cpr_digits(as_role):
    """Name contains (any case); 6-9 digits: the birth date of the first 6 (DDMMYY), in
    any century; fewer: the start of DDMMYY; 10: the number itself (its blind index)."""
    with schema_context("alpha"):
        ane = CandidateFactory(name="Ane Andersen", birth_date=date(1990, 5, 17))
        CandidateFactory(name="Bo Bech", birth_date=date(2004, 5, 17))
        CandidateFactory(name="Carl Cold", birth_date=date(1990, 6, 17))
    client = as_role("jobkonsulent")

    def found(q: str) -> list[str]:
        body = client.get("/kandidater/", {"q": q}).content.decode()
        return re.findall(r'href="/kandidater/\d+/">([^<]+)<', body)

    assert found("NDERS") == ["Ane Andersen"]
    assert found("170590") == ["Ane Andersen"]
    assert found("170590-12") == ["Ane Andersen"]
    assert found("1705") == ["Ane Andersen", "Bo Bech"]
    assert found("17") == ["Ane Andersen", "Bo Bech", "Carl Cold"]
    assert found(ane.cpr) == ["Ane Andersen"]
    assert found("310490") == []  # no such date


def test_the_candidate_list_shows_the_state_the_centre_and_links_to_the_page(as_role):
    with schema_context("alpha"):
        contract = ContractFactory()
        running = CourseFactory(
            candidate=CandidateFactory(name="Person 001", benefit="sygedagpenge"),
            contract=contract,
            start=TODAY - timedelta(days=10),
            planned_end=TODAY + timedelta(days=60),
        )
        waiting = CandidateFactory(name="Person 002")
        Referral.objects.create(candidate=waiting, referred_on=TODAY, reason="x")
        CandidateFactory(name="Person 003")
        centre = contract.centre.name
    body = as_role("jobkonsulent").get("/kandidater/").content.decode()
    rows = re.findall(r"<tr><td>(.*?)</tr>", body, re.S)
    assert f'href="/kandidater/{running.candidate_id}/"' in rows[0]
    assert "Sygedagpenge" in rows[0] and "I forløb" in rows[0] and centre in rows[0]
    assert "På venteliste" in rows[1] and "I forløb" not in rows[1]
    assert "På venteliste" not in rows[2] and "I forløb" not in rows[2]
    assert "170590-XXXX" in rows[2]
