"""Mentors sign in with MitID Erhverv (issue 26): allauth's social-account hook for the
jobcentre's mentors' providers (sso/, audience "mentor"). settings.SOCIALACCOUNT_ADAPTER
names this class; it adds the mentors' rules to sso's adapter (which knows no mentors).

- First login: the invitation link (`mentors:mitid_invitation`) put the invited user on the
  session; the MitID Erhverv identity (the professional's persistent id) is linked to that
  user, if the CVR is the company of one of the mentor's centres.
- Later logins: allauth finds the mentor by the persistent id alone (never by e-mail). A
  login for another CVR ends the access to each centre that company is not part of
  ("the mentor changed company"); with no centre left the login is refused.
Every refusal is a Danish page (sso/refused.html), changes nothing else and is audited.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError

from accounts.models import User
from sso.adapters import SocialAccountAdapter as SsoSocialAccountAdapter
from sso.adapters import refuse
from sso.services import flat_claims, mitid_login_read

from . import services
from .selectors import mentor_for_user

# The invited user's pk, put there by the invitation link, read at the first login.
INVITATION_SESSION_KEY = "mentor_mitid_invitation"

NOT_INVITED = (
    "Din MitID Erhverv-identitet er ikke knyttet til en virksomhedsmentor i dette jobcenter. "
    "Første gang skal du bruge linket i din invitation fra jobcentret."
)
NO_COMPANY = (
    "MitID Erhverv sendte ikke din virksomheds CVR-nummer eller dit medarbejder-id. "
    "Kontakt jobcentret."
)


NO_CENTRE = (
    "Du har ikke længere adgang til noget virksomhedscenter i dette jobcenter. "
    "Kontakt jobcentret, hvis du skal være mentor igen."
)


def changed_company_reason(login, ended: list, mentor) -> str:
    if not ended:
        return NO_CENTRE
    names = ", ".join(centre.name for centre in ended)
    return (
        f"Dit MitID Erhverv-login er nu for virksomheden med CVR {login.cvr}"
        f"{' (' + login.org_name + ')' if login.org_name else ''}. Din adgang til {names} "
        f"er derfor ophørt, fordi den hørte til din ansættelse hos {mentor.company.name} "
        f"(CVR {mentor.company.cvr}). Kontakt jobcentret, hvis du skal være mentor igen."
    )


class SocialAccountAdapter(SsoSocialAccountAdapter):
    def mentor_login(self, request, sociallogin, app):
        login = mitid_login_read(app=app, claims=flat_claims(sociallogin.account.extra_data))
        if not (login.uid and login.cvr):
            services.mentor_mitid_refused(user=None, reason="uden CVR/id", login=login)
            refuse(request, NO_COMPANY)
        if sociallogin.is_existing:
            self._existing(request, sociallogin, login)
        else:
            self._first(request, sociallogin, login)

    def _existing(self, request, sociallogin, login):
        user = sociallogin.user
        mentor = mentor_for_user(user)
        if mentor is None:
            services.mentor_mitid_refused(user=user, reason="ikke mentor", login=login)
            refuse(request, NOT_INVITED)
        ended = services.mentor_centres_end_for_login(mentor=mentor, login=login, acting_user=user)
        if not mentor.centres.exists():
            services.mentor_mitid_refused(user=user, reason="skiftet virksomhed", login=login)
            refuse(request, changed_company_reason(login, ended, mentor))
        if ended:
            messages.warning(request, changed_company_reason(login, ended, mentor))

    def _first(self, request, sociallogin, login):
        pk = request.session.get(INVITATION_SESSION_KEY)
        user = User.objects.filter(pk=pk).first() if pk else None
        mentor = mentor_for_user(user) if user is not None else None
        if (
            mentor is None
            or user.socialaccount_set.filter(provider=sociallogin.account.provider).exists()
        ):
            services.mentor_mitid_refused(user=user, reason="ikke inviteret", login=login)
            refuse(request, NOT_INVITED)
        try:
            services.mentor_mitid_link(
                mentor=mentor, sociallogin=sociallogin, request=request, login=login
            )
        except ValidationError as exc:
            services.mentor_mitid_refused(user=user, reason="forkert CVR", login=login)
            refuse(request, exc.messages[0])
        request.session.pop(INVITATION_SESSION_KEY, None)
