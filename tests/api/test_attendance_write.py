"""Attendance written through the API: the mentors' own service (same rules, same audit
log, the key named as who did it), today only, idempotent, and read back by changed-since."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from api.models import IdempotentRequest
from audit.models import AuditEvent
from candidates.models import Course
from mentors.models import Attendance

pytestmark = pytest.mark.django_db


def _body(course, day, status="present", hours="7.5"):
    return {"course_id": course.pk, "date": day.isoformat(), "status": status, "hours": hours}


def test_a_sync_writes_todays_attendance_and_reads_it_back_by_changed_since(api_as, world):
    course, today = world["alpha"]["course"], world["today"]
    client = api_as("alpha", ["read:candidates", "write:attendance"], name="KMD Momentum")
    since = timezone.now().isoformat()
    written = client.post("/api/v1/attendance", _body(course, today))
    assert written.status_code == 200
    assert written.json()["status"] == "present" and written.json()["hours"] == "7.5"
    back = client.get("/api/v1/attendance", {"changed_since": since}).json()["items"]
    assert [(a["course_id"], a["date"], a["status"], a["hours"]) for a in back] == [
        (course.pk, today.isoformat(), "present", "7.5")
    ]
    with schema_context("alpha"):
        event = AuditEvent.objects.get(action="attendance.record")
        assert event.actor_label == "API-nøgle: KMD Momentum"
        assert Attendance.objects.get(course=course, date=today).recorded_by.api_key.name == (
            "KMD Momentum"
        )
        read = AuditEvent.objects.get(action="api.attendance")
        assert read.subjects == [course.candidate_id] and read.is_access


def test_the_same_write_again_changes_nothing_and_a_correction_is_logged(api_as, world):
    course, today = world["alpha"]["course"], world["today"]
    client = api_as("alpha", ["write:attendance"])
    for _ in range(2):
        assert client.post("/api/v1/attendance", _body(course, today)).status_code == 200
    assert client.post("/api/v1/attendance", _body(course, today, "sick", None)).status_code == 200
    with schema_context("alpha"):
        assert Attendance.objects.get(course=course, date=today).status == "sick"
        actions = list(
            AuditEvent.objects.filter(action__startswith="attendance.").values_list(
                "action", flat=True
            )
        )
        assert sorted(actions) == ["attendance.correct", "attendance.record"]


def test_an_idempotency_key_replays_the_first_answer_and_refuses_another_request(api_as, world):
    course, today = world["alpha"]["course"], world["today"]
    client = api_as("alpha", ["write:attendance"])
    first = client.post("/api/v1/attendance", _body(course, today), **{"Idempotency-Key": "k-1"})
    assert first.status_code == 200
    again = client.post("/api/v1/attendance", _body(course, today), **{"Idempotency-Key": "k-1"})
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert json.loads(again.content) == first.json()
    other = client.post(
        "/api/v1/attendance", _body(course, today, "sick", None), **{"Idempotency-Key": "k-1"}
    )
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json()["detail"]
    with schema_context("alpha"):
        assert Attendance.objects.get(course=course, date=today).status == "present"
        assert IdempotentRequest.objects.count() == 1


def test_only_today_and_only_the_services_rules_and_nothing_changes_on_refusal(api_as, world):
    course, today = world["alpha"]["course"], world["today"]
    client = api_as("alpha", ["write:attendance"])
    yesterday = client.post("/api/v1/attendance", _body(course, today - timedelta(days=1)))
    assert yesterday.status_code == 422 and "kun dagens fremmøde" in yesterday.json()["detail"]
    too_many = client.post("/api/v1/attendance", _body(course, today, hours="0"))
    assert too_many.status_code == 422
    assert "mellem 0,1 og 24" in too_many.json()["detail"]
    unknown = client.post("/api/v1/attendance", {**_body(course, today), "course_id": 10**9})
    assert unknown.status_code == 404
    garbage = client.post("/api/v1/attendance", {"course_id": "x"})
    assert garbage.status_code == 422
    assert garbage["Content-Type"] == "application/problem+json"
    with schema_context("alpha"):
        assert not Attendance.objects.exists()


def test_a_key_cannot_write_another_jobcentres_course(api_as, world):
    beta_course, today = world["beta"]["course"], world["today"]
    with schema_context("alpha"):
        # Ids are per schema: the same number may name one of alpha's own courses.
        alpha_ids = set(Course.objects.values_list("pk", flat=True))
    response = api_as("alpha", ["write:attendance"]).post(
        "/api/v1/attendance", _body(beta_course, today)
    )
    assert response.status_code == (200 if beta_course.pk in alpha_ids else 404)
    with schema_context("beta"):
        assert not Attendance.objects.exists()
    read_only = api_as("alpha", ["read:candidates"])
    course = world["alpha"]["course"]
    assert read_only.post("/api/v1/attendance", _body(course, today)).status_code == 403
