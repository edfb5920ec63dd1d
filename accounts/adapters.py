from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.utils import timezone

from .mfa_crypto import mfa_decrypt, mfa_encrypt
from .services import login_failure_record, login_failures_clear, login_locked_until


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):  # noqa: ARG002 - the framework fixes the signature
        # Accounts are created by the jobcentre (staff) or by invitation (mentors).
        return False

    def pre_authenticate(self, request, **credentials):
        """A locked account is refused before its password is even checked; then allauth's
        per-address limit (in the cache) applies."""
        email = credentials.get("email") or credentials.get("username") or ""
        if login_locked_until(email=email, now=timezone.now()):
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            login_failures_clear(email=credentials.get("email") or user.email)
        return user

    def authentication_failed(self, request, **credentials):  # noqa: ARG002 - allauth's hook
        email = credentials.get("email") or credentials.get("username") or ""
        login_failure_record(email=email, now=timezone.now())


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds encrypted at rest (Fernet).

    allauth stores them in `mfa_authenticator.data`; whoever reads that table (a dump, a
    backup, an admin) could otherwise compute every user's codes. The key is
    settings.MFA_ENCRYPTION_KEY: one or more comma-separated Fernet keys, the first encrypts
    and all decrypt (rotation). Existing secrets are encrypted by accounts migration 0003.
    """

    def encrypt(self, text: str) -> str:
        return mfa_encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_decrypt(encrypted_text)
