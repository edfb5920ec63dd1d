"""After anonymisation no name, CPR number or e-mail of the person remains anywhere in the
jobcentre's schema (finding 11 of issue 17).

The candidate is made through the services and pages as a jobcentre makes one - registered,
referred, seen on the venteliste and searched for by CPR, placed (visitation), attended by
a mentor, followed up, ended - so the audit rows, notes and flags exist; then the retention
job anonymises the person and every text, varchar and jsonb column of every table of the
schema is searched for what identified them.
"""

from datetime import date
from decimal import Decimal

from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from tests.conftest import TENANTS
from tests.factories import ContractFactory, MentorFactory

from .conftest import users_for

NAME = "Xenia Sporløs"
CPR = "0502881234"
EMAIL = "xenia.sporloes@example.dk"
PHONE = "29876543"


def _text_columns(schema: str) -> list[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name, c.data_type
            FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = %s AND t.table_type = 'BASE TABLE'
              AND c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY')
            ORDER BY c.table_name, c.column_name
            """,
            [schema],
        )
        return cursor.fetchall()


def _found(schema: str, needles: list[str]) -> list[str]:
    """Every (table.column, needle) where a needle occurs, case-insensitively."""
    hits = []
    for table, column, _type in _text_columns(schema):
        for needle in needles:
            with connection.cursor() as cursor:
                cursor.execute(
                    f'SELECT count(*) FROM "{schema}"."{table}" '  # noqa: S608 - names from the catalogue
                    f'WHERE "{column}"::text ILIKE %s',
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column}: {needle}")
    return hits


def test_anonymisation_leaves_no_name_cpr_or_email_anywhere_in_the_schema(tenant_a, login):
    from audit.retention import retention_apply
    from candidates import services
    from candidates.models import Course
    from mentors import services as mentor_services

    users = users_for(tenant_a)
    konsulent = users["jobkonsulent"]
    with schema_context("alpha"):
        contract = ContractFactory(start=date(2015, 1, 1), end=date(2016, 12, 31))
        mentor = MentorFactory(user=users["mentor"], company=contract.centre.company)
        mentor.centres.add(contract.centre)
        candidate = services.candidate_create(
            cpr=CPR,
            name=NAME,
            benefit="kontanthjaelp",
            phone=PHONE,
            email=EMAIL,
            wishes="Lager",
            acting_user=users["sagsbehandler"],
        )
        referral = services.referral_create(
            candidate=candidate,
            reason=f"{NAME} ønsker praktik",
            wishes="Lager",
            referred_on=date(2015, 1, 20),
            acting_user=users["sagsbehandler"],
        )
    # Pages read and searched while the person is known: the list reads are logged.
    client = login("alpha", user=konsulent, client=Client(HTTP_HOST=TENANTS["alpha"]["domain"]))
    for query in ({}, {"q": CPR}, {"q": "050288-1234"}, {"q": NAME}):
        assert client.get("/kandidater/venteliste/", query).status_code == 200
    assert client.get("/kandidater/", {"q": CPR}).status_code == 200
    assert client.get(f"/kandidater/{candidate.pk}/").status_code == 200
    with schema_context("alpha"):
        course = services.referral_place(
            referral=referral,
            contract=contract,
            start=date(2015, 2, 2),
            hours_per_week=Decimal(10),
            acting_user=konsulent,
            target_group="aktivitetsparat_kontanthjaelp",  # recorded at visitation
        )
        mentor_services.attendance_record(
            course=course,
            date=date(2015, 2, 3),
            status="present",
            hours=Decimal(6),
            acting_user=users["mentor"],
            today=date(2015, 2, 3),
        )
        mentor_services.progress_note_create(
            course=course,
            date=date(2015, 2, 4),
            work_tasks=f"{NAME} pakker varer",
            acting_user=users["mentor"],
        )
        services.follow_up_note_create(
            course=course,
            noted_on=date(2015, 2, 9),
            text=f"Samtale med {NAME}",
            today=date(2015, 2, 9),
            acting_user=konsulent,
        )
        services.course_end(
            course=Course.objects.get(pk=course.pk),
            end=date(2015, 4, 30),
            outcome="ordinaert_job",
            acting_user=konsulent,
        )
    assert client.get(f"/kandidater/forloeb/{course.pk}/").status_code == 200
    chef = login("alpha", role="jobcenterchef")
    assert chef.get(f"/revision/kandidat/{candidate.pk}/").status_code == 200
    assert chef.get("/revision/").status_code == 200

    needles = [NAME, "Xenia", "Sporløs", CPR, "050288-1234", EMAIL, PHONE]
    with schema_context("alpha"):
        before = _found("alpha", needles)
        # The scan sees the person before: the candidate's row, notes, the name search.
        assert "candidates_candidate.name: Xenia Sporløs" in before
        assert "audit_auditevent.criteria: Xenia Sporløs" in before
        report = retention_apply(today=date(2026, 6, 1))
        assert report["candidates_anonymised"] == 1
        assert _found("alpha", needles) == []
