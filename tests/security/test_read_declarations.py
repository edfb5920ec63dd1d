"""Every page about people declares its read for the audit log (audit/reads.py).

The candidate and mentor pages are walked in the URL conf: a view either carries a read
declaration or is listed below with the reason it logs none. A new page that shows a
candidate and declares nothing fails here, before it reaches a citizen's access log.
"""

from django.urls import URLPattern, URLResolver, get_resolver

# url name -> (action, purpose): the reads logged, as the audit log has always named them.
DECLARED = {
    "candidates:detail": ("candidate.view", "Sagsbehandling: kandidatens side"),
    "candidates:print": ("candidate.print", "Udskrift af kandidatens side"),
    "candidates:refer": ("candidate.view", "Henvisning af kandidaten"),
    "candidates:visitation": ("candidate.view", "Visitation til et center"),
    "candidates:course": ("course.view", "Opfølgning på forløbet"),
    "candidates:course_agreement": ("course.view", "Trepartsaftale"),
    "candidates:course_extend": ("course.view", "Forlængelse af forløbet"),
    "candidates:course_end": ("course.view", "Udslusning"),
    "mentors:course": ("course.view", "Mentorens daglige arbejde med forløbet"),
    "mentors:consultant_course": ("course.view", "Opfølgning på fremmøde"),
    "candidates:list": ("export", "Eksport af kandidatlisten"),
    "candidates:waiting_list": ("export", "Eksport af ventelisten"),
    "candidates:courses": ("export", "Eksport af forløbslisten"),
    "mentors:centre_export": ("export", "Eksport af centrets fremmøde"),
}

# Views that log no read, and why.
NOT_A_READ = {
    # Changes (POST only): the services log them.
    "candidates:withdraw",
    "candidates:course_hours",
    "candidates:goal_add",
    "candidates:goal_progress",
    "candidates:note_add",
    "candidates:course_follow_up",
    "mentors:attendance_save",
    "mentors:note_create",
    "mentors:flag_raise",
    "mentors:flag_resolve",
    # The full CPR number: the view logs the reveal itself, with the fields shown.
    "candidates:cpr_reveal",
    # A form for a new person: nobody is read yet.
    "candidates:register",
    # Work lists and statistics without a person's case (names of the day's courses only).
    "candidates:due",
    "mentors:today",
    "mentors:day",
    "mentors:week",
    "mentors:week_of",
    "mentors:hours",
    "mentors:centre_stats",
    "mentors:consultant_overview",
    "mentors:invite",
}

AREAS = ("candidates", "mentors")


def _views(resolver=None, namespace=""):
    resolver = resolver or get_resolver("config.urls")
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _views(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def _pages() -> dict:
    return {name: view for name, view in _views() if name.split(":")[0] in AREAS}


def _undeclared(pages: dict) -> set[str]:
    return {
        name
        for name, view in pages.items()
        if getattr(view, "audit_read", None) is None and name not in NOT_A_READ
    }


def test_every_candidate_and_mentor_page_declares_its_read_or_why_not():
    pages = _pages()
    assert _undeclared(pages) == set(), "declare @logs_read/@logs_export or list in NOT_A_READ"
    declared = {
        name: (view.audit_read.action, view.audit_read.purpose)
        for name, view in pages.items()
        if getattr(view, "audit_read", None) is not None
    }
    assert declared == DECLARED
    assert not (set(declared) & NOT_A_READ)


def test_a_new_candidate_page_without_a_declaration_is_caught():
    from django.contrib.auth.decorators import login_required

    from audit.reads import candidate_itself, logs_read

    def new_page(request, pk):  # noqa: ARG001 - never called
        raise AssertionError

    declared = login_required(
        logs_read(action="candidate.view", purpose="Ny side", candidate_of=candidate_itself)(
            new_page
        )
    )
    pages = {**_pages(), "candidates:new": login_required(new_page)}
    assert _undeclared(pages) == {"candidates:new"}
    assert _undeclared({**_pages(), "candidates:new": declared}) == set()
