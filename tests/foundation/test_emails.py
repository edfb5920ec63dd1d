"""The mails are rendered from templates: subject, text and HTML, word for word as before."""

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from accounts.emails import email_render


def test_signing_link_mail_text_subject_and_html():
    message = email_render(
        template="contracts/email/signing_link",
        context={
            "link": SimpleNamespace(director_name="Dorthe Direktør"),
            "contract": SimpleNamespace(centre="Ærø & Søn Virksomhedscenter"),
            "version": 2,
            "jobcenter": "Jobcenter Alfa",
            "url": "http://alpha.test.localhost/kontrakter/underskriv/abc/",
            "expires": datetime(2026, 3, 4, 9, 5, tzinfo=ZoneInfo("Europe/Copenhagen")),
        },
    )
    assert message.subject == "Centerkontrakt til underskrift: Ærø & Søn Virksomhedscenter"
    assert message.body == (
        "Kære Dorthe Direktør\n\n"
        "Jobcenter Alfa beder dig underskrive centerkontrakten for Ærø & Søn Virksomhedscenter"
        " (tillæg, version 2).\n\n"
        "Læs kontrakten og underskriv her:\nhttp://alpha.test.localhost/kontrakter/underskriv/abc/"
        "\n\nLinket virker én gang og udløber 04.03.2026 kl. 09:05.\n"
    )
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="http://alpha.test.localhost/kontrakter/underskriv/abc/"' in html
    assert "Ærø &amp; Søn" in html  # escaped in HTML, not in the text


def test_signing_link_mail_of_the_first_version_names_no_amendment():
    message = email_render(
        template="contracts/email/signing_link",
        context={
            "link": SimpleNamespace(director_name="D"),
            "contract": SimpleNamespace(centre="C"),
            "version": 1,
            "jobcenter": "J",
            "url": "u",
            "expires": datetime(2026, 3, 4, 9, 5, tzinfo=ZoneInfo("Europe/Copenhagen")),
        },
    )
    assert "tillæg" not in message.body
    assert "centerkontrakten for C.\n" in message.body


def test_attendance_flag_mail():
    course = SimpleNamespace(
        candidate=SimpleNamespace(name="Karin Kandidat"),
        contract=SimpleNamespace(centre=SimpleNamespace(name="Brugsen Lager")),
    )
    message = email_render(
        template="mentors/email/attendance_flag",
        context={"course": course, "date": date(2025, 3, 5), "reason": "Kom ikke", "url": "U"},
    )
    assert message.subject == "Fremmødeproblem: Karin Kandidat"
    assert message.body == (
        "Der er meldt et fremmødeproblem for Karin Kandidat i Brugsen Lager den 05.03.2025."
        "\n\nKom ikke\n\nSe fremmødet: U\n"
    )


def test_mentor_invitation_mail_with_and_without_the_jobcentres_name():
    user = SimpleNamespace(get_full_name=lambda: "Mia Mentor", email="mia@firma.dk")
    context = {"user": user, "jobcentre": "Jobcenter Alfa", "link": "L", "site_url": "S"}
    message = email_render(template="mentors/email/mentor_invitation", context=context)
    assert message.subject == "Du er inviteret som virksomhedsmentor"
    assert message.body == (
        "Hej Mia Mentor\n\n"
        "Du er oprettet som virksomhedsmentor i Virksomhedscenter hos Jobcenter Alfa. "
        "Her registrerer du kandidaternes fremmøde.\n\nVælg din adgangskode her:\nL\n\n"
        "Derefter logger du ind med din e-mail mia@firma.dk på S/\n"
    )
    nameless = SimpleNamespace(get_full_name=lambda: "", email="mia@firma.dk")
    context.update(user=nameless, jobcentre="")
    message = email_render(template="mentors/email/mentor_invitation", context=context)
    assert message.body.startswith("Hej mia@firma.dk\n\nDu er oprettet som virksomhedsmentor i ")
    assert "Virksomhedscenter. Her" in message.body
