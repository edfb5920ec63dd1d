"""Two-factor secrets at rest: Fernet with settings.MFA_ENCRYPTION_KEY (accounts.adapters),
also the pending TOTP secret of a set-up in progress (accounts.forms).

Kept apart from the CPR key (candidates/cpr_crypto.py): a different secret, rotated on its
own. The key may list several comma-separated Fernet keys: the first encrypts, all decrypt
(codes/fernet.py).
"""

from codes import fernet

SETTING = "MFA_ENCRYPTION_KEY"


def mfa_encrypt(text: str) -> str:
    return fernet.encrypt(text, setting=SETTING)


def mfa_decrypt(token: str) -> str:
    """The secret in a token; raises ImproperlyConfigured when no key opens it."""
    return fernet.decrypt(token, setting=SETTING, what="A two-factor secret")


def mfa_is_encrypted(value: str) -> bool:
    """True when `value` is a token of our keys (the migration encrypts only the others)."""
    return fernet.is_encrypted(value, setting=SETTING)
