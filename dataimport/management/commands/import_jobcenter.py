import json
import os
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dataimport.transfer import jobcenter_import


class Command(BaseCommand):
    help = (
        "Gendan et jobcenter eksporteret fra en anden installation (export_jobcenter). "
        "Den anden installations nøgler gives i miljøet, aldrig som argument: "
        "SOURCE_CPR_ENCRYPTION_KEY og SOURCE_MFA_ENCRYPTION_KEY (udeladt: samme som vores). "
        "CPR-numre og to-faktor-hemmeligheder krypteres om med denne installations nøgler."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--schema", required=True, help="skemaet her, fx skive")
        parser.add_argument("--domain", required=True, help="fx skive.virksomhedscenter.dk")
        parser.add_argument("--name", default="", help="standard: manifestets")
        parser.add_argument("--municipality-code", default="", help="standard: manifestets")

    def handle(self, *args, **options):
        try:
            report = jobcenter_import(
                path=options["file"],
                schema_name=options["schema"],
                domain=options["domain"],
                name=options["name"],
                municipality_code=options["municipality_code"],
                source_cpr_keys=os.environ.get("SOURCE_CPR_ENCRYPTION_KEY", ""),
                source_mfa_keys=os.environ.get("SOURCE_MFA_ENCRYPTION_KEY", ""),
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(json.dumps(report))
