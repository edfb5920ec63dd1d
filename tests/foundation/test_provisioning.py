"""Many jobcentres (issue 28): a new one is a checked copy of the template schema, every
schema is migrated in parallel without all-or-nothing (the benchmark, in its own database),
and one jobcentre's data goes out and into another deployment with other keys."""

import json
from io import StringIO

import psycopg
import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django_tenants.utils import schema_context

from tenants.models import Domain, Jobcenter
from tenants.provisioning import schema_clone, schema_clone_problems, template_schema_name
from tenants.services import jobcenter_create

from ..conftest import PASSWORD


def schema_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [name])
        return cursor.fetchone() is not None


def _create(schema: str, code: str) -> Jobcenter:
    return jobcenter_create(
        schema_name=schema,
        name=f"Jobcenter {schema}",
        domain=f"{schema}.test.localhost",
        municipality_code=code,
        admin_email=f"admin@{schema}.test",
        admin_password=PASSWORD,
    )


@pytest.mark.django_db
def test_a_cloned_schema_is_the_template_with_its_own_sequences_and_triggers():
    schema_clone(target="kappa")
    template = template_schema_name()
    assert schema_clone_problems(source=template, target="kappa") == []
    with connection.cursor() as cursor:
        # Every trigger of the clone calls the clone's own function, never the template's.
        cursor.execute(
            "SELECT DISTINCT pn.nspname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid "
            "JOIN pg_namespace pn ON pn.oid = p.pronamespace "
            "WHERE n.nspname = 'kappa' AND NOT t.tgisinternal"
        )
        assert [row[0] for row in cursor.fetchall()] == ["kappa"]
    with schema_context("kappa"):
        # The role groups were copied with their ids; the next one must not collide.
        assert Group.objects.filter(name="admin").exists()
        Group.objects.create(name="ny gruppe")
        # The append-only audit trigger works in the copy.
        with connection.cursor() as cursor, pytest.raises(Exception, match="append-only"):
            cursor.execute("TRUNCATE audit_auditevent")


@pytest.mark.django_db
def test_the_clone_check_finds_a_missing_trigger_and_a_sequence_behind_its_rows():
    schema_clone(target="lambda")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER audit_auditevent_no_truncate ON lambda.audit_auditevent")
        cursor.execute(
            "SELECT pg_get_serial_sequence('lambda.auth_group', 'id')",
        )
        sequence = cursor.fetchone()[0]
        cursor.execute(f"SELECT setval('{sequence}', 1, false)")
    problems = schema_clone_problems(source=template_schema_name(), target="lambda")
    assert any("triggers" in p and "audit_auditevent_no_truncate" in p for p in problems)
    assert any(p.startswith("auth_group.id: næste værdi 1") for p in problems)


@pytest.mark.django_db
def test_a_new_jobcentre_is_a_clone_with_its_admin():
    jobcenter = _create("mu", "912")
    assert Domain.objects.get(domain="mu.test.localhost").tenant == jobcenter
    problems = schema_clone_problems(source=template_schema_name(), target="mu")
    # Only its first admin (and the admin's role) was added to the copy.
    assert problems == ["andet antal rækker end skabelonen i: accounts_user, accounts_user_groups"]


def test_the_benchmark_creates_and_migrates_with_a_failing_schema_reported_and_rerun():
    """`make test` runs the benchmark with small N: its own database, a real migration
    applied to every schema, one schema broken on purpose (reported at the end, the others
    migrated), repaired and migrated by running again; the database is gone afterwards."""
    out = StringIO()
    call_command("tenants_benchmark", tenants="1,2", fail_one=True, processes=2, stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    assert [line["tenants"] for line in lines] == [1, 2]
    for line in lines:
        n = line["tenants"]
        assert line["create_seconds"] > 0
        assert line["migrate_seconds"] > 0
        # public is migrated first; then the template and the n jobcentres.
        assert line["migrated_schemas"] == n + 1
        assert line["failed"] == [f"bench{1 if n == 1 else 2}_{n:03d}"]
        assert line["rerun_failed"] == []
        assert line["rerun_applied"] == 1
        assert line["schemas_with_migration"] == n + 1
    db = settings.DATABASES["default"]
    with psycopg.connect(
        dbname="postgres",
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
    ) as conn:
        gone = conn.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s", [f"{db['NAME']}_bench"]
        ).fetchone()[0]
    assert gone == 0


OTHER_CPR_KEY = Fernet.generate_key().decode()


