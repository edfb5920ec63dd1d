"""Rules of the integration API (issue 27), pure functions: scopes, keys, cursors, ETags.

A key is `vck_<prefix>_<secret>`: the prefix (8 characters) finds the row, the secret
(32 random bytes, url-safe base64) is checked against its SHA-256 digest. A digest of a
high-entropy random secret needs no slow password hash: nobody can guess it, and the
comparison is constant-time. The key is shown once, at creation; only the digest is kept.
"""

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

KEY_PREFIX = "vck"
PREFIX_LENGTH = 8

# Scope -> what it opens (shown on the admin page and in the OpenAPI document).
SCOPES: dict[str, str] = {
    "read:centres": "Virksomheder, centre, kontrakter (med tillæg og betalingsvilkår), pladser",
    "read:candidates": "Kandidater (uden CPR), henvisninger, forløb, fremmøde, mentortimer",
    "read:cpr": "Kandidaternes CPR-nummer (kun sammen med read:candidates)",
    "write:attendance": "Registrere dagens fremmøde, som mentoren gør",
    "write:referrals": "Henvise kandidater til ventelisten (opretter kandidaten ved behov)",
    "read:billing": "Afregningsopgørelser og deres elektroniske faktura (Peppol BIS 3.0)",
    "read:kpi": "Nøgletal for en periode",
}

# The most a page of a list holds, and the default.
PAGE_MAX = 200
PAGE_DEFAULT = 50


def scopes_valid(scopes: list[str]) -> list[str]:
    """The scopes in their canonical order; raises ValueError naming an unknown one."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValueError(f"Ukendt rettighed: {', '.join(unknown)}.")
    return [s for s in SCOPES if s in scopes]


def key_new() -> tuple[str, str, str]:
    """A new key: (the full key to show once, its prefix, the digest to store)."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    secret = secrets.token_urlsafe(32)
    return f"{KEY_PREFIX}_{prefix}_{secret}", prefix, key_digest(secret)


def key_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class KeyParts:
    prefix: str
    secret: str


def key_parse(token: str) -> KeyParts | None:
    """The prefix and secret of a presented key, or None when it has not the key's shape."""
    parts = (token or "").split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != PREFIX_LENGTH:
        return None
    if not all(c in "0123456789abcdef" for c in parts[1]) or not parts[2]:
        return None
    return KeyParts(prefix=parts[1], secret=parts[2])


def key_matches(*, secret: str, digest: str) -> bool:
    return hmac.compare_digest(key_digest(secret), digest)


# Cursors: where the previous page ended, as (updated_at, id) or (id,), opaque to clients.


def cursor_encode(*values) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(cursor: str, *, with_time: bool) -> tuple:
    """(datetime, id) or (id,) from a cursor; raises ValueError for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        raise ValueError("cursor") from exc
    if with_time:
        if (
            not isinstance(values, list)
            or len(values) != 2
            or not isinstance(values[0], str)
            or not isinstance(values[1], int)
            or isinstance(values[1], bool)
        ):
            raise ValueError("cursor")
        moment = datetime.fromisoformat(values[0])
        if moment.tzinfo is None:
            raise ValueError("cursor")
        return moment, values[1]
    if (
        not isinstance(values, list)
        or len(values) != 1
        or not isinstance(values[0], int)
        or isinstance(values[0], bool)
    ):
        raise ValueError("cursor")
    return (values[0],)


def etag_of(body: bytes) -> str:
    """A strong ETag of a response body (RFC 9110 §8.8.3)."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def request_fingerprint(*, method: str, path: str, body: bytes) -> str:
    """What an Idempotency-Key is bound to: the same key with another request is refused."""
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()
