"""Every read of a candidate's page or of an export with personal data goes into the audit
log, from one table here rather than a call in each view (the views belong to several
areas; a page added to the table is logged however its view is written).

A read is logged when an authenticated user gets a 200 answer to a GET of a URL named in
READS or EXPORTS. Changes (POST) are logged by the services that make them.
"""

from dataclasses import dataclass

from .context import current_ip
from .services import audit_access


def _candidate(pk):
    return pk


def _course(pk):
    from candidates.models import Course

    return Course.objects.filter(pk=pk).values_list("candidate_id", flat=True).first()


def _referral(pk):
    from candidates.models import Referral

    return Referral.objects.filter(pk=pk).values_list("candidate_id", flat=True).first()


@dataclass(frozen=True)
class Read:
    action: str
    purpose: str
    candidate_of: object  # pk -> candidate id


READS = {
    "candidates:detail": Read("candidate.view", "Sagsbehandling: kandidatens side", _candidate),
    "candidates:print": Read("candidate.print", "Udskrift af kandidatens side", _candidate),
    "candidates:refer": Read("candidate.view", "Henvisning af kandidaten", _candidate),
    "candidates:visitation": Read("candidate.view", "Visitation til et center", _referral),
    "candidates:course": Read("course.view", "Opfølgning på forløbet", _course),
    "candidates:course_agreement": Read("course.view", "Trepartsaftale", _course),
    "candidates:course_extend": Read("course.view", "Forlængelse af forløbet", _course),
    "candidates:course_end": Read("course.view", "Udslusning", _course),
    "mentors:course": Read("course.view", "Mentorens daglige arbejde med forløbet", _course),
    "mentors:consultant_course": Read("course.view", "Opfølgning på fremmøde", _course),
}

# Lists downloaded as files: (url name, query parameter that makes it a download or None).
EXPORTS = {
    "candidates:list": ("eksport", "Eksport af kandidatlisten"),
    "candidates:waiting_list": ("eksport", "Eksport af ventelisten"),
    "candidates:courses": ("eksport", "Eksport af forløbslisten"),
    "mentors:centre_export": (None, "Eksport af centrets fremmøde"),
}


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(request.META.get("REMOTE_ADDR") or None)
        try:
            response = self.get_response(request)
            self._log_read(request, response)
            return response
        finally:
            current_ip.reset(token)

    @staticmethod
    def _log_read(request, response) -> None:
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if (
            match is None
            or request.method != "GET"
            or response.status_code != 200
            or user is None
            or not user.is_authenticated
        ):
            return
        read = READS.get(match.view_name)
        if read is not None:
            candidate_id = read.candidate_of(match.kwargs.get("pk"))
            if candidate_id is not None:
                audit_access(
                    request=request,
                    action=read.action,
                    purpose=read.purpose,
                    candidate_id=candidate_id,
                )
            return
        export = EXPORTS.get(match.view_name)
        if export is not None:
            param, purpose = export
            if param is None or request.GET.get(param):
                audit_access(
                    request=request,
                    action="export",
                    purpose=purpose,
                    label=request.get_full_path()[:200],
                )
