"""SAML details allauth's `saml` provider leaves out, added in one place.

1. Signing-certificate rollover: a municipality's IdP publishes its next certificate beside
   the current one for a while (KOMBIT: weeks before the switch). allauth passes one
   `x509cert` to python3-saml; python3-saml itself accepts several (`x509certMulti`) and
   checks a signature against each. `install()` wraps allauth's `build_saml_config` so that
   `settings["idp"]["x509cert_multi"]` reaches python3-saml.
2. The IdP's authentication time and level (AuthnInstant, AuthnContextClassRef) are kept
   in the social account's extra data beside the attributes (`MunicipalSAMLProvider`).
3. Metadata import (URL or XML) through python3-saml's parser.
"""

from allauth.socialaccount.providers.saml import utils as saml_utils
from allauth.socialaccount.providers.saml.provider import SAMLProvider
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

AUTHN_INSTANT = "vc:authn_instant"
AUTHN_CONTEXT = "vc:authn_context"
# For single logout: the LogoutRequest names the subject and the IdP's session.
NAME_ID = "vc:name_id"
NAME_ID_FORMAT = "vc:name_id_format"
SESSION_INDEX = "vc:session_index"

_original_build_saml_config = saml_utils.build_saml_config


def build_saml_config(request, provider_config, org) -> dict:
    config = _original_build_saml_config(request, provider_config, org)
    certs = [c for c in provider_config.get("idp", {}).get("x509cert_multi", []) if c]
    if len(certs) > 1:
        config["idp"]["x509certMulti"] = {"signing": certs}
    return config


def install() -> None:
    """Called once from SsoConfig.ready(); build_auth looks the function up at call time."""
    saml_utils.build_saml_config = build_saml_config


class MunicipalSAMLProvider(SAMLProvider):
    """allauth's SAML provider, also keeping when and how strongly the IdP authenticated."""

    # allauth includes "<package>.urls" of every provider: allauth's SAML URLs, not ours.
    package = "allauth.socialaccount.providers.saml"

    def extract_extra_data(self, data):
        extra = dict(data.get_attributes())
        # The response python3-saml validated (its signature and conditions checked).
        document = getattr(data, "_last_response", None)
        instants = []
        if document is not None and hasattr(document, "xpath"):
            instants = document.xpath(
                "//saml:Assertion/saml:AuthnStatement/@AuthnInstant",
                namespaces={"saml": OneLogin_Saml2_Constants.NS_SAML},
            )
        extra[AUTHN_INSTANT] = [str(instants[0])] if instants else []
        extra[AUTHN_CONTEXT] = list(data.get_last_authn_contexts() or [])
        extra[NAME_ID] = [data.get_nameid() or ""]
        extra[NAME_ID_FORMAT] = [data.get_nameid_format() or ""]
        extra[SESSION_INDEX] = [data.get_session_index() or ""]
        return extra


def idp_from_metadata(*, xml: str = "", url: str = "", entity_id: str = "") -> dict:
    """The IdP's entity id, sign-on and logout URLs and signing certificates from its
    metadata. Raises ValueError (Danish) when the metadata cannot be read or lacks them."""
    try:
        if url:
            xml = OneLogin_Saml2_IdPMetadataParser.get_metadata(url, timeout=10).decode()
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml, entity_id=entity_id or None)
    except Exception as exc:  # noqa: BLE001 - any failure of a foreign document is a user error
        raise ValueError(f"Metadata kunne ikke læses: {exc}") from exc
    idp = parsed.get("idp") or {}
    certs = list(idp.get("x509certMulti", {}).get("signing", []))
    if not certs and idp.get("x509cert"):
        certs = [idp["x509cert"]]
    sso_url = idp.get("singleSignOnService", {}).get("url", "")
    if not idp.get("entityId") or not sso_url or not certs:
        raise ValueError(
            "Metadata skal angive IdP'ens entity id, login-adresse (SingleSignOnService) "
            "og mindst ét signeringscertifikat."
        )
    return {
        "entity_id": idp["entityId"],
        "sso_url": sso_url,
        "slo_url": idp.get("singleLogoutService", {}).get("url", ""),
        "certificates": certs[:2],
    }
