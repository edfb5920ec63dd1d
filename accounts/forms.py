"""allauth's two-factor set-up form, with its pending secret encrypted in the session.

While a user sets up the authenticator app, allauth keeps the new TOTP secret in the session
(`mfa.totp.secret`) until the first code confirms it - in clear, in the session table
(settings.SESSION_ENGINE: the database), where a dump or a backup shows it. Here the same
session key holds the secret encrypted with the MFA key (accounts/mfa_crypto.py), as the
secret is once activated; allauth's clean-up after activation pops the key as before.
"""

from allauth.core import context
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, generate_totp_secret
from django import forms

from .mfa_crypto import mfa_decrypt, mfa_encrypt, mfa_is_encrypted


def pending_totp_secret(session, *, regenerate: bool) -> str:
    """The secret being set up: a new one when `regenerate` (the set-up page is shown) or
    none is pending; kept in `session` encrypted only."""
    token = None if regenerate else session.get(SECRET_SESSION_KEY)
    if token and mfa_is_encrypted(token):
        return mfa_decrypt(token)
    secret = generate_totp_secret()
    session[SECRET_SESSION_KEY] = mfa_encrypt(secret)
    return secret


class ActivateTOTPForm(AllauthActivateTOTPForm):
    """settings.MFA_FORMS["activate_totp"]: allauth's form but for where the secret waits."""

    def __init__(self, *args, **kwargs) -> None:
        self.user = kwargs.pop("user")
        # Not allauth's __init__: it would put the secret in the session in clear.
        forms.Form.__init__(self, *args, **kwargs)
        self.secret = pending_totp_secret(context.request.session, regenerate=not self.is_bound)
