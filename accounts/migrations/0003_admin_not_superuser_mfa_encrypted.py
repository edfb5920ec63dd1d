"""Issue 17: the jobcentre's admin is no superuser, and two-factor secrets are encrypted.

In every jobcentre schema: nobody stays a superuser (the admin's rights are its role's
permissions, accounts.roles), and staff status follows the admin role. The public schema's
platform staff keep theirs.

In every schema (the platform's staff use two-factor login too): TOTP secrets and
recovery-code seeds written before accounts.adapters.MFAAdapter are encrypted with
settings.MFA_ENCRYPTION_KEY. Values already encrypted are left as they are, so the
migration may run again. Not reversible into plain text on purpose.
"""

from django.db import migrations


def admins_not_superusers(apps, schema_editor):
    from django_tenants.utils import get_public_schema_name

    if schema_editor.connection.schema_name == get_public_schema_name():
        return
    User = apps.get_model("accounts", "User")
    User.objects.filter(is_superuser=True).update(is_superuser=False)
    User.objects.filter(groups__name="admin").update(is_staff=True)
    User.objects.exclude(groups__name="admin").filter(is_staff=True).update(is_staff=False)


def mfa_secrets_encrypt(apps, schema_editor):  # noqa: ARG001 - Django's signature
    from accounts.mfa_crypto import mfa_encrypt, mfa_is_encrypted

    Authenticator = apps.get_model("mfa", "Authenticator")

    def sealed(value):
        return value if mfa_is_encrypted(value) else mfa_encrypt(value)

    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = dict(authenticator.data)
        if "secret" in data:
            data["secret"] = sealed(data["secret"])
        if "seed" in data:
            data["seed"] = sealed(data["seed"])
        if data.get("migrated_codes") is not None:
            data["migrated_codes"] = [sealed(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            authenticator.data = data
            authenticator.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_login_lock"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.RunPython(admins_not_superusers, migrations.RunPython.noop),
        migrations.RunPython(mfa_secrets_encrypt, migrations.RunPython.noop),
    ]
