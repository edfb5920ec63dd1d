from django.apps import AppConfig


class CandidatesConfig(AppConfig):
    name = "candidates"
    verbose_name = "Kandidater"

    def ready(self):
        # The audit pages and the retention job reach candidates through audit/people.py:
        # audit stands on the ground floor and imports no domain app.
        from audit.links import RecordLink, record_link_declare
        from audit.people import People, people_declare

        from . import gdpr, permissions, selectors
        from .models import Candidate

        people_declare(
            People(
                model=Candidate,
                by_cpr=selectors.candidate_by_cpr,
                personal_data=gdpr.candidate_personal_data,
                due_for_anonymisation=gdpr.candidates_due_for_anonymisation,
                anonymise=gdpr.candidates_anonymise,
            )
        )
        # The audit log's entries link to their course and referral pages (issue 23); the
        # candidate itself links to its own audit trail there.
        record_link_declare(
            "candidates.course", RecordLink("candidates:course", permissions.can_read)
        )
