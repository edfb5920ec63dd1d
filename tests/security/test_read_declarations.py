"""Every page about people declares its read for the audit log (audit/reads.py).

The candidate, centre, mentor and audit pages are walked in the URL conf: a view either
carries read declarations or is listed below with the reason it logs none. A new page that
shows a candidate and declares nothing fails here, before it reaches a citizen's access
log. A list page declares its list read (the candidates shown) besides its export.
"""

from django.urls import URLPattern, URLResolver, get_resolver

# url name -> (action, purpose) of each read declared, as the audit log names them; a list
# page of people logs a "list.view" with the candidates it showed (issue 17, finding 6).
LIST_READS = {
    "candidates:list": ("list.view", "Sagsbehandling: kandidatlisten"),
    "candidates:waiting_list": ("list.view", "Venteliste"),
    "candidates:courses": ("list.view", "Opfølgning: forløbslisten"),
    "centers:refill": ("list.view", "Venteliste: genbesættelse af en plads"),
    "audit:list": ("audit.list", "Revision: revisionssporet"),
    "audit:user": ("audit.user_log", "Revision: en brugers spor"),
    # Work lists that show names, logged from the rows the view has in hand (shown_by_view).
    "candidates:due": ("list.view", "Opfølgning: ugens forløb"),
    "mentors:today": ("list.view", "Mentorens registrering af fremmøde"),
    "mentors:day": ("list.view", "Mentorens registrering af fremmøde"),
    # "Alle mødt" answers with the day's list (issue 23).
    "mentors:all_present": ("list.view", "Mentorens registrering af fremmøde"),
    "mentors:week": ("list.view", "Mentorens registrering af fremmøde"),
    "mentors:week_of": ("list.view", "Mentorens registrering af fremmøde"),
    "mentors:centre_stats": ("list.view", "Fremmødestatistik for centret"),
    "mentors:consultant_overview": ("list.view", "Opfølgning på fremmødeproblemer"),
    "home": ("list.view", "Startsiden: dagens arbejde"),
}
DECLARED = {
    "audit:candidate": ("audit.candidate_log", "Revision: kandidatens revisionsspor"),
    "candidates:detail": ("candidate.view", "Sagsbehandling: kandidatens side"),
    "candidates:print": ("candidate.print", "Udskrift af kandidatens side"),
    "candidates:refer": ("candidate.view", "Henvisning af kandidaten"),
    "candidates:edit": ("candidate.view", "Ret kandidatens oplysninger"),
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
    "candidates:target_group",
    "candidates:course_hours",
    "candidates:goal_add",
    "candidates:goal_progress",
    "candidates:note_add",
    "candidates:course_follow_up",
    "mentors:attendance_save",
    "mentors:note_create",
    "mentors:flag_raise",
    "mentors:flag_resolve",
    "mentors:grant_extend",
    # Mentor support of a contract: places and course numbers, no person's name or data.
    "mentors:grants",
    # The full CPR number: the view logs the reveal itself, with the fields shown.
    "candidates:cpr_reveal",
    # A form for a new person: nobody is read yet.
    "candidates:register",
    # The audit pages' downloads log their own read (the access log, everything held).
    "audit:access_export",
    "audit:data_export",
    # Contracts' capacity: no person.
    "centers:list",
    # The mentor's own hours per centre: no candidate.
    "mentors:hours",
    "mentors:invite",
    # The invitation's MitID Erhverv start page: the invited mentor's own name, no candidate.
    "mentors:mitid_invitation",
}

AREAS = ("candidates", "centers", "mentors", "audit", "home")


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
        name: {(d.action, d.purpose) for d in view.audit_reads}
        for name, view in pages.items()
        if getattr(view, "audit_read", None) is not None
    }
    expected: dict[str, set] = {}
    for table in (DECLARED, LIST_READS):
        for name, read in table.items():
            expected.setdefault(name, set()).add(read)
    assert declared == expected
    assert not (set(declared) & NOT_A_READ)


def test_every_list_read_pages_as_its_view_and_names_the_candidates_it_shows():
    """A list read declares what it shows (`shown`); a paged list hands the rows of its
    page over (`shown_by_view`: documents/paging.py pages by keyset)."""
    from audit.reads import shown_by_view

    pages = _pages()
    for name in LIST_READS:
        reads = [d for d in pages[name].audit_reads if d.action == LIST_READS[name][0]]
        assert len(reads) == 1 and reads[0].shown is not None, name
    for name in ("candidates:list", "candidates:waiting_list", "candidates:courses"):
        reads = [d for d in pages[name].audit_reads if d.action == LIST_READS[name][0]]
        assert reads[0].shown is shown_by_view, name


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
