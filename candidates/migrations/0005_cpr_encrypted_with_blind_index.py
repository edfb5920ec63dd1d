"""CPR numbers encrypted at rest (Fernet) with an HMAC-SHA256 blind index for lookups.

The plain column is widened to text, every existing number is encrypted and indexed in
place, then the column becomes the encrypting field. Reversible (decrypts again).
"""

import candidates.cpr_crypto
import candidates.validators
from django.db import migrations, models


def encrypt_existing(apps, schema_editor):
    from candidates.cpr_crypto import cpr_encrypt, cpr_hmac

    Candidate = apps.get_model("candidates", "Candidate")
    rows = list(Candidate.objects.filter(cpr_hmac__isnull=True).values_list("pk", "cpr"))
    for pk, cpr in rows:
        Candidate.objects.filter(pk=pk).update(cpr=cpr_encrypt(cpr), cpr_hmac=cpr_hmac(cpr))


def decrypt_existing(apps, schema_editor):
    from candidates.cpr_crypto import cpr_decrypt

    Candidate = apps.get_model("candidates", "Candidate")
    for pk, token in Candidate.objects.exclude(cpr=None).values_list("pk", "cpr"):
        Candidate.objects.filter(pk=pk).update(cpr=cpr_decrypt(token))


class Migration(migrations.Migration):

    dependencies = [
        ("candidates", "0004_referral_followupnote"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="candidate", name="candidate_cpr_10_digits"),
        migrations.AddField(
            model_name="candidate",
            name="anonymised_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="anonymiseret"),
        ),
        migrations.AddField(
            model_name="candidate",
            name="cpr_hmac",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="CPR-indeks"),
        ),
        migrations.AlterField(
            model_name="candidate",
            name="cpr",
            field=models.TextField(null=True, verbose_name="CPR-nummer"),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
        migrations.AlterField(
            model_name="candidate",
            name="cpr_hmac",
            field=candidates.cpr_crypto.CprHmacField(editable=False, max_length=64, null=True, unique=True, verbose_name="CPR-indeks"),
        ),
        migrations.AlterField(
            model_name="candidate",
            name="cpr",
            field=candidates.cpr_crypto.EncryptedCprField(null=True, validators=[candidates.validators.validate_cpr], verbose_name="CPR-nummer"),
        ),
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.CheckConstraint(condition=models.Q(models.Q(("anonymised_at__isnull", True), ("cpr_hmac__regex", "^[0-9a-f]{64}$")), models.Q(("anonymised_at__isnull", False), ("cpr__isnull", True), ("cpr_hmac__isnull", True)), _connector="OR"), name="candidate_cpr_hmac_hex"),
        ),
    ]
