"""Rules of single sign-on: pure functions, no database.

A municipality's identity provider says who a person is and which job functions they hold;
we say what that means here. The role claim (OpenID Connect) or attribute (SAML) and the
mapping of its values to our five roles are the jobcentre's configuration (issue 25).
"""

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from accounts.roles import ROLE_MENTOR, ROLES

# allauth's authentication record method of a login through an identity provider.
SSO_METHOD = "socialaccount"

# Who signs in through a provider: the jobcentre's staff (issue 25) or company mentors with
# MitID Erhverv (issue 26).
AUDIENCE_STAFF, AUDIENCE_MENTOR = "staff", "mentor"

# MitID Erhverv's claims as NemLog-in names them (OIOSAML 3 attribute profile; OIDC brokers
# in front of NemLog-in pass the same URIs on as claim names). Each provider may rename them.
MITID_CLAIMS = {
    "uid": "https://data.gov.dk/model/core/eid/professional/uuid/persistent",
    "cvr": "https://data.gov.dk/model/core/eid/professional/cvr",
    "p_number": "https://data.gov.dk/model/core/eid/professional/productionUnit",
    "org_name": "https://data.gov.dk/model/core/eid/professional/orgName",
    "first_name": "https://data.gov.dk/model/core/eid/firstName",
    "last_name": "https://data.gov.dk/model/core/eid/lastName",
}


def claim_values(claims: Mapping[str, object], name: str) -> list[str]:
    """The values of claim or attribute `name` as a list of strings.

    OpenID Connect gives a string or a list; SAML (python3-saml) always a list; a claim the
    IdP did not send is no values. Values are stripped; empty ones dropped.
    """
    if not name:
        return []
    raw = claims.get(name)
    if raw is None:
        return []
    items: Iterable = raw if isinstance(raw, list | tuple) else [raw]
    return [str(item).strip() for item in items if str(item).strip()]


OIOBPP_NS = "http://itst.dk/oiosaml/basic_privilege_profile"


def oiobpp_privileges(value: str) -> list[str]:
    """The privileges of an OIO-BPP privilege list (KOMBIT's `privilegesIntermediate`:
    base64 of `<bpp:PrivilegeList><PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:
    CVR"><Privilege>URI</Privilege>...`), or [] when `value` is not one. The CVR scope is not
    checked here: each jobcentre is its own SP at KOMBIT (docs/sso.md)."""
    import base64
    import binascii

    from lxml import etree  # type: ignore[import-untyped]

    try:
        xml = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return []
    if b"PrivilegeList" not in xml:
        return []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(xml, parser=parser)
    except etree.XMLSyntaxError:
        return []
    return [
        (element.text or "").strip()
        for element in root.iter()
        if isinstance(element.tag, str)
        and etree.QName(element).localname == "Privilege"
        and (element.text or "").strip()
    ]


def with_privileges(values: Iterable[str]) -> list[str]:
    """The values as sent, each OIO-BPP privilege list expanded into its privileges."""
    result: list[str] = []
    for value in values:
        result.extend(oiobpp_privileges(value) or [value])
    return result


def roles_from_claims(values: Iterable[str], role_map: Mapping[str, str]) -> list[str]:
    """Our roles for the values the IdP sent: every value mapped to a known role, sorted.

    Values are compared exactly (a KOMBIT job-function role is a URI; an OIO-BPP privilege
    list counts as its privileges); a value with no mapping gives nothing, so a role
    removed at the IdP is gone at the next login.
    """
    wanted = {role_map[value] for value in with_privileges(values) if value in role_map}
    return sorted(role for role in wanted if role in ROLES)


def is_staff_roles(roles: Iterable[str]) -> bool:
    """True when `roles` hold a staff role (anything but the company mentor)."""
    return any(role != ROLE_MENTOR for role in roles)


def is_mentor_only(roles: Iterable[str]) -> bool:
    """True when `roles` are the company mentor's alone (no staff role beside it)."""
    roles = set(roles)
    return ROLE_MENTOR in roles and not is_staff_roles(roles)


def parse_role_map(text: str) -> dict[str, str]:
    """`value = role` lines (the admin's form) as a mapping; raises ValueError in Danish.

    Blank lines and lines starting with # are skipped. The value is everything before the
    last "=", so a URI value may itself hold "=".
    """
    mapping: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=" not in line:
            raise ValueError(f"Linje {number}: skriv 'værdi = rolle'.")
        value, role = (part.strip() for part in line.rsplit("=", 1))
        if not value:
            raise ValueError(f"Linje {number}: værdien mangler.")
        if role not in ROLES:
            known = ", ".join(ROLES)
            raise ValueError(f"Linje {number}: ukendt rolle '{role}' (kendte roller: {known}).")
        mapping[value] = role
    return mapping


def format_role_map(role_map: Mapping[str, str]) -> str:
    return "\n".join(f"{value} = {role}" for value, role in role_map.items())


def auth_time_from(value: object) -> datetime | None:
    """The IdP's authentication time: OIDC's `auth_time` (seconds since the epoch) or SAML's
    AuthnInstant (ISO 8601, UTC). None when absent or unreadable."""
    if value in (None, ""):
        return None
    try:
        if isinstance(value, int | float) or str(value).isdigit():
            return datetime.fromtimestamp(int(str(value).split(".")[0]), tz=UTC)
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (ValueError, OverflowError, OSError):
        return None
