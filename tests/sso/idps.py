"""The two real identity provider processes of the single sign-on tests, and their keys.

`oidc_idp()` runs tests/sso/oidc_provider.mjs (npm's oidc-provider under Node) and
`saml_idp()` runs tests/sso/saml_idp.py (pysaml2, signing with xmlsec1), each on its own
loopback port in the range this suite's single sign-on tests use (SSO_PORT_BASE, 8310:
the live server, +1 OpenID Connect, +2 SAML). `Control` changes what they send next.
"""

import base64
import contextlib
import datetime
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
PORT_BASE = int(os.environ.get("SSO_PORT_BASE", "8310"))
LIVE_PORT, OIDC_PORT, SAML_PORT = PORT_BASE, PORT_BASE + 1, PORT_BASE + 2
OIDC_ISSUER = f"http://127.0.0.1:{OIDC_PORT}"
SAML_BASE = f"http://127.0.0.1:{SAML_PORT}"


def missing_tools() -> str | None:
    if not shutil.which("node"):
        return "no node (apt-get install nodejs)"
    if not (ROOT / "node_modules" / "oidc-provider").exists():
        return "oidc-provider is not installed (npm ci)"
    if not shutil.which("xmlsec1"):
        return "no xmlsec1 (apt-get install xmlsec1)"
    return None


@dataclass
class KeyPair:
    key_file: str
    cert_file: str
    cert_body: str  # base64 DER, as metadata and python3-saml's settings carry it


def key_pair(directory: Path, name: str) -> KeyPair:
    """A fresh RSA key and its self-signed certificate, valid from yesterday for a year."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"test-idp-{name}")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    body = base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()
    return KeyPair(str(key_file), str(cert_file), body)


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the identity provider on {port} exited: {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"the identity provider on {port} did not start in {timeout} s")


@contextlib.contextmanager
def _process(args: list[str], port: int, log: Path):
    with open(log, "w") as out:
        process = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            _wait_for_port(port, process)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextlib.contextmanager
def oidc_idp(directory: Path, *, clients: list[dict], accounts: dict, claims: list[str]):
    config = {
        "issuer": OIDC_ISSUER,
        "port": OIDC_PORT,
        "clients": clients,
        "accounts": accounts,
        "claims": claims,
    }
    path = directory / "oidc.json"
    path.write_text(json.dumps(config))
    args = ["node", str(HERE / "oidc_provider.mjs"), str(path)]
    with _process(args, OIDC_PORT, directory / "oidc.log"):
        yield Control(OIDC_PORT)


@contextlib.contextmanager
def saml_idp(directory: Path, *, keys: dict[str, KeyPair], users: dict):
    config = {
        "base": SAML_BASE,
        "port": SAML_PORT,
        "keys": {name: [k.key_file, k.cert_file] for name, k in keys.items()},
        "users": users,
    }
    path = directory / "saml.json"
    path.write_text(json.dumps(config))
    args = [sys.executable, str(HERE / "saml_idp.py"), str(path)]
    with _process(args, SAML_PORT, directory / "saml.log"):
        yield Control(SAML_PORT)


class Control:
    """The test's handle on a running IdP (its /_control/ endpoints)."""

    def __init__(self, port: int):
        self.port = port

    def put(self, path: str, body) -> None:
        data = body if isinstance(body, bytes | str) else json.dumps(body)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("PUT", path, body=data)
            response = conn.getresponse()
            text = response.read().decode()
            assert response.status == 200, text
        finally:
            conn.close()

    def mode(self, **mode) -> None:
        self.put("/_control/mode", mode)

    def account(self, name: str, claims: dict) -> None:
        path = "/_control/accounts/" if self.port == OIDC_PORT else "/_control/users/"
        self.put(path + name, claims)

    def get(self, path: str) -> str:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path)
            return conn.getresponse().read().decode()
        finally:
            conn.close()


def http_get(host: str, port: int, path: str) -> tuple[int, str]:
    """GET from the live server with a jobcentre's Host header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": f"{host}:{port}"})
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()
