"""CPR at rest, the audit log of reads and changes, retention and GDPR access/erasure."""

import json
import os
import secrets
import subprocess
import sys
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context
from pypdf import PdfReader

from audit.models import AuditEvent
from candidates.cpr_crypto import cpr_hmac
from candidates.models import Candidate, Course, FollowUpNote
from tests.conftest import ROOT, TENANTS
from tests.factories import CandidateFactory, CourseFactory

from .conftest import users_for


@pytest.fixture
def people(tenant_a, tenant_b):
    return {"a": users_for(tenant_a), "b": users_for(tenant_b)}


@pytest.fixture
def as_user(login):
    """`as_user(user, schema)`: a new client from one fixed address, signed in as `user`."""

    def _as_user(user, schema="alpha"):
        client = Client(HTTP_HOST=TENANTS[schema]["domain"], REMOTE_ADDR="10.1.2.3")
        return login(schema, user=user, client=client)

    return _as_user


# --- CPR encrypted at rest ------------------------------------------------------------------


@pytest.mark.usefixtures("tenant_a")
def test_cpr_is_stored_encrypted_and_found_by_its_blind_index():
    with schema_context("alpha"):
        person = CandidateFactory(cpr="0101901234", birth_date=date(1990, 1, 1))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT cpr, cpr_hmac FROM candidates_candidate WHERE id = %s", [person.pk]
            )
            raw, index = cursor.fetchone()
        assert "0101901234" not in raw and raw.startswith("gAAAA")  # a Fernet token
        assert index == cpr_hmac("010190-1234") and len(index) == 64
        assert Candidate.objects.get(pk=person.pk).cpr == "0101901234"
        from candidates.selectors import candidate_by_cpr

        assert candidate_by_cpr(cpr="010190-1234") == person


@pytest.mark.usefixtures("tenant_a")
def test_filtering_on_the_encrypted_column_is_refused_not_silently_empty():
    with schema_context("alpha"), pytest.raises(NotImplementedError, match="candidate_by_cpr"):
        list(Candidate.objects.filter(cpr="0101901234"))


def test_list_search_finds_full_cpr_and_birth_date_digits(as_user, people):
    with schema_context("alpha"):
        CandidateFactory(name="Sara Søg", cpr="0203851234", birth_date=date(1985, 3, 2))
    client = as_user(people["a"]["jobkonsulent"])
    for query in ("020385-1234", "0203", "020385"):
        assert "Sara Søg" in client.get("/kandidater/", {"q": query}).content.decode(), query
    assert "Sara Søg" not in client.get("/kandidater/", {"q": "0203859999"}).content.decode()


