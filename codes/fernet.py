"""Secrets at rest: Fernet (AES-128-CBC + HMAC) with keys named by a setting.

The setting holds one or more comma-separated Fernet keys (Fernet.generate_key()): the
first encrypts, all decrypt, so a key is rotated by putting the new one first. Each kind of
secret has its own setting (CPR numbers: candidates/cpr_crypto.py, CPR_ENCRYPTION_KEY;
two-factor secrets: accounts/mfa_crypto.py, MFA_ENCRYPTION_KEY), rotated on its own.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=8)
def _multi_fernet(setting: str, keys: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"{setting} must be one or more comma-separated Fernet keys (Fernet.generate_key())."
        ) from exc


def keyring(setting: str) -> MultiFernet:
    """The keys of settings.<setting>; ImproperlyConfigured when it is unset or malformed."""
    keys = getattr(settings, setting, "")
    if not keys:
        raise ImproperlyConfigured(f"{setting} must be set.")
    return _multi_fernet(setting, keys)


def encrypt(text: str, *, setting: str) -> str:
    return keyring(setting).encrypt(text.encode()).decode()


def decrypt(token: str, *, setting: str, what: str) -> str:
    """The text in a token; ImproperlyConfigured (naming `what`) when no key opens it."""
    try:
        return keyring(setting).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            f"{what} could not be decrypted: {setting} does not hold its key."
        ) from exc


def is_encrypted(value: str, *, setting: str) -> bool:
    """True when `value` is a token of the setting's keys."""
    try:
        keyring(setting).decrypt(value.encode())
    except InvalidToken:
        return False
    return True
