"""The single sign-on rules (sso/rules.py): pure functions, no database."""

from datetime import UTC, datetime

import pytest

from sso import rules


def test_claim_values_take_a_string_or_a_list_and_drop_empty_ones():
    assert rules.claim_values({"roles": "VC_Chef"}, "roles") == ["VC_Chef"]
    assert rules.claim_values({"roles": ["a", " ", "b "]}, "roles") == ["a", "b"]
    assert rules.claim_values({}, "roles") == []
    assert rules.claim_values({"roles": ["a"]}, "") == []


def test_roles_come_only_from_mapped_values_so_a_removed_value_removes_the_role():
    role_map = {"urn:kombit:jf:konsulent": "jobkonsulent", "chef": "jobcenterchef"}
    assert rules.roles_from_claims(["chef", "urn:kombit:jf:konsulent"], role_map) == [
        "jobcenterchef",
        "jobkonsulent",
    ]
    assert rules.roles_from_claims(["urn:kombit:jf:konsulent"], role_map) == ["jobkonsulent"]
    assert rules.roles_from_claims(["Chef"], role_map) == []  # exact, case included


def test_the_admins_role_map_text_is_parsed_with_danish_errors():
    text = "# KOMBIT\nurn:a=b:c = jobkonsulent\n\nVC_Admin = admin\n"
    assert rules.parse_role_map(text) == {"urn:a=b:c": "jobkonsulent", "VC_Admin": "admin"}
    with pytest.raises(ValueError, match="ukendt rolle 'superbruger'"):
        rules.parse_role_map("x = superbruger")
    with pytest.raises(ValueError, match="Linje 1"):
        rules.parse_role_map("bare en linje")
    assert rules.parse_role_map(rules.format_role_map({"a": "mentor"})) == {"a": "mentor"}


def test_staff_roles_are_all_but_the_mentor():
    assert rules.is_staff_roles(["mentor", "jobkonsulent"])
    assert not rules.is_staff_roles(["mentor"])
    assert not rules.is_staff_roles([])


def test_auth_time_reads_oidc_epoch_seconds_and_saml_iso_instants():
    assert rules.auth_time_from(1764590400) == datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
    assert rules.auth_time_from("2025-12-01T12:00:00Z") == datetime(2025, 12, 1, 12, 0, tzinfo=UTC)
    assert rules.auth_time_from("i går") is None
    assert rules.auth_time_from(None) is None


def test_kombits_oiobpp_privilege_list_counts_as_its_privileges():
    import base64

    privileges = """<?xml version="1.0" encoding="UTF-8"?>
<bpp:PrivilegeList xmlns:bpp="http://itst.dk/oiosaml/basic_privilege_profile">
  <PrivilegeGroup Scope="urn:dk:gov:saml:cvrNumberIdentifier:29189803">
    <Privilege>http://kombit.dk/roles/usersystemrole/vc_konsulent/1</Privilege>
    <Privilege>http://kombit.dk/roles/usersystemrole/andet_system/1</Privilege>
  </PrivilegeGroup>
</bpp:PrivilegeList>"""
    value = base64.b64encode(privileges.encode()).decode()
    assert rules.oiobpp_privileges(value) == [
        "http://kombit.dk/roles/usersystemrole/vc_konsulent/1",
        "http://kombit.dk/roles/usersystemrole/andet_system/1",
    ]
    role_map = {"http://kombit.dk/roles/usersystemrole/vc_konsulent/1": "jobkonsulent"}
    assert rules.roles_from_claims([value], role_map) == ["jobkonsulent"]
    assert rules.oiobpp_privileges("VC_Chef") == []
    assert rules.oiobpp_privileges(base64.b64encode(b"<x/>").decode()) == []