def test_production_settings_refuse_to_start_without_the_cpr_keys():
    env = {k: v for k, v in os.environ.items() if k not in ("CPR_ENCRYPTION_KEY", "CPR_HMAC_KEY")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="virksomhedscenter.example.dk",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "CPR_ENCRYPTION_KEY" in result.stderr


def test_full_cpr_is_revealed_on_request_and_every_reveal_is_logged(as_user, people):
    with schema_context("alpha"):
        person = CandidateFactory(name="Vera Vis")
    client = as_user(people["a"]["sagsbehandler"])
    page = client.get(f"/kandidater/{person.pk}/").content.decode()
    assert person.cpr not in page.replace("-", "")
    revealed = client.get(f"/kandidater/{person.pk}/cpr/", HTTP_HX_REQUEST="true")
    assert f"{person.cpr[:6]}-{person.cpr[6:]}" in revealed.content.decode()
    assert revealed["Cache-Control"] == "no-store"
    with schema_context("alpha"):
        event = AuditEvent.objects.get(action="candidate.cpr_reveal")
        assert (event.object_id, event.fields, event.ip) == (str(person.pk), ["cpr"], "10.1.2.3")
        assert event.actor_role == "sagsbehandler" and event.is_access
    # Roles without the need get 403, the other jobcentre 404.
    for role in ("mentor", "jobcenterchef", "admin"):
        assert as_user(people["a"][role]).get(f"/kandidater/{person.pk}/cpr/").status_code == 403
    other = as_user(people["b"]["sagsbehandler"], "beta")
    assert other.get(f"/kandidater/{person.pk}/cpr/").status_code == 404


# --- Audit log ------------------------------------------------------------------------------


@pytest.fixture
def course(tenant_a):  # noqa: ARG001 - a fixture asked for its effect
    with schema_context("alpha"):
        return CourseFactory(
            candidate__name="Carl Kursist",
            start=date(2015, 2, 2),
            contract__start=date(2015, 1, 1),
        )


def test_reading_a_candidate_page_and_an_export_is_logged_with_role_purpose_and_ip(
    as_user, people, course
):
    client = as_user(people["a"]["jobkonsulent"])
    client.get(f"/kandidater/{course.candidate_id}/")
    client.get(f"/kandidater/forloeb/{course.pk}/")
    client.get("/kandidater/", {"eksport": "csv"})
    client.get("/kandidater/")  # a list without download: a list read (issue 17, finding 6)
    with schema_context("alpha"):
        events = list(AuditEvent.objects.filter(is_access=True).order_by("pk"))
    assert [e.action for e in events] == ["candidate.view", "course.view", "export", "list.view"]
    assert events[3].subjects == [course.candidate_id] == events[2].subjects
    assert {e.object_id for e in events[:2]} == {str(course.candidate_id)}
    assert all(e.ip == "10.1.2.3" and e.actor_role == "jobkonsulent" for e in events)
    assert events[0].purpose and "Carl" not in events[0].object_label


def test_a_change_of_personal_data_is_logged_with_fields_and_ip(as_user, people, course):
    client = as_user(people["a"]["jobkonsulent"])
    client.post(
        f"/kandidater/forloeb/{course.pk}/notat/",
        {"date": "2015-02-10", "text": "Godt i gang"},
    )
    with schema_context("alpha"):
        event = AuditEvent.objects.filter(is_access=False).latest("pk")
    assert event.ip == "10.1.2.3" and event.actor_label == people["a"]["jobkonsulent"].email


@pytest.mark.usefixtures("tenant_a")
def test_the_log_is_append_only_for_the_application(people):
    with schema_context("alpha"):
        event = AuditEvent.objects.create(action="x", object_type="y", object_id="1")
        for statement in (
            "UPDATE audit_auditevent SET action = 'changed' WHERE id = %s",
            "DELETE FROM audit_auditevent WHERE id = %s",
            "TRUNCATE audit_auditevent",  # per-row triggers do not see it: its own trigger
        ):
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                if statement.startswith("TRUNCATE"):
                    # The test's open transaction holds deferred FK checks, which would make
                    # PostgreSQL refuse the TRUNCATE before the trigger is asked.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(statement, [event.pk] if "%s" in statement else [])
        assert AuditEvent.objects.filter(pk=event.pk, action="x").exists()
        # Deleting a user keeps the user's events (actor set to NULL, nothing else changes).
        user = people["a"]["mentor"]
        AuditEvent.objects.create(actor=user, actor_label=user.email, action="x")
        user.delete()
        assert AuditEvent.objects.filter(actor_label=user.email, actor=None).exists()


@pytest.mark.usefixtures("tenant_a")
def test_retention_deletes_old_access_events_and_keeps_changes():
    from audit.retention import retention_apply

    with schema_context("alpha"):
        old = timezone.now() - timedelta(days=200)
        for is_access in (True, False):
            e = AuditEvent.objects.create(action="a", is_access=is_access)
            with connection.cursor() as cursor:  # `at` is auto_now_add: backdate it in SQL
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("UPDATE audit_auditevent SET at = %s WHERE id = %s", [old, e.pk])
                cursor.execute("SET LOCAL session_replication_role = origin")
        fresh = AuditEvent.objects.create(action="b", is_access=True)
        report = retention_apply(today=date.today())
        assert report["access_events_deleted"] == 1
        assert AuditEvent.objects.filter(is_access=False, action="a").exists()
        assert AuditEvent.objects.filter(pk=fresh.pk).exists()
        assert AuditEvent.objects.filter(action="retention.run").count() == 1


def test_chef_lists_the_log_per_candidate_and_per_user_and_exports_the_access_log(
    as_user, people, course
):
    as_user(people["a"]["jobkonsulent"]).get(f"/kandidater/{course.candidate_id}/")
    chef = as_user(people["a"]["jobcenterchef"])
    page = chef.get(f"/revision/kandidat/{course.candidate_id}/").content.decode()
    assert "candidate.view" in page and people["a"]["jobkonsulent"].email in page
    by_user = chef.get(f"/revision/bruger/{people['a']['jobkonsulent'].pk}/").content.decode()
    assert "candidate.view" in by_user
    with schema_context("alpha"):
        cpr = Candidate.objects.get(pk=course.candidate_id).cpr
    found = chef.post("/revision/", {"cpr": cpr})  # by POST: never a CPR number in a URL
    assert found["Location"] == f"/revision/kandidat/{course.candidate_id}/"
    with schema_context("alpha"):
        search = AuditEvent.objects.get(action="audit.cpr_search")
    assert search.object_id == str(course.candidate_id) and cpr not in search.criteria
    assert search.criteria == f"CPR-søgning: {cpr[:6]}-XXXX"
    csv_text = chef.get(f"/revision/kandidat/{course.candidate_id}/adgangslog.csv")
    csv_text = csv_text.content.decode("utf-8-sig")
    assert "Tidspunkt;Rolle;Formål" in csv_text and "Jobkonsulent" in csv_text
    assert "Sagsbehandling: kandidatens side" in csv_text
    pdf = chef.get(f"/revision/kandidat/{course.candidate_id}/adgangslog.pdf").content
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)
    assert "Adgangslog" in text and "Jobkonsulent" in text
    # The same pages: 403 for another role of A, 404 for B's chef (A's candidate unknown).
    assert as_user(people["a"]["jobkonsulent"]).get("/revision/").status_code == 403
    b_chef = as_user(people["b"]["jobcenterchef"], "beta")
    assert b_chef.get(f"/revision/kandidat/{course.candidate_id}/").status_code == 404