def test_a_jobcentre_goes_out_and_into_a_deployment_with_other_keys(tmp_path, django_db_blocker):
    """pg_dump and pg_restore read committed data: no test transaction, and the jobcentres
    are removed again at the end. The other deployment is this database with other CPR
    keys (the source's is handed to the import), after the source jobcentre was dropped."""
    from candidates.models import Candidate
    from candidates.selectors import candidate_by_cpr
    from dataimport.transfer import jobcenter_export, jobcenter_import
    from tests.factories import CandidateFactory

    source_key = settings.CPR_ENCRYPTION_KEY
    dump = tmp_path / "my.dump"
    with django_db_blocker.unblock():
        try:
            my = _create("my", "913")
            with schema_context("my"):
                numbers = [CandidateFactory(name=f"Person {i}").cpr for i in range(3)]
            manifest = jobcenter_export(jobcenter=my, path=dump)
            assert manifest["counts"]["candidates_candidate"] == 3
            my.delete(force_drop=True)

            with override_settings(CPR_ENCRYPTION_KEY=OTHER_CPR_KEY, CPR_HMAC_KEY="en-anden-hmac"):
                # Without the source's key nothing is imported.
                with pytest.raises(ValidationError, match="kan ikke dekrypteres"):
                    jobcenter_import(path=dump, schema_name="ny", domain="ny.test.localhost")
                assert not schema_exists("ny") and not schema_exists("my")
                assert not Jobcenter.objects.filter(schema_name="ny").exists()

                report = jobcenter_import(
                    path=dump,
                    schema_name="ny",
                    domain="ny.test.localhost",
                    source_cpr_keys=source_key,
                )
                assert report["cpr_checked"] == 3
                assert report["rekeyed"]["cpr"] == 3
                assert Domain.objects.get(domain="ny.test.localhost").tenant.schema_name == "ny"
                with schema_context("ny"):
                    assert sorted(Candidate.objects.values_list("cpr", flat=True)) == sorted(
                        numbers
                    )
                    assert candidate_by_cpr(cpr=numbers[0]).name == "Person 0"
                    # Re-encrypted: the source's key no longer opens the stored tokens.
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT cpr FROM candidates_candidate LIMIT 1")
                        token = cursor.fetchone()[0]
                    with pytest.raises(InvalidToken):
                        Fernet(source_key.encode()).decrypt(token.encode())
                # A second import of the same file is refused: the schema and domain are taken.
                with pytest.raises(ValidationError, match="findes allerede"):
                    jobcenter_import(path=dump, schema_name="ny", domain="ny.test.localhost")
        finally:
            for schema in ("my", "ny"):
                jobcenter = Jobcenter.objects.filter(schema_name=schema).first()
                if jobcenter is not None:
                    jobcenter.delete(force_drop=True)
                with connection.cursor() as cursor:
                    cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


# --- Creating a jobcentre from the platform admin, as a background run ---------------------


@pytest.fixture
def operator(db):  # noqa: ARG001 - a fixture asked for its effect
    """A platform superuser signed in on the public host, two-factor login set up."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.test import Client

    from accounts.services import user_create

    from ..conftest import PUBLIC_HOST

    with schema_context("public"):
        user = user_create(
            email="drift@platform.test",
            password=PASSWORD,
            roles=[],
            is_staff=True,
            is_superuser=True,
        )
        TOTP.activate(user, generate_totp_secret())
    client = Client(HTTP_HOST=PUBLIC_HOST)
    client.force_login(user)
    return client


CREATION = {
    "name": "Jobcenter Nu",
    "schema_name": "nu",
    "domain": "nu.test.localhost",
    "municipality_code": "914",
    "admin_email": "admin@nu.test",
}


def test_the_platform_admin_creates_a_jobcentre_in_the_background_and_sees_its_steps(operator):
    from provisioning.models import JobcenterCreation
    from provisioning.tasks import jobcenter_creation_task

    response = operator.post("/admin/provisioning/jobcentercreation/add/", CREATION)
    run = JobcenterCreation.objects.get(schema_name="nu")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/provisioning/jobcentercreation/{run.pk}/change/"
    assert run.state == "queued" and not Jobcenter.objects.filter(schema_name="nu").exists()
    page = operator.get(response["Location"]).content.decode()
    # The page polls the run's status partial while it is pending.
    assert f'hx-get="/admin/provisioning/jobcentercreation/{run.pk}/status/"' in page
    assert "I kø" in page

    # What the worker does (the task's own function, in this process and transaction).
    jobcenter_creation_task.run(run.pk)

    run.refresh_from_db()
    assert run.state == "done" and run.step == "Færdig"
    assert run.jobcenter.schema_name == "nu"
    status = operator.get(f"/admin/provisioning/jobcentercreation/{run.pk}/status/")
    body = status.content.decode()
    assert "Jobcenter Nu er oprettet." in body and "hx-get" not in body
    assert f"/admin/tenants/jobcenter/{run.jobcenter_id}/change/" in body
    with schema_context("nu"):
        from accounts.models import User

        assert User.objects.get(email="admin@nu.test").has_role("admin")


def test_a_taken_schema_is_refused_in_danish_and_nothing_is_queued(operator):
    from provisioning.models import JobcenterCreation

    response = operator.post(
        "/admin/provisioning/jobcentercreation/add/", {**CREATION, "schema_name": "alpha"}
    )
    assert response.status_code == 200
    assert "Der findes allerede et jobcenter med skemaet" in response.content.decode()
    assert not JobcenterCreation.objects.exists()


def test_a_jobcentres_admin_cannot_create_jobcentres(tenant_a):
    from django.test import Client

    from ..conftest import make_user

    admin = make_user(tenant_a, "admin", email="chef-admin@alpha.test")
    client = Client(HTTP_HOST="alpha.test.localhost")
    with schema_context("alpha"):
        client.force_login(admin)
    response = client.post("/admin/provisioning/jobcentercreation/add/", CREATION)
    assert response.status_code in (302, 403, 404)
    assert not Jobcenter.objects.filter(schema_name="nu").exists()
