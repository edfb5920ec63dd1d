"""A real SAML 2.0 identity provider for the single sign-on tests: pysaml2's IdP on loopback.

It stands in for KOMBIT's context handler (OIOSAML 3 attribute names) or a municipality's
AD FS / Entra ID: it reads the service provider's metadata, receives the AuthnRequest by
HTTP-Redirect, shows a sign-in page, and answers by HTTP-POST with a response whose
assertion it signs with xmlsec1 (pysaml2's XMLSecurity backend). Single logout by
HTTP-Redirect both ways.

    python tests/sso/saml_idp.py CONFIG.json

CONFIG: {"base": "http://127.0.0.1:8312", "port": 8312, "workdir": DIR,
         "keys": {"a": [KEY.pem, CERT.pem], "b": [...], "rogue": [...]},
         "users": {"bent": {"ATTRIBUTE NAME": ["value", ...], ...}}}
Control (tests only): PUT /_control/sp (body: the SP's metadata XML) trusts one more SP;
PUT /_control/users/ID (JSON attributes); PUT /_control/mode (JSON: "sign_with": a key
name, "audience": an audience to state instead of the SP's, "expired": true) - each makes
exactly one thing about the next responses wrong.
"""

import html
import json
import sys
import time
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.assertion import Policy
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.time_util import in_a_while, instant
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

NSIS_SUBSTANTIAL = "https://data.gov.dk/concept/core/nsis/loa/Substantial"


class TestPolicy(Policy):
    """pysaml2's policy, with the audience or the lifetime made wrong on request."""

    audience: str | None = None
    expired = False

    def conditions(self, sp_entity_id):
        conditions = super().conditions(self.audience or sp_entity_id)
        if self.expired:
            conditions.not_before = instant(time_stamp=time.time() - 7200)
            conditions.not_on_or_after = in_a_while(minutes=-60)
        return conditions


class Idp:
    def __init__(self, config: dict):
        self.base = config["base"]
        self.keys = config["keys"]
        self.users = config["users"]
        self.sp_metadata: list[str] = []
        self.pending: dict[str, tuple] = {}
        self.mode: dict = {}
        self.server = self._server("a")

    def _idp_config(self, key: str) -> dict:
        key_file, cert_file = self.keys[key]
        return {
            "entityid": self.base + "/metadata",
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [(self.base + "/sso", BINDING_HTTP_REDIRECT)],
                        "single_logout_service": [(self.base + "/slo", BINDING_HTTP_REDIRECT)],
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": False,
                    "sign_assertion": True,
                    "sign_response": False,
                }
            },
            "key_file": key_file,
            "cert_file": cert_file,
            "metadata": {"inline": list(self.sp_metadata)},
            "xmlsec_binary": "/usr/bin/xmlsec1",
            "allow_unknown_attributes": True,
        }

    def _server(self, key: str) -> Server:
        config = IdPConfig()
        config.load(self._idp_config(key))
        server = Server(config=config)
        policy = TestPolicy({"default": {"lifetime": {"minutes": 5}}})
        policy.audience = self.mode.get("audience")
        policy.expired = bool(self.mode.get("expired"))
        config.setattr("idp", "policy", policy)
        return server

    def metadata(self) -> str:
        return create_metadata_string(None, config=self._server("a").config, valid=24)

    # The pages ---------------------------------------------------------------------------
    def sso(self, query: dict):
        request = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        message = request.message
        self.pending[message.id] = (message, query.get("RelayState", [""])[0])
        return _page(
            "Kommunens login (test-IdP)",
            f'<form method="post" action="/login"><input type="hidden" name="key" '
            f'value="{html.escape(message.id)}"><label>Brugernavn <input name="username">'
            '</label><button type="submit">Log ind</button></form>',
        )

    def login(self, form: dict):
        message, relay_state = self.pending.pop(form["key"][0])
        user = form["username"][0]
        if user not in self.users:
            return _page("Ukendt bruger", "<p>Ukendt bruger.</p>")
        server = self._server(self.mode.get("sign_with", "a"))
        acs_url = message.assertion_consumer_service_url
        response = server.create_authn_response(
            identity=self.users[user],
            in_response_to=message.id,
            destination=acs_url,
            sp_entity_id=message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=f"persistent-{user}"),
            authn={"class_ref": NSIS_SUBSTANTIAL, "authn_instant": time.time() - 30},
            sign_assertion=True,
            sign_response=False,
            # pysaml2 still defaults to SHA-1, which python3-saml refuses (rightly).
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        info = server.apply_binding(
            BINDING_HTTP_POST, str(response), acs_url, relay_state, response=True
        )
        return "200 OK", [("Content-Type", "text/html")], info["data"]

    def slo(self, query: dict):
        request = self.server.parse_logout_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        response = self.server.create_logout_response(request.message, [BINDING_HTTP_REDIRECT])
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            self._sls_of(request.message.issuer.text),
            query.get("RelayState", [""])[0],
            response=True,
        )
        return "302 Found", info["headers"], ""

    def _sls_of(self, entity_id: str) -> str:
        services = self.server.metadata.single_logout_service(
            entity_id, BINDING_HTTP_REDIRECT, "spsso"
        )
        return services[0]["location"]

    def control(self, path: str, body: bytes):
        if path == "/_control/sp":
            self.sp_metadata.append(body.decode())
        elif path == "/_control/mode":
            self.mode = json.loads(body or b"{}")
        elif path.startswith("/_control/users/"):
            self.users[path.rsplit("/", 1)[1]] = json.loads(body)
        self.server = self._server("a")
        return "200 OK", [("Content-Type", "application/json")], '{"ok": true}'

    def __call__(self, environ, start_response):
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        query = parse_qs(environ.get("QUERY_STRING", ""))
        try:
            if path.startswith("/_control/") and method == "PUT":
                status, headers, text = self.control(path, body)
            elif path == "/metadata":
                status, headers, text = "200 OK", [("Content-Type", "text/xml")], self.metadata()
            elif path == "/sso":
                status, headers, text = self.sso(query)
            elif path == "/login" and method == "POST":
                status, headers, text = self.login(parse_qs(body.decode()))
            elif path == "/slo":
                status, headers, text = self.slo(query)
            else:
                status, headers, text = "404 Not Found", [("Content-Type", "text/plain")], "nej"
        except Exception as exc:  # noqa: BLE001 - a test IdP answers every error in plain text
            status, headers, text = "500 Error", [("Content-Type", "text/plain")], repr(exc)
        start_response(status, headers)
        return [text.encode() if isinstance(text, str) else text]


def _page(title: str, body: str):
    text = f"<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1>{body}"
    return "200 OK", [("Content-Type", "text/html; charset=utf-8")], text + "</body></html>"


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        pass


def main() -> None:
    with open(sys.argv[1]) as handle:
        config = json.load(handle)
    server = make_server("127.0.0.1", config["port"], Idp(config), handler_class=QuietHandler)
    print(f"saml idp listening on {config['base']}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
