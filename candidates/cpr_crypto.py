"""CPR numbers at rest: encrypted (Fernet, AES-128-CBC + HMAC) and found by a blind index.

The column `cpr` holds a Fernet token, so a database dump, a backup or a replica never shows
a CPR number. Fernet is randomised (the same number encrypts differently every time), so
exact lookup and uniqueness go through `cpr_hmac`: HMAC-SHA256 of the number with a second,
separate key. Both keys come from the environment (settings.CPR_ENCRYPTION_KEY,
settings.CPR_HMAC_KEY); CPR_ENCRYPTION_KEY may list several comma-separated keys for
rotation: the first encrypts, all decrypt (codes/fernet.py).

Python code keeps reading `candidate.cpr` as the plain number. Filtering on `cpr` is
refused (it could never match a randomised token): look a person up with
`candidates.selectors.candidate_by_cpr()` or filter on `cpr_hmac=cpr_hmac(number)`.
"""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from codes import fernet
from codes.cpr import cpr_normalise

SETTING = "CPR_ENCRYPTION_KEY"


def _hmac_key() -> bytes:
    key = getattr(settings, "CPR_HMAC_KEY", "")
    if not key:
        raise ImproperlyConfigured("CPR_HMAC_KEY must be set.")
    return key.encode()


def cpr_encrypt(cpr: str) -> str:
    return fernet.encrypt(cpr, setting=SETTING)


def cpr_decrypt(token: str) -> str:
    """The number in a token; raises ImproperlyConfigured when no key opens it."""
    return fernet.decrypt(token, setting=SETTING, what="A CPR number")


def cpr_hmac(cpr: str) -> str:
    """The blind index of a CPR number (64 hex digits): equal numbers, equal index."""
    return hmac.new(_hmac_key(), cpr_normalise(cpr).encode(), hashlib.sha256).hexdigest()


class EncryptedCprField(models.TextField):
    """A CPR number, plain in Python and a Fernet token in the database."""

    description = "CPR-nummer (krypteret)"

    def from_db_value(self, value, expression, connection):  # noqa: ARG002 - the framework fixes the signature
        return None if value is None else cpr_decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value in (None, "") else cpr_encrypt(value)

    def get_lookup(self, lookup_name):
        # A randomised token never equals anything: refuse loudly instead of matching nothing.
        if lookup_name != "isnull":
            raise NotImplementedError(
                f"cpr__{lookup_name} is not possible on an encrypted column; "
                "use candidate_by_cpr() or cpr_hmac."
            )
        return super().get_lookup(lookup_name)


class CprHmacField(models.CharField):
    """The blind index of the model's `cpr`, recomputed on every save and bulk_create."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):  # noqa: ARG002 - the framework fixes the signature
        value = cpr_hmac(model_instance.cpr) if model_instance.cpr else None
        setattr(model_instance, self.attname, value)
        return value
