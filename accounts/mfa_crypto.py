"""Two-factor secrets at rest: Fernet with settings.MFA_ENCRYPTION_KEY (accounts.adapters).

Kept apart from the CPR key (candidates/cpr_crypto.py): a different secret, rotated on its
own. The key may list several comma-separated Fernet keys: the first encrypts, all decrypt.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "MFA_ENCRYPTION_KEY must be one or more comma-separated Fernet keys "
            "(Fernet.generate_key())."
        ) from exc


def _key() -> str:
    key = getattr(settings, "MFA_ENCRYPTION_KEY", "")
    if not key:
        raise ImproperlyConfigured("MFA_ENCRYPTION_KEY must be set.")
    return key


def mfa_encrypt(text: str) -> str:
    return _fernet(_key()).encrypt(text.encode()).decode()


def mfa_decrypt(token: str) -> str:
    """The secret in a token; raises ImproperlyConfigured when no key opens it."""
    try:
        return _fernet(_key()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A two-factor secret could not be decrypted: MFA_ENCRYPTION_KEY does not hold its key."
        ) from exc


def mfa_is_encrypted(value: str) -> bool:
    """True when `value` is a token of our keys (the migration encrypts only the others)."""
    try:
        _fernet(_key()).decrypt(value.encode())
    except InvalidToken:
        return False
    return True
