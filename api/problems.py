"""Errors as RFC 9457 problem details (application/problem+json), `detail` in Danish.

Every error the API answers goes through here: the views raise `Problem`, and the
handlers turn ninja's own errors (authentication, validation of the request) and Django's
404 into the same shape, so a client needs one error parser.
"""

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

PROBLEM_TYPE = "https://virksomhedscenter.dk/problemer/"
CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Forkert forespørgsel",
    401: "Ikke godkendt",
    403: "Ingen adgang",
    404: "Findes ikke",
    409: "Konflikt",
    412: "Forudsætning ikke opfyldt",
    422: "Ugyldige data",
    429: "For mange forespørgsler",
}


class ProblemOut(Schema):
    """RFC 9457 problem details; `detail` is Danish and meant for a person."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict] | None = None


class Problem(Exception):
    def __init__(
        self,
        status: int,
        detail: str,
        *,
        code: str = "",
        errors: list[dict] | None = None,
        headers: dict | None = None,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code or {401: "ikke-godkendt", 403: "ingen-adgang", 404: "findes-ikke"}.get(
            status, "fejl"
        )
        self.errors = errors
        self.headers = headers or {}


def problem_response(api, request: HttpRequest, problem: Problem) -> HttpResponse:
    body = {
        "type": PROBLEM_TYPE + problem.code,
        "title": TITLES.get(problem.status, "Fejl"),
        "status": problem.status,
        "detail": problem.detail,
        "instance": request.path,
    }
    if problem.errors is not None:
        body["errors"] = problem.errors
    response = api.create_response(request, body, status=problem.status)
    response["Content-Type"] = CONTENT_TYPE
    for name, value in problem.headers.items():
        response[name] = value
    if problem.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="virksomhedscenter"'
    return response


def _field_errors(exc: NinjaValidationError) -> list[dict]:
    """Which parameter was wrong, in words a developer can act on (no input echoed)."""
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        errors.append({"felt": ".".join(location), "fejl": error.get("type", "ugyldig")})
    return errors


def install_handlers(api) -> None:
    @api.exception_handler(Problem)
    def _problem(request, exc):
        return problem_response(api, request, exc)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):  # noqa: ARG001 - ninja fixes the signature
        return problem_response(
            api,
            request,
            Problem(
                401,
                "Angiv en gyldig API-nøgle i headeren Authorization: Bearer <nøgle>. "
                "Nøglen kan være udløbet eller tilbagekaldt.",
            ),
        )

    @api.exception_handler(NinjaValidationError)
    def _invalid(request, exc):
        return problem_response(
            api,
            request,
            Problem(
                422,
                "Forespørgslens parametre eller indhold er ugyldige; se `errors`.",
                code="ugyldige-data",
                errors=_field_errors(exc),
            ),
        )

    @api.exception_handler(Http404)
    def _not_found(request, exc):  # noqa: ARG001 - ninja fixes the signature
        return problem_response(api, request, Problem(404, "Det efterspurgte findes ikke."))

    @api.exception_handler(HttpError)
    def _http_error(request, exc):
        status = exc.status_code if exc.status_code in TITLES else 400
        return problem_response(
            api, request, Problem(status, "Forespørgslen kunne ikke behandles.", code="fejl")
        )


# The error answers every operation may give, for the OpenAPI document.
ERRORS = {
    401: ProblemOut,
    403: ProblemOut,
    422: ProblemOut,
    429: ProblemOut,
}
ERRORS_WITH_404 = {**ERRORS, 404: ProblemOut}
