"""codes.fernet: one home for the keys of every secret at rest (CPR numbers, TOTP secrets)."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from codes import fernet

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def test_the_first_key_encrypts_and_every_key_decrypts_so_a_key_rotates():
    with override_settings(SOME_KEY=OLD):
        token = fernet.encrypt("hemmelig", setting="SOME_KEY")
    with override_settings(SOME_KEY=f"{NEW}, {OLD}"):
        assert fernet.decrypt(token, setting="SOME_KEY", what="A secret") == "hemmelig"
        assert fernet.is_encrypted(token, setting="SOME_KEY")
        assert not fernet.is_encrypted("hemmelig", setting="SOME_KEY")
        fresh = fernet.encrypt("hemmelig", setting="SOME_KEY")
    with override_settings(SOME_KEY=NEW):
        assert fernet.decrypt(fresh, setting="SOME_KEY", what="A secret") == "hemmelig"
        with pytest.raises(ImproperlyConfigured, match="A secret could not be decrypted"):
            fernet.decrypt(token, setting="SOME_KEY", what="A secret")


def test_an_unset_or_malformed_key_is_a_configuration_error_naming_the_setting():
    with override_settings(SOME_KEY=""), pytest.raises(ImproperlyConfigured, match="SOME_KEY"):
        fernet.encrypt("x", setting="SOME_KEY")
    with (
        override_settings(SOME_KEY="not-a-key"),
        pytest.raises(ImproperlyConfigured, match="SOME_KEY must be one or more"),
    ):
        fernet.encrypt("x", setting="SOME_KEY")
