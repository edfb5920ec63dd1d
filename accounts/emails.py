"""The one way the project sends an e-mail: rendered from templates, sent on commit.

A mail named `<app>/email/<name>` has three templates in the app's templates folder:
`<name>_subject.txt` (one line), `<name>_body.txt` (the plain text) and `<name>_body.html`
(the same text as HTML). The text ones start with `{% autoescape off %}`: a name like
"Ærø & Søn" must arrive as written, not HTML-escaped.
"""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string


def email_render(*, template: str, context: dict[str, Any]) -> EmailMultiAlternatives:
    """The message of `template` with `context`, without recipients."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}_body.txt", context).strip() + "\n"
    html = render_to_string(f"{template}_body.html", context)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL)
    message.attach_alternative(html, "text/html")
    return message


def email_send(
    *, to: Sequence[str], template: str, context: dict[str, Any], fail_silently: bool = False
) -> None:
    """Render the mail now and send it to `to` once the current transaction commits.

    A rolled-back change mails nobody; outside a transaction the mail goes at once.
    Rendering now means a broken template fails the change, not a callback after it.
    """
    message = email_render(template=template, context=context)
    message.to = list(to)
    transaction.on_commit(lambda: message.send(fail_silently=fail_silently))