# --- GDPR -----------------------------------------------------------------------------------


def test_export_of_everything_about_one_person_as_json_and_pdf(as_user, people, course):
    with schema_context("alpha"):
        FollowUpNote.objects.create(course=course, date=date(2015, 2, 9), text="Notat om Carl")
    chef = as_user(people["a"]["jobcenterchef"])
    data = json.loads(chef.get(f"/revision/kandidat/{course.candidate_id}/indsigt.json").content)
    assert data["kandidat"]["navn"] == "Carl Kursist"
    assert data["opfoelgningsnotater"][0]["text"] == "Notat om Carl"
    assert data["forloeb"][0]["start"] == "2015-02-02"
    pdf = chef.get(f"/revision/kandidat/{course.candidate_id}/indsigt.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert "Carl Kursist" in text
    with schema_context("alpha"):
        assert AuditEvent.objects.filter(action="candidate.data_export").count() == 2


@pytest.mark.usefixtures("tenant_a")
def test_anonymisation_after_retention_keeps_statistics_and_removes_the_person():
    from audit.retention import retention_apply

    with schema_context("alpha"):
        old = CourseFactory(
            candidate__name="Gammel Gerda",
            start=date(2015, 2, 2),
            end=date(2015, 4, 30),
            outcome="ordinaert_job",
            contract__start=date(2015, 1, 1),
        )
        FollowUpNote.objects.create(course=old, date=date(2015, 2, 9), text="Privat notat")
        recent = CourseFactory(candidate__name="Ny Niels", start=date(2025, 2, 5))
        before = list(Course.objects.order_by("pk").values("start", "end", "outcome", "place"))
        first = retention_apply(today=date(2026, 6, 1))
        second = retention_apply(today=date(2026, 6, 1))  # a redelivered task: nothing more
        gerda = Candidate.objects.get(pk=old.candidate_id)
        assert (first["candidates_anonymised"], second["candidates_anonymised"]) == (1, 0)
        assert gerda.anonymised_at and gerda.cpr is None and gerda.cpr_hmac is None
        assert "Gerda" not in gerda.name and gerda.phone == gerda.email == ""
        assert FollowUpNote.objects.get(course=old).text == "(anonymiseret)"
        assert Candidate.objects.get(pk=recent.candidate_id).name == "Ny Niels"
        after = list(Course.objects.order_by("pk").values("start", "end", "outcome", "place"))
        assert after == before  # courses, dates and outcomes: the statistics stay
        run = AuditEvent.objects.filter(action="retention.run").latest("pk")
        assert (
            "1 kandidater anonymiseret"
            in AuditEvent.objects.filter(action="retention.run").order_by("pk").first().object_label
        )
        assert "0 kandidater anonymiseret" in run.object_label


def test_retention_task_is_acks_late():
    from audit.tasks import retention_nightly

    assert retention_nightly.acks_late and retention_nightly.reject_on_worker_lost
